"""gardien's own records follow ``own_records:``: one second before the limit they stay, one
second after they go, on SQLite and PostgreSQL, and the audit chain still verifies after its
own entries went.

The clock is ``crm.NOW``; records are written at moments either side of each limit with the
rooms' own functions (their ``now``), then the retention job runs as a worker would.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select, update

import crm
from actors import actor_of
from gardien.audit import ChainFault, Checkpoint, RetentionBatchSwept, audit_log, verify
from gardien.audit.checkpoints import (
    CHECKPOINT_SECRET,
    latest_checkpoint,
    remove_through,
    signing_key,
)
from gardien.audit.tables import audit_checkpoints
from gardien.consent import CollectionMethod, Proof, current_state, record_consent
from gardien.consent.tables import consent_events
from gardien.declaration import Declaration
from gardien.errors import AuditError, VerificationFailedError
from gardien.jobs import claim, complete, enqueue, fail, jobs
from gardien.jobs.tables import job_steps
from gardien.requests import (
    CodePolicy,
    RequestChannel,
    RequestState,
    RequestType,
    Submission,
    submit,
    transition,
)
from gardien.requests.intake import AgentVerification
from gardien.requests.tables import request_events, requests
from gardien.requests.verification import verify as verify_code
from gardien.requests.vocabulary import VerificationMethod
from gardien.retention import plan_own
from gardien.store import Store
from gardien.vault import Vault
from retention_sweeper import DONE, Sweeper

NOW = crm.NOW
SECOND = dt.timedelta(seconds=1)
FIVE_YEARS_AGO = NOW.replace(year=NOW.year - 5)
WEEK_AGO = NOW - dt.timedelta(days=7)
PROOF = Proof(CollectionMethod.FORM)


def _subject() -> str:
    return uuid.uuid4().hex


def _consent(store: Store, declaration: Declaration, vault: Vault, subject: str,
             kind: str, at: dt.datetime) -> None:  # fmt: skip
    with store.engine.begin() as conn:
        record_consent(conn, declaration, subject, "newsletter", kind, channel="web",
                       proof=PROOF, now=at, actor=actor_of(vault))  # fmt: skip


def _events(store: Store, subject: str) -> list[str]:
    with store.engine.connect() as conn:
        return list(
            conn.execute(
                select(consent_events.c.kind)
                .where(consent_events.c.subject_id == subject)
                .order_by(consent_events.c.id)
            ).scalars()
        )


def test_a_consent_proof_goes_five_years_after_the_consent_ended_never_while_in_force(
    store: Store, vault: Vault, declared: Declaration, sweeper: Sweeper
) -> None:
    ended_long_ago, ended_just_now, in_force, renewed = (_subject() for _ in range(4))
    # Withdrawn one second past the limit: both events go, and the state with them.
    _consent(store, declared, vault, ended_long_ago, "given", FIVE_YEARS_AGO - 9 * SECOND)
    _consent(store, declared, vault, ended_long_ago, "withdrawn", FIVE_YEARS_AGO - SECOND)
    # Withdrawn one second short of it: kept.
    _consent(store, declared, vault, ended_just_now, "given", FIVE_YEARS_AGO - 9 * SECOND)
    _consent(store, declared, vault, ended_just_now, "withdrawn", FIVE_YEARS_AGO + SECOND)
    # Given ten years ago and never withdrawn: the proof of a consent in force stays.
    _consent(store, declared, vault, in_force, "given", NOW.replace(year=NOW.year - 10))
    # Given, then given again (a renewal) past the limit: the first proof ended then.
    _consent(store, declared, vault, renewed, "given", NOW.replace(year=NOW.year - 8))
    _consent(store, declared, vault, renewed, "given", FIVE_YEARS_AGO - SECOND)

    assert sweeper.run(declared, now=NOW) == DONE

    assert _events(store, ended_long_ago) == []
    with store.engine.connect() as conn:
        assert current_state(conn, ended_long_ago, "newsletter") is None
        assert current_state(conn, in_force, "newsletter") is not None
    assert _events(store, ended_just_now) == ["given", "withdrawn"]
    assert _events(store, in_force) == ["given"]
    assert _events(store, renewed) == ["given"]
    assert sweeper.totals("gardien.consent_proofs") == {"claimed": 3, "deleted": 3, "changed": 0}


def test_a_declared_period_replaces_the_default(
    store: Store, vault: Vault, write_crm: Any, sweeper: Sweeper
) -> None:
    declared = write_crm(lambda d: d.update(own_records={"consent_proofs": "1 year"}))
    subject = _subject()
    _consent(store, declared, vault, subject, "given", NOW.replace(year=NOW.year - 2))
    _consent(store, declared, vault, subject, "refused", NOW.replace(year=NOW.year - 1) - SECOND)

    assert sweeper.run(declared, now=NOW) == DONE

    assert _events(store, subject) == []


def _request(store: Store, vault: Vault, declared: Declaration, at: dt.datetime,
             *path: RequestState, kind: RequestType = RequestType.ACCESS) -> str:  # fmt: skip
    """A request received at ``at`` and moved along ``path`` at that moment."""
    submission = Submission(
        kind, {"email": f"{uuid.uuid4().hex[:8]}@example.com"},
        verification=AgentVerification(VerificationMethod.POSTAL_MAIL),
    )  # fmt: skip
    with store.engine.begin() as conn:
        receipt = submit(conn, vault, declared, submission, channel=RequestChannel.AGENT,
                         actor=actor_of(vault), codes=CodePolicy(), now=at)  # fmt: skip
        for state in path:
            transition(conn, receipt.id, state, actor=actor_of(vault), now=at)
    return receipt.id


def _request_ids(store: Store) -> set[str]:
    with store.engine.connect() as conn:
        return set(conn.execute(select(requests.c.id)).scalars())


def test_a_closed_request_goes_with_its_timeline_after_five_years(
    store: Store, vault: Vault, declared: Declaration, sweeper: Sweeper
) -> None:
    done = (RequestState.APPROVED, RequestState.IN_PROGRESS, RequestState.COMPLETED)
    closed_past = _request(store, vault, declared, FIVE_YEARS_AGO - SECOND, *done)
    closed_short = _request(store, vault, declared, FIVE_YEARS_AGO + SECOND, *done)
    rejected_past = _request(store, vault, declared, FIVE_YEARS_AGO - SECOND,
                             RequestState.REJECTED)  # fmt: skip
    # Received long ago and still open (blocked): a request is kept until it is closed.
    still_open = _request(store, vault, declared, NOW.replace(year=NOW.year - 6),
                          RequestState.APPROVED, RequestState.IN_PROGRESS,
                          RequestState.BLOCKED)  # fmt: skip

    assert sweeper.run(declared, now=NOW) == DONE

    assert _request_ids(store) == {closed_short, still_open}
    with store.engine.connect() as conn:
        timelines = set(conn.execute(select(request_events.c.request_id)).scalars())
    assert closed_past not in timelines and rejected_past not in timelines
    assert sweeper.totals("gardien.closed_requests")["deleted"] == 2


def test_an_expired_code_is_cleared_and_the_person_is_still_told_it_expired(
    store: Store, vault: Vault, declared: Declaration, sweeper: Sweeper
) -> None:
    codes = CodePolicy()
    with store.engine.begin() as conn:
        public = submit(conn, vault, declared,
                        Submission(RequestType.ACCESS, {"email": "eve@example.com"}),
                        channel=RequestChannel.PUBLIC, actor=actor_of(vault), codes=codes,
                        now=NOW - codes.lifetime - SECOND)  # fmt: skip
        fresh = submit(conn, vault, declared,
                       Submission(RequestType.ACCESS, {"email": "finn@example.com"}),
                       channel=RequestChannel.PUBLIC, actor=actor_of(vault), codes=codes,
                       now=NOW - codes.lifetime + SECOND)  # fmt: skip

    assert sweeper.run(declared, now=NOW) == DONE

    with store.engine.connect() as conn:
        hashes = {
            r.id: r.code_hash for r in conn.execute(select(requests.c.id, requests.c.code_hash))
        }
    assert hashes[public.id] is None
    assert hashes[fresh.id] is not None
    with store.engine.begin() as conn:
        outcome = verify_code(conn, vault, public.id, public.status_token, "123456",
                              actor=actor_of(vault), now=NOW)  # fmt: skip
    assert isinstance(outcome.refusal, VerificationFailedError)
    assert "the code expired" in outcome.refusal.message


def _finished_job(store: Store, kind: str, at: dt.datetime, *, failed: bool = False) -> int:
    with store.engine.begin() as conn:
        job_id = enqueue(conn, kind, {"to": "someone@example.com"}, now=at, run_after=at)
    job = claim(store, "test", [kind], dt.timedelta(minutes=1), now=at)
    assert job is not None and job.id == job_id
    with store.engine.begin() as conn:
        conn.execute(job_steps.insert().values(job_id=job_id, name="send", done_at=at, result="{}"))
        if failed:
            fail(conn, job, "refused by the relay", permanent=True, now=at)
        else:
            complete(conn, job, now=at)
    return job_id


def test_a_finished_job_goes_a_week_after_it_ended_with_its_steps(
    store: Store, vault: Vault, declared: Declaration, sweeper: Sweeper
) -> None:
    sent_past = _finished_job(store, "mail.send", WEEK_AGO - SECOND)
    failed_past = _finished_job(store, "mail.send", WEEK_AGO - SECOND, failed=True)
    sent_short = _finished_job(store, "mail.send", WEEK_AGO + SECOND)
    with store.engine.begin() as conn:
        waiting = enqueue(conn, "mail.send", {"to": "later@example.com"},
                          now=NOW.replace(year=NOW.year - 1), run_after=NOW + SECOND)  # fmt: skip

    assert sweeper.run(declared, now=NOW) == DONE

    with store.engine.connect() as conn:
        left = set(conn.execute(select(jobs.c.id).where(jobs.c.kind == "mail.send")).scalars())
        steps = set(conn.execute(select(job_steps.c.job_id)).scalars())
    assert left == {sent_short, waiting}
    assert sent_past not in steps and failed_past not in steps


def _entries_at(store: Store, vault: Vault, moments: list[dt.datetime]) -> None:
    actor = actor_of(vault)
    with store.engine.begin() as conn:
        for number, moment in enumerate(moments):
            actor.record(conn, RetentionBatchSwept(sweep="old", rule="r", batch=number,
                                                   claimed=0), now=moment)  # fmt: skip


def _checkpoint_key(vault: Vault) -> Any:
    return signing_key(vault.derived_secret(CHECKPOINT_SECRET)).public_key()


def _seqs(store: Store) -> list[int]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(audit_log.c.seq).order_by(audit_log.c.seq)).scalars())


def test_old_audit_entries_go_and_the_chain_still_verifies_from_a_signed_checkpoint(
    store: Store, vault: Vault, declared: Declaration, sweeper: Sweeper
) -> None:
    _entries_at(store, vault, [FIVE_YEARS_AGO - 3 * SECOND, FIVE_YEARS_AGO - 2 * SECOND,
                               FIVE_YEARS_AGO - SECOND, FIVE_YEARS_AGO + SECOND])  # fmt: skip
    before = verify(store)
    assert before.ok

    # Two entries a batch: two batches of old entries, each with its own checkpoint.
    assert sweeper.run(declared, now=NOW, batch_rows=2) == DONE

    assert _seqs(store)[0] == 4  # entries 1-3 went, the one short of the limit stayed
    with store.engine.connect() as conn:
        checkpoints = list(conn.execute(select(audit_checkpoints.c.seq)).scalars())
    assert sorted(checkpoints) == [2, 3]
    key = _checkpoint_key(vault)
    after = verify(store, checkpoint_key=key)
    assert after.ok, after.problem
    assert after.checkpoint is not None and after.checkpoint.seq == 3
    # A checkpoint recorded before the removal still holds: the signed one vouches for it.
    assert verify(store, Checkpoint(before.last_seq, before.last_hash), key).ok
    # Without the key, nobody can tell a signed checkpoint from a forged one: it fails.
    unchecked = verify(store)
    assert not unchecked.ok and unchecked.fault is ChainFault.CHECKPOINT


def test_removing_more_entries_or_forging_the_checkpoint_shows(
    store: Store, vault: Vault, declared: Declaration, sweeper: Sweeper
) -> None:
    _entries_at(store, vault, [FIVE_YEARS_AGO - 2 * SECOND, FIVE_YEARS_AGO - SECOND, NOW, NOW])
    assert sweeper.run(declared, now=NOW) == DONE
    key = _checkpoint_key(vault)
    assert verify(store, checkpoint_key=key).ok

    with store.engine.begin() as conn:
        first = conn.execute(select(func.min(audit_log.c.seq))).scalar_one()
        conn.execute(audit_log.delete().where(audit_log.c.seq == first))
    removed = verify(store, checkpoint_key=key)
    assert not removed.ok and removed.fault is ChainFault.REMOVED
    assert removed.first_bad_seq == first

    # Moving the checkpoint up to hide the removal needs the vault's key.
    with store.engine.begin() as conn:
        entry = conn.execute(select(audit_log).where(audit_log.c.seq == first + 1)).one()
        conn.execute(update(audit_checkpoints).values(seq=first, hash=entry.prev_hash))
    forged = verify(store, checkpoint_key=key)
    assert not forged.ok and forged.fault is ChainFault.CHECKPOINT


def test_entries_go_from_the_start_only_an_old_entry_after_a_young_one_waits(
    store: Store, vault: Vault, declared: Declaration, sweeper: Sweeper
) -> None:
    # Two hosts whose clocks differ: entry 2 says it is older than entry 1.
    _entries_at(store, vault, [FIVE_YEARS_AGO - SECOND, NOW, FIVE_YEARS_AGO - SECOND, NOW])
    with store.engine.connect() as conn:
        planned = {p.sweep.name: p for p in plan_own(conn, declared, NOW)}
    assert planned["gardien.audit_entries"].due == 1

    assert sweeper.run(declared, now=NOW) == DONE

    assert _seqs(store)[:3] == [2, 3, 4]
    assert verify(store, checkpoint_key=_checkpoint_key(vault)).ok


def test_a_run_never_removes_the_audit_entries_it_writes_itself(
    store: Store, vault: Vault, declared: Declaration, sweeper: Sweeper
) -> None:
    # A clock far ahead: every entry written today is past the period, including the ones
    # the run writes for its own batches, which must stay (else the run never ends).
    later = NOW.replace(year=NOW.year + 20)
    _entries_at(store, vault, [FIVE_YEARS_AGO, FIVE_YEARS_AGO])
    with store.engine.connect() as conn:
        before = conn.execute(select(func.max(audit_log.c.seq))).scalar_one()

    assert sweeper.run(declared, now=later, batch_rows=1) == DONE

    remaining = _seqs(store)
    # Every entry from before the run went; every entry the run wrote stayed.
    assert remaining == list(range(before + 1, before + 1 + len(remaining)))
    assert remaining[0] == before + 1 and len(remaining) > 1
    assert verify(store, checkpoint_key=_checkpoint_key(vault)).ok


def test_entries_that_show_tampering_are_not_removed(store: Store, vault: Vault) -> None:
    _entries_at(store, vault, [FIVE_YEARS_AGO - 3 * SECOND, FIVE_YEARS_AGO - 2 * SECOND, NOW])
    with store.engine.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.seq == 1).values(actor="someone-else"))
    key = signing_key(vault.derived_secret(CHECKPOINT_SECRET))
    with store.engine.begin() as conn, pytest.raises(AuditError, match="does not verify"):
        remove_through(conn, 2, key, now=NOW)
    assert _seqs(store) == [1, 2, 3]
    with store.engine.connect() as conn:
        assert latest_checkpoint(conn) is None


def test_a_run_with_tampered_old_entries_leaves_them_and_finishes_the_other_sweeps(
    store: Store, vault: Vault, declared: Declaration, sweeper: Sweeper
) -> None:
    _entries_at(store, vault, [FIVE_YEARS_AGO - 2 * SECOND, FIVE_YEARS_AGO - SECOND, NOW])
    with store.engine.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.seq == 1).values(actor="someone-else"))
    subject = _subject()
    _consent(store, declared, vault, subject, "withdrawn", FIVE_YEARS_AGO - SECOND)

    assert sweeper.run(declared, now=NOW) == DONE

    assert _seqs(store)[:3] == [1, 2, 3]  # the evidence stays
    assert _events(store, subject) == []  # the other sweeps did their work, the run ended
    assert verify(store).fault is ChainFault.EDITED


def test_a_second_run_finds_nothing_left_to_remove(
    store: Store, vault: Vault, declared: Declaration, sweeper: Sweeper
) -> None:
    subject = _subject()
    _consent(store, declared, vault, subject, "refused", FIVE_YEARS_AGO - SECOND)
    _entries_at(store, vault, [FIVE_YEARS_AGO - SECOND, NOW])
    assert sweeper.run(declared, now=NOW) == DONE
    sweeper.batches.clear()

    assert sweeper.run(declared, now=NOW + SECOND) == DONE

    assert not any(name.startswith("gardien.") for name, _n, _c in sweeper.batches)
    assert verify(store, checkpoint_key=_checkpoint_key(vault)).ok


def test_the_plan_counts_what_is_due_and_what_falls_due_within_30_days(
    store: Store, vault: Vault, declared: Declaration
) -> None:
    due, soon, later = (_subject() for _ in range(3))
    _consent(store, declared, vault, due, "withdrawn", FIVE_YEARS_AGO - SECOND)
    _consent(store, declared, vault, soon, "withdrawn", FIVE_YEARS_AGO + dt.timedelta(days=29))
    _consent(store, declared, vault, later, "withdrawn", FIVE_YEARS_AGO + dt.timedelta(days=31))

    with store.engine.connect() as conn:
        planned = {p.sweep.name: p for p in plan_own(conn, declared, NOW)}

    proofs = planned["gardien.consent_proofs"]
    assert (proofs.due, proofs.soon) == (1, 1)
    assert proofs.oldest is not None
    assert proofs.oldest.replace(tzinfo=dt.UTC) == FIVE_YEARS_AGO - SECOND
    assert proofs.as_json()["rule"] == "own_records.consent_proofs"
    assert set(planned) == {
        "gardien.verification_codes", "gardien.consent_proofs", "gardien.closed_requests",
        "gardien.finished_jobs", "gardien.recorded_events", "gardien.audit_entries",
    }  # fmt: skip
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(consent_events)).scalar_one() == 3


def test_each_batch_is_audited_with_counts_never_a_value(
    store: Store, vault: Vault, declared: Declaration, sweeper: Sweeper
) -> None:
    for _ in range(3):
        _consent(store, declared, vault, _subject(), "withdrawn", FIVE_YEARS_AGO - SECOND)

    assert sweeper.run(declared, now=NOW, batch_rows=2) == DONE

    with store.engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.details).where(audit_log.c.action == "retention.batch")
        ).scalars()
        proofs = [r for r in rows if '"gardien.consent_proofs"' in r]
    assert len(proofs) == 2
    assert all("@" not in r and "newsletter" not in r for r in proofs)


def test_the_commands_plan_own_records_and_verify_the_trail_from_its_checkpoint(
    store: Store, store_urls: Any, declared: Declaration, crm_url: str, tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    import base64
    import json
    import os

    from typer.testing import CliRunner

    from gardien.cli import app
    from gardien.vault import MasterKey

    material = os.urandom(32)
    vault = Vault(store, MasterKey(material))
    for name, value in (("GARDIEN_DATABASE_URL", store_urls.database_url),
                        ("GARDIEN_KEYSTORE_URL", store_urls.keystore_url),
                        ("GARDIEN_MASTER_KEY", base64.b64encode(material).decode())):  # fmt: skip
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    _entries_at(store, vault, [FIVE_YEARS_AGO - SECOND, NOW])
    _consent(store, declared, vault, _subject(), "withdrawn", FIVE_YEARS_AGO - SECOND)
    runner = CliRunner()
    at = ["--at", NOW.strftime("%Y-%m-%dT%H:%M:%S")]

    planned = runner.invoke(app, ["retention", "plan", "crm.yaml", "--format", "json", *at])
    assert planned.exit_code == 0, planned.output
    own = {row["sweep"]: row for row in json.loads(planned.stdout) if row["datastore"] == "gardien"}
    assert own["gardien.consent_proofs"]["due_now"] == 1
    assert own["gardien.audit_entries"]["due_now"] == 1
    assert Sweeper(store, vault, crm_url).run(declared, now=NOW) == DONE

    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "entries 1 to 1 were removed by retention" in verified.stdout
    public = verified.stdout.split("signed by ")[1].split()[0]
    # Elsewhere, without the master key: the published key checks the checkpoint.
    monkeypatch.delenv("GARDIEN_MASTER_KEY")
    monkeypatch.setenv("GARDIEN_MASTER_KEY_FILE", str(tmp_path / "absent.key"))
    unchecked = runner.invoke(app, ["audit", "verify"])
    assert unchecked.exit_code == 1 and "--signed-by" in unchecked.output
    assert runner.invoke(app, ["audit", "verify", "--signed-by", public]).exit_code == 0
    other = signing_key(os.urandom(32)).public_key()
    from gardien.audit.checkpoints import public_key_hex

    forged = runner.invoke(app, ["audit", "verify", "--signed-by", public_key_hex(other)])
    assert forged.exit_code == 1 and "not signed by the checkpoint key" in forged.output


def test_a_malformed_checkpoint_key_is_a_usage_error_that_says_what_to_give(
    store_urls: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from gardien.cli import app

    monkeypatch.setenv("GARDIEN_DATABASE_URL", store_urls.database_url)
    monkeypatch.setenv("GARDIEN_KEYSTORE_URL", store_urls.keystore_url)
    refused = CliRunner().invoke(app, ["audit", "verify", "--signed-by", "not-a-key"])
    assert refused.exit_code == 2
    assert "64 hexadecimal digits" in refused.output
