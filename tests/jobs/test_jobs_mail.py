"""E-mail: the outbox file, a real SMTP exchange, and the ``mail.send`` job kind."""

from __future__ import annotations

import json
import stat
import threading
from pathlib import Path

import pytest
from smtp_sink import SmtpSink

from gardien.jobs import (
    MAIL_SEND,
    JobError,
    Message,
    OutboxMailer,
    SmtpMailer,
    enqueue,
    get_job,
    mail_send_handler,
    mailer_from_settings,
    run_worker,
)
from gardien.jobs import mail as mail_module
from gardien.store import Store

MESSAGE = Message(
    sender="privacy@example.org",
    to=("jean.dupont@example.fr",),
    subject="Votre consentement arrive à échéance",
    body="Bonjour,\nmerci de renouveler votre choix.",
    message_id="<job-1@example.org>",
)


def test_outbox_is_private_and_one_line_per_message(tmp_path: Path) -> None:
    path = tmp_path / "spool" / "outbox.jsonl"
    mailer = OutboxMailer(path)
    mailer.send(MESSAGE)
    mailer.send(
        Message(
            sender="a@example.org", to=("b@example.org", "c@example.org"), subject="s", body="b"
        )
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    lines = path.read_text("utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["to"] == ["jean.dupont@example.fr"]
    assert first["subject"] == "Votre consentement arrive à échéance"
    assert first["message_id"] == "<job-1@example.org>"
    assert json.loads(lines[1])["to"] == ["b@example.org", "c@example.org"]


def test_outbox_lines_stay_whole_under_concurrent_writers(tmp_path: Path) -> None:
    mailer = OutboxMailer(tmp_path / "outbox.jsonl")
    big = Message(sender="a@example.org", to=("b@example.org",), subject="s", body="x" * 100_000)
    threads = [
        threading.Thread(target=lambda: [mailer.send(big) for _ in range(5)]) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = (tmp_path / "outbox.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == 20 and all(json.loads(line)["body"] == big.body for line in lines)


def test_outbox_error_is_clear(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file, not a directory")
    with pytest.raises(JobError, match="cannot write the mail outbox"):
        OutboxMailer(tmp_path / "blocker" / "outbox.jsonl").send(MESSAGE)


def test_message_repr_hides_addresses_and_body() -> None:
    assert "jean" not in repr(MESSAGE) and "renouveler" not in repr(MESSAGE)


def test_smtp_delivers_to_a_real_server() -> None:
    with SmtpSink() as sink:
        SmtpMailer(f"smtp://127.0.0.1:{sink.port}", timeout=5).send(MESSAGE)
    [received] = sink.state.messages
    assert received.sender == "privacy@example.org"
    assert received.recipients == ["jean.dupont@example.fr"]
    assert "Message-ID: <job-1@example.org>" in received.data
    assert "Subject: Votre consentement arrive =?utf-8?" in received.data  # encoded


def test_smtp_logs_in_on_loopback_without_tls() -> None:
    with SmtpSink() as sink:
        SmtpMailer(f"smtp://mailer:s3cret@127.0.0.1:{sink.port}", timeout=5).send(MESSAGE)
    assert len(sink.state.logins) == 1 and len(sink.state.messages) == 1


def test_smtp_refuses_to_send_a_password_in_clear(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mail_module, "LOOPBACK", frozenset())
    with SmtpSink() as sink, pytest.raises(JobError, match="does not offer STARTTLS"):
        SmtpMailer(f"smtp://mailer:s3cret@127.0.0.1:{sink.port}", timeout=5).send(MESSAGE)
    assert sink.state.logins == []


def test_smtp_refusal_names_the_code_not_the_address() -> None:
    with SmtpSink() as sink:
        sink.state.refuse_recipients = True
        with pytest.raises(JobError) as caught:
            SmtpMailer(f"smtp://127.0.0.1:{sink.port}", timeout=5).send(MESSAGE)
    assert "jean" not in str(caught.value)


def test_smtp_unreachable_is_a_clear_error() -> None:
    with SmtpSink() as sink:
        port = sink.port
    with pytest.raises(JobError, match="check GARDIEN_SMTP_URL"):
        SmtpMailer(f"smtp://127.0.0.1:{port}", timeout=2).send(MESSAGE)


@pytest.mark.parametrize("url", ["http://host", "smtp://", "mail.example.org"])
def test_smtp_url_is_checked(url: str) -> None:
    with pytest.raises(JobError, match="SMTP URL is not valid"):
        SmtpMailer(url)


def test_smtp_repr_hides_the_password() -> None:
    assert (
        repr(SmtpMailer("smtps://mailer:s3cret@mail.example.org"))
        == "SmtpMailer('smtps://mailer:[secure]@mail.example.org:465')"
    )


def test_settings_choose_the_mailer(tmp_path: Path) -> None:
    assert isinstance(mailer_from_settings(None, tmp_path / "o.jsonl"), OutboxMailer)
    assert isinstance(
        mailer_from_settings("smtp://127.0.0.1:2525", tmp_path / "o.jsonl"), SmtpMailer
    )


def test_mail_send_job_goes_out_once(store: Store, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox.jsonl"
    with store.engine.begin() as conn:
        job_id = enqueue(
            conn, MAIL_SEND, {"to": "jean.dupont@example.fr", "subject": "Hello", "body": "Hi"}
        )
    handlers = {MAIL_SEND: mail_send_handler(OutboxMailer(outbox), sender="privacy@example.org")}
    ran = run_worker(
        store,
        handlers,
        worker_id="w1",
        poll_seconds=0.01,
        stop=threading.Event(),
        exit_when_idle=True,
    )
    assert ran == 1
    [line] = outbox.read_text("utf-8").splitlines()
    assert json.loads(line)["message_id"] == f"<job-{job_id}@example.org>"
    with store.engine.connect() as conn:
        job = get_job(conn, job_id)
    assert job is not None and job.status == "done"


def test_mail_send_with_a_bad_payload_fails_at_once_without_naming_anyone(
    store: Store, tmp_path: Path
) -> None:
    with store.engine.begin() as conn:
        job_id = enqueue(conn, MAIL_SEND, {"to": "jean.dupont@example.fr", "body": "no subject"})
    handlers = {MAIL_SEND: mail_send_handler(OutboxMailer(tmp_path / "o.jsonl"))}
    run_worker(
        store,
        handlers,
        worker_id="w1",
        poll_seconds=0.01,
        stop=threading.Event(),
        exit_when_idle=True,
    )
    with store.engine.connect() as conn:
        job = get_job(conn, job_id)
    assert job is not None and job.status == "failed" and job.attempts == 1
    assert job.last_error == "PermanentJobError: mail.send payload needs 'subject' as text"
    assert not (tmp_path / "o.jsonl").exists()
