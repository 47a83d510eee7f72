"""What `make run` prints works: the access-request walkthrough, run verbatim with curl.

`gardien demo` builds a company and prints four commands; `gardien serve --with-worker`
(what `make run` starts) serves it. The commands are run as a newcomer would paste
them, with only ID, TOKEN and CODE filled in from the answers and the outbox; at the
end, the e-mailed link gives the person's data.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from demo_server import served_demo

from gardien.demo import COMPANIES


@pytest.mark.skipif(shutil.which("curl") is None, reason="the walkthrough is curl commands")
def test_the_printed_access_request_walkthrough_works_as_pasted(tmp_path: Path) -> None:
    with served_demo(tmp_path) as demo:
        env = demo.env
        commands = [
            line.strip() for line in demo.printed.splitlines() if line.strip().startswith("curl")
        ]
        assert len(commands) == 3, demo.printed
        asked = json.loads(_sh(commands[0], env))
        assert asked["state"] == "awaiting_verification", asked
        code = _from_outbox(demo.outbox, r"\b(\d{6})\b")
        verified = json.loads(
            _sh(_fill(commands[1], asked["id"], asked["status_token"], code), env)
        )
        assert verified["state"] == "verified", verified
        approved = json.loads(_sh(_fill(commands[2], asked["id"], "", ""), env))
        assert approved.get("state") in ("approved", "in_progress", "completed"), (
            approved,
            demo.log.read_text("utf-8", errors="replace")[-4000:],
        )
        link = _from_outbox(demo.outbox, r"(http://\S+/downloads/\S+)")
        taken = subprocess.run(
            ["curl", "-s", "-X", "POST", link], capture_output=True, check=True, timeout=60
        ).stdout
        names = zipfile.ZipFile(io.BytesIO(taken)).namelist()
        assert "summary.html" in names and "records/amikeo_app.accounts.json" in names
        email = COMPANIES["amikeo"].known.email
        accounts = zipfile.ZipFile(io.BytesIO(taken)).read("records/amikeo_app.accounts.json")
        assert email in accounts.decode("utf-8")


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
