"""The ``gardien redact`` command through Typer's runner: text in, redacted
text out; the evaluation JSON-lines mode; restore; and bad input refused
with a one-line message."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from gardien.commands.redact_command import redact_command
from gardien.errors import RedactionError
from gardien.redact import restore
from gardien.redact.streams import MAX_LINE_BYTES

app = typer.Typer()
pytestmark = pytest.mark.usefixtures("analyzer")  # load the pipelines once per session
app.command("redact")(redact_command)


@app.callback()
def _root() -> None:
    """Stand-in for the gardien app, so that "redact" is a sub-command."""


def run(args: list[str], stdin: bytes | str = b"") -> Result:
    return CliRunner().invoke(app, ["redact", *args], input=stdin)


def failed_with(result: Result, message: str) -> None:
    assert isinstance(result.exception, RedactionError), result.exception
    assert message in str(result.exception)
    assert "\n" not in str(result.exception)


def test_stdin_to_stdout() -> None:
    result = run(["--lang", "fr"], "Écrire à claire@example.fr.\n\nAppeler le 06 12 34 56 78.\n")
    assert result.exit_code == 0
    assert result.stdout == "Écrire à <EMAIL_1>.\n\nAppeler le <PHONE_1>.\n"


def test_files_form_one_document(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Write to john@example.com\n", encoding="utf-8")
    b.write_text("or to john@example.com or ann@example.com\n", encoding="utf-8")
    result = run(["--lang", "en", str(a), str(b)])
    assert result.stdout == "Write to <EMAIL_1>\nor to <EMAIL_1> or <EMAIL_2>\n"


def test_detect_jsonl_keeps_order_and_echoes_id() -> None:
    lines = [
        {"text": "Call John Smith at +1 212 555 0198", "lang": "en", "id": "a", "x": 1},
        {"text": "rien à signaler", "lang": "fr"},
        {"text": "Écrire à claire@example.fr", "lang": "fr", "id": 3},
    ]
    stdin = "\n".join(json.dumps(line) for line in lines) + "\n"
    result = run(["--detect", "--jsonl"], stdin)
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r.get("id") for r in rows] == ["a", None, 3]
    assert rows[0]["spans"] == [
        {"start": 5, "end": 15, "label": "PERSON"},
        {"start": 19, "end": 34, "label": "PHONE"},
    ]
    assert rows[1] == {"spans": []}
    assert rows[2]["spans"] == [{"start": 9, "end": 26, "label": "EMAIL"}]


def test_jsonl_without_detect_redacts_each_line() -> None:
    result = run(["--jsonl"], '{"text": "mail: a.b@example.com", "id": 1}\n')
    assert json.loads(result.stdout) == {"id": 1, "text": "mail: <EMAIL_1>"}


def test_jsonl_reversible_gives_each_line_its_mapping(tmp_path: Path) -> None:
    key = tmp_path / "k"
    key.write_bytes(b"k" * 32)
    stdin = '{"text": "Call John Miller", "lang": "en"}\n'
    result = run(["--jsonl", "--operator", "reversible", "--key-file", str(key)], stdin)
    row = json.loads(result.stdout)
    assert row["text"] == "Call <PERSON_1>"
    assert restore(row["text"], row["mapping"], b"k" * 32) == "Call John Miller"


def test_empty_input_gives_empty_output() -> None:
    for args in ([], ["--detect", "--jsonl"], ["--detect"]):
        result = run(args, b"")
        assert result.exit_code == 0
        assert result.stdout == ""


def test_bad_utf8_is_refused_with_its_line() -> None:
    failed_with(run([], b"ok\ncaf\xe9\n"), "line 2 is not valid UTF-8")
    failed_with(run(["--detect", "--jsonl"], b'{"text": "caf\xe9"}\n'), "line 1 is not valid UTF-8")


def test_bad_json_line_answers_the_lines_before_it() -> None:
    result = run(["--detect", "--jsonl"], '{"text": "ok", "id": 1}\n{oops\n{"text": "x"}\n')
    assert result.stdout == '{"id": 1, "spans": []}\n'
    failed_with(result, "line 2 is not valid JSON")
    failed_with(run(["--detect", "--jsonl"], '["text"]\n'), 'no "text" string')
    failed_with(run(["--detect", "--jsonl"], '{"text": "x", "lang": "de"}\n'), '"lang" must be')


def test_huge_jsonl_line_is_refused() -> None:
    line = json.dumps({"text": "a " * (MAX_LINE_BYTES // 2 + 10)})
    failed_with(run(["--detect", "--jsonl"], line + "\n"), "line 1 is longer than 1 MiB")


def test_huge_text_line_is_streamed_not_refused() -> None:
    text = "Écrire à claire@example.fr. " * 4000  # over one 100 000-character chunk
    result = run(["--lang", "fr", "--operator", "mask"], text)
    assert result.exit_code == 0
    assert len(result.stdout) == len(text)
    assert "claire" not in result.stdout


def test_detect_text_offsets_run_across_paragraphs() -> None:
    text = "Mail a.b@example.com\n\n" * 3
    result = run(["--detect", "--lang", "en"], text)
    starts = [json.loads(line)["start"] for line in result.stdout.splitlines()]
    assert starts == [5, 27, 49]
    assert all(text[s : s + 15] == "a.b@example.com" for s in starts)


def test_reversible_then_restore(tmp_path: Path) -> None:
    key = tmp_path / "redact.key"
    key.write_bytes(b"0123456789abcdef0123456789abcdef\n")
    mapping = tmp_path / "mapping.txt"
    text = "Hi, I'm John Miller, write to john@example.com.\n"
    redacted = run(
        ["--lang", "en", "--operator", "reversible", "--key-file", str(key),
         "--mapping-out", str(mapping)],
        text,
    )  # fmt: skip
    assert redacted.exit_code == 0, redacted.exception
    assert "john@" not in redacted.stdout
    answer = redacted.stdout.replace("<PERSON_1>", "[PERSON_1]")
    restored = run(["--restore", "--mapping", str(mapping), "--key-file", str(key)], answer)
    assert restored.stdout == text


def test_reversible_without_mapping_out_is_refused(tmp_path: Path) -> None:
    key = tmp_path / "k"
    key.write_bytes(b"x" * 32)
    failed_with(run(["--operator", "reversible", "--key-file", str(key)], "John"), "--mapping-out")


def test_pseudonymize_needs_a_key_file() -> None:
    failed_with(run(["--operator", "pseudonymize"], "John"), "--key-file")


def test_missing_file_is_reported(tmp_path: Path) -> None:
    failed_with(run([str(tmp_path / "nope.txt")]), "cannot read")


def test_streaming_a_file_larger_than_a_chunk(tmp_path: Path) -> None:
    paragraph = "Bonjour, écrire à claire.dubois@example.fr ou au 06 12 34 56 78.\n\n"
    path = tmp_path / "big.txt"
    path.write_text(paragraph * 1700, encoding="utf-8")  # ~115 kB: more than one chunk
    result = run(["--lang", "fr", str(path)])
    assert result.exit_code == 0
    assert result.stdout == "Bonjour, écrire à <EMAIL_1> ou au <PHONE_1>.\n\n" * 1700


def test_recipient_checked_against_the_declaration(with_ai_recipients: Path) -> None:
    config = ["--config", str(with_ai_recipients)]
    sent = run(["--recipient", "ai_provider", "--purpose", "service", *config], "Mail a@b.fr\n")
    assert sent.exit_code == 0 and sent.stdout == "Mail <EMAIL_1>\n"
    refused = run(
        ["--recipient", "ai_provider", "--operator", "pseudonymize", "--key-file", "-", *config],
        "Mail a@b.fr\n",
    )
    failed_with(refused, "declared to receive anonymised data")
    assert refused.stdout == ""  # refused before any input is read or written


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--recipient", "ai_provder"], "did you mean 'ai_provider'"),
        (["--recipient", "ai_provider", "--purpose", "newsletter"], "does not list"),
        (["--purpose", "service"], "name the recipient as well"),
        (["--recipient", "ai_provider", "--detect"], "not with --detect or --restore"),
    ],
)
def test_recipient_errors(with_ai_recipients: Path, args: list[str], message: str) -> None:
    failed_with(run([*args, "--config", str(with_ai_recipients)], "x\n"), message)


SHIPPED = "Commande expédiée via Colissimo vers rue Brigitte Renault, 75718 Sainte Zoé.\n"


def test_keep_from_the_option_and_from_the_declaration(
    write_ai_declaration: Callable[..., Path],
) -> None:
    assert run(["--lang", "fr"], SHIPPED).stdout.startswith("Commande expédiée via <PERSON_1>")
    kept = run(["--lang", "fr", "--keep", "colissimo"], SHIPPED)
    assert kept.stdout.startswith("Commande expédiée via Colissimo vers <LOCATION_1>")
    config = write_ai_declaration(lambda data: data.update(redaction={"keep": ["Colissimo"]}))
    declared = run(["--lang", "fr", "--config", str(config)], SHIPPED)
    assert declared.stdout == kept.stdout
    for_provider = run(
        ["--lang", "fr", "--recipient", "ai_provider", "--config", str(config)], SHIPPED
    )
    assert for_provider.stdout == kept.stdout
    jsonl = run(["--jsonl", "--keep", "Colissimo"], json.dumps({"text": SHIPPED, "lang": "fr"}))
    assert json.loads(jsonl.stdout)["text"] == kept.stdout


def test_keep_of_the_caller_is_refused_for_an_anonymised_recipient(
    with_ai_recipients: Path,
) -> None:
    refused = run(
        ["--recipient", "ai_provider", "--keep", "Kevin", "--config", str(with_ai_recipients)],
        "Le livreur Kevin.\n",
    )
    failed_with(refused, "redaction.keep")


@pytest.mark.parametrize("mode", [[], ["--jsonl"], ["--jsonl", "--detect"]])
def test_a_bad_term_to_keep_is_refused_before_any_output(mode: list[str]) -> None:
    result = run([*mode, "--keep", "  "], '{"text": "Jean Dupont"}\n')
    failed_with(result, "each term to keep is a non-empty text")
    assert result.stdout == ""
