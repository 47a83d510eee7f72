"""``gardien redact`` as a real process: bad input ends in one line on
standard error and a non-zero exit, never a traceback; a large file streams
in bounded memory."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

GARDIEN = [sys.executable, "-m", "gardien", "redact"]


def gardien(args: list[str], stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*GARDIEN, *args], input=stdin, capture_output=True, timeout=300)


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--detect", "--jsonl"], b'{"text": "ok"}\n{nope\n', b"line 2 is not valid JSON"),
        (["--detect", "--jsonl"], b'{"text": "caf\xe9"}\n', b"line 1 is not valid UTF-8"),
        ([], b"caf\xe9\n", b"line 1 is not valid UTF-8"),
        (["--detect", "--jsonl"], b'{"text": "' + b"a" * (1 << 20) + b'"}\n', b"longer than 1 MiB"),
        (["--operator", "pseudonymize"], b"x", b"needs a secret key"),
        (["--lang", "de"], b"x", b"Invalid value"),
    ],
)
def test_bad_input_is_one_line_on_stderr(args: list[str], stdin: bytes, message: bytes) -> None:
    done = gardien(args, stdin)
    assert done.returncode != 0
    assert message in done.stderr
    assert b"Traceback" not in done.stderr
    if message != b"Invalid value":  # click's own usage errors span a few lines
        assert done.stderr.strip().count(b"\n") == 0


def test_detect_jsonl_process_round_trip() -> None:
    stdin = b'{"id": 9, "text": "Mail: a.b@example.com", "lang": "en"}\n'
    done = gardien(["--detect", "--jsonl"], stdin)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "id": 9,
        "spans": [{"start": 6, "end": 21, "label": "EMAIL"}],
    }
    assert gardien(["--detect", "--jsonl"], b"").stdout == b""


def test_a_reader_that_goes_away_is_no_error(tmp_path: Path) -> None:
    path = tmp_path / "many.txt"
    path.write_text("Écrire à a.b@example.fr.\n\n" * 20_000, encoding="utf-8")
    with subprocess.Popen(
        [*GARDIEN, "--lang", "fr", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.readline() == "Écrire à <EMAIL_1>.\n".encode()
        process.stdout.close()  # like `| head -1`
        errors = process.stderr.read()
        assert process.wait(timeout=300) == 0
    assert b"Traceback" not in errors and b"Exception ignored" not in errors


@pytest.mark.slow
def test_large_file_streams_in_bounded_memory(tmp_path: Path) -> None:
    """~6 MB of text: memory stays far below what holding it (and its spaCy
    Doc) whole would take."""
    paragraph = "Bonjour, je suis Claire Dubois, écrire à claire.dubois@example.fr.\n\n"
    path = tmp_path / "big.txt"
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(90_000):
            handle.write(paragraph)
    out = tmp_path / "out.txt"
    with out.open("wb") as sink:
        subprocess.run(
            [*GARDIEN, "--lang", "fr", "--operator", "mask", str(path)],
            stdout=sink,
            check=True,
            timeout=1800,
        )
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert out.stat().st_size == path.stat().st_size
    assert b"claire" not in out.read_bytes()
    assert peak_mib < 1000, f"peak resident memory {peak_mib:.0f} MiB"
