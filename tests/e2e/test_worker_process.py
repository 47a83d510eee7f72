"""A real `gardien worker` process: runs queued jobs, stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from gardien.jobs import enqueue
from gardien.store import Store


def test_worker_sends_queued_mail_then_stops_on_sigterm(
    server_env: dict[str, str], tmp_path: Path, store: Store
) -> None:
    outbox = tmp_path / "outbox.jsonl"
    env = {**server_env, "GARDIEN_OUTBOX": str(outbox), "GARDIEN_WORKER_POLL_SECONDS": "0.1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gardien", "worker"], env=env, cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        with store.engine.begin() as conn:
            enqueue(
                conn,
                "mail.send",
                {"to": ["dpo@example.com"], "subject": "Rapport", "body": "Bonjour"},
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (outbox.exists() and outbox.read_text("utf-8")):
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            time.sleep(0.1)
        [line] = outbox.read_text("utf-8").splitlines()
        assert json.loads(line)["subject"] == "Rapport"
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=20)[0].decode()
    assert process.returncode == 0, output
    assert "Traceback" not in output
