"""What `make run` prints works: the access-request walkthrough, run verbatim with curl.

`gardien demo` builds a company and prints four commands; `gardien serve --with-worker`
(what `make run` starts) serves it. The commands are run as a newcomer would paste
them, with only ID, TOKEN and CODE filled in from the answers and the outbox; at the
end, the e-mailed link gives the person's data.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from gardien.demo import COMPANIES


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.skipif(shutil.which("curl") is None, reason="the walkthrough is curl commands")
def test_the_printed_access_request_walkthrough_works_as_pasted(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GARDIEN_")}
    env |= {"GARDIEN_PORT": str(port), "GARDIEN_REDACT_PRELOAD": "false",
            "GARDIEN_WORKER_POLL_SECONDS": "0.2"}  # fmt: skip
    directory = tmp_path / "demo"
    built = subprocess.run(
        [sys.executable, "-m", "gardien", "demo", "--dir", str(directory),
         "--company", "amikeo", "--subjects", "30", "--no-serve"],
        env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    commands = [
        line.strip() for line in built.stdout.splitlines() if line.strip().startswith("curl")
    ]
    assert len(commands) == 3, built.stdout
    with (tmp_path / "server.log").open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gardien", "serve", "--with-worker",
             "--config", str(directory / "privacy.yaml")],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_until_serving(port, tmp_path / "server.log")
        asked = json.loads(_sh(commands[0], env))
        assert asked["state"] == "awaiting_verification", asked
        outbox = directory / "outbox.jsonl"
        code = _from_outbox(outbox, r"\b(\d{6})\b")
        verified = json.loads(
            _sh(_fill(commands[1], asked["id"], asked["status_token"], code), env)
        )
        assert verified["state"] == "verified", verified
        approved = json.loads(_sh(_fill(commands[2], asked["id"], "", ""), env))
        assert approved.get("state") in ("approved", "in_progress", "completed"), (
            approved,
            (tmp_path / "server.log").read_text("utf-8", errors="replace")[-4000:],
        )
        link = _from_outbox(outbox, r"(http://\S+/downloads/\S+)")
        taken = subprocess.run(
            ["curl", "-s", "-X", "POST", link], capture_output=True, check=True, timeout=60
        ).stdout
        names = zipfile.ZipFile(io.BytesIO(taken)).namelist()
        assert "summary.html" in names and "records/amikeo_app.accounts.json" in names
        email = COMPANIES["amikeo"].known.email
        accounts = zipfile.ZipFile(io.BytesIO(taken)).read("records/amikeo_app.accounts.json")
        assert email in accounts.decode("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=30)


def _fill(command: str, request_id: str, token: str, code: str) -> str:
    return command.replace("ID", request_id).replace("TOKEN", token).replace("CODE", code)


def _sh(command: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        command, shell=True, env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0 and done.stdout, (command, done.stderr)
    return done.stdout


def _from_outbox(outbox: Path, pattern: str) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if outbox.exists():
            for line in reversed(outbox.read_text("utf-8").splitlines()):
                found = re.search(pattern, json.loads(line).get("body", ""))
                if found:
                    return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"nothing matching {pattern} was e-mailed to {outbox}")


def _wait_until_serving(port: int, log: Path) -> None:
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(log.read_text())
