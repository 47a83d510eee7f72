"""The ``gardien redact`` command: redact, detect or restore, streaming.

Registered on the ``gardien`` Typer app by ``gardien.cli``; this module owns
the options and the I/O (the rules of what may be sent to whom are the
redaction room's, ``redact/service.py``, shared with the API). Modes:

- default: text from FILEs or standard input, redacted to standard output,
  paragraph by paragraph (bounded memory whatever the size);
- ``--detect``: the spans found instead, one JSON object per line;
- ``--jsonl``: input lines are ``{"text": ..., "lang": ..., "id": ...}``; with
  ``--detect`` each gives one ``{"spans": [...]}`` line (the evaluation
  format), otherwise ``{"text": redacted}``; ``id`` is echoed when present;
- ``--restore``: placeholders in the input (an AI provider's answer) turned
  back into the original values, with ``--mapping`` and ``--key-file``.

One invocation is one document: placeholders are numbered consistently
across all the FILEs given (in ``--jsonl`` mode, each line is a document).
Errors raise :class:`RedactionError`; ``gardien.cli`` prints them on one line.
The command writes no audit trail (it opens no store): what must be
recorded, text leaving for a recipient, goes through the API.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from gardien.errors import RedactionError
from gardien.redact.chunks import iter_paragraphs
from gardien.redact.engine import Redactor, default_analyzer, redact
from gardien.redact.restore import restore
from gardien.redact.streams import iter_line_batches, iter_text


class LangChoice(StrEnum):
    auto = "auto"
    fr = "fr"
    en = "en"


class OperatorChoice(StrEnum):
    redact = "redact"
    mask = "mask"
    placeholder = "placeholder"
    pseudonymize = "pseudonymize"
    reversible = "reversible"


def _read_secret(path: Path | None, what: str) -> bytes | None:
    if path is None:
        return None
    try:
        # A trailing line end is an editor's, not part of the key.
        return path.read_bytes().rstrip(b"\r\n")
    except OSError as exc:
        raise RedactionError(f"cannot read the {what} {path}: {exc.strerror}") from None


def _inputs(files: list[Path] | None) -> list[Path | None]:
    """The paths to read, ``None`` standing for standard input."""
    return list(files) if files else [None]


@contextmanager
def _open(path: Path | None) -> Iterator[tuple[BinaryIO, str]]:
    if path is None or str(path) == "-":
        yield sys.stdin.buffer, "<stdin>"
        return
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise RedactionError(f"cannot read {path}: {exc.strerror}") from None
    with handle:
        yield handle, str(path)


def _write(out: BinaryIO, text: str) -> None:
    out.write(text.encode("utf-8"))


def _json_line(out: BinaryIO, obj: object) -> None:
    out.write(json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n")
    out.flush()


def _parse_line(name: str, number: int, line: str) -> dict[str, object] | None:
    if not line.strip():
        return None  # blank lines carry no document
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RedactionError(
            f"{name}: line {number} is not valid JSON ({exc.msg} at column {exc.colno}): "
            'each line must be an object like {"text": "...", "lang": "fr"}'
        ) from None
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise RedactionError(
            f'{name}: line {number} has no "text" string: '
            'each line must be an object like {"text": "...", "lang": "fr"}'
        )
    lang = obj.get("lang", "auto")
    if lang not in ("fr", "en", "auto"):
        raise RedactionError(f'{name}: line {number}: "lang" must be "fr", "en" or "auto"')
    return obj


def _jsonl(
    stream: BinaryIO,
    name: str,
    out: BinaryIO,
    detect: bool,
    operator: str,
    key: bytes | None,
    default_lang: str,
    keep: tuple[str, ...],
) -> None:
    """One document per line; a line's own "lang" wins over ``--lang``."""
    analyzer = default_analyzer()
    for batch in iter_line_batches(stream, name):
        objs: list[dict[str, object]] = []
        error: RedactionError | None = None
        for number, line in batch:
            try:
                obj = _parse_line(name, number, line)
            except RedactionError as exc:
                error = exc  # answer the lines before it first, in order
                break
            if obj is not None:
                objs.append(obj)
        texts = [str(o["text"]) for o in objs]
        langs = [str(o.get("lang", default_lang)) for o in objs]
        if detect:
            found = analyzer.analyze_batch(texts, langs, keep=keep)
            for obj, spans in zip(objs, found, strict=True):
                row: dict[str, object] = {"id": obj["id"]} if "id" in obj else {}
                row["spans"] = [{"start": s.start, "end": s.end, "label": s.label} for s in spans]
                _json_line(out, row)
        else:
            for obj, text, lang in zip(objs, texts, langs, strict=True):
                result = redact(text, lang, operator, key, keep=keep)
                row = {"id": obj["id"]} if "id" in obj else {}
                row["text"] = result.text
                if result.mapping is not None:
                    row["mapping"] = result.mapping
                _json_line(out, row)
        if error is not None:
            raise error


def redact_command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Text files to read ('-' or none: standard input).", show_default=False
        ),
    ] = None,
    lang: Annotated[
        LangChoice, typer.Option("--lang", help="Language of the text; auto detects it.")
    ] = LangChoice.auto,
    operator: Annotated[
        OperatorChoice,
        typer.Option(
            "--operator",
            help="redact removes values, mask stars them, placeholder writes <PERSON_1>, "
            "pseudonymize a keyed hash, reversible placeholders that --restore can undo.",
        ),
    ] = OperatorChoice.placeholder,
    key_file: Annotated[
        Path | None,
        typer.Option("--key-file", help="Secret key (16+ bytes) for pseudonymize/reversible."),
    ] = None,
    detect: Annotated[
        bool, typer.Option("--detect", help="Print the spans found instead of redacting.")
    ] = False,
    jsonl: Annotated[
        bool,
        typer.Option("--jsonl", help='Input lines are {"text", "lang", "id"} JSON objects.'),
    ] = False,
    mapping_out: Annotated[
        Path | None,
        typer.Option("--mapping-out", help="Where the reversible operator writes its mapping."),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="A sealed mapping: to --restore with, or to continue."),
    ] = None,
    do_restore: Annotated[
        bool,
        typer.Option("--restore", help="Put the original values back in place of placeholders."),
    ] = False,
    recipient: Annotated[
        str | None,
        typer.Option(
            "--recipient",
            help="The declared recipient the output is for: refuses an operator that gives "
            "it more than its declared form (receives: anonymised, pseudonymised).",
        ),
    ] = None,
    purpose: Annotated[
        str | None,
        typer.Option("--purpose", help="With --recipient: a declared purpose that lists it."),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="The declaration whose redaction.keep terms are kept, and against which "
            "--recipient is checked (default with --recipient: $GARDIEN_CONFIG, else "
            "./privacy.yaml; without: none).",
        ),
    ] = None,
    keep: Annotated[
        list[str] | None,
        typer.Option(
            "--keep",
            help="A product, service or brand name never redacted (repeat for more).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Find and replace personal data in French or English text (stdin to stdout)."""
    kept = _kept_terms(
        recipient, purpose, operator.value, config, tuple(keep or ()), do_restore or detect
    )
    key = _read_secret(key_file, "key file")
    out = sys.stdout.buffer
    try:
        if do_restore:
            _restore_mode(files, out, key, mapping)
        elif jsonl:
            if mapping_out is not None or mapping is not None:
                raise RedactionError(
                    "with --jsonl each line is its own document and its output carries its own "
                    '"mapping": drop --mapping-out/--mapping'
                )
            for path in _inputs(files):
                with _open(path) as (stream, name):
                    _jsonl(stream, name, out, detect, operator.value, key, lang.value, kept)
        else:
            _text_mode(
                files, out, lang.value, operator.value, key, detect, mapping, mapping_out, kept
            )
        out.flush()
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): nothing left to do, no traceback.
        # Point stdout at /dev/null so the interpreter's final flush fails quietly
        # (the recipe of Python's signal module documentation).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(0) from None


def _kept_terms(
    recipient: str | None,
    purpose: str | None,
    operator: str,
    config: Path | None,
    keep: tuple[str, ...],
    no_output_to_send: bool,
) -> tuple[str, ...]:
    """The terms to keep (the declaration's, then ``--keep``), after refusing,
    before any input is read, a disclosure the declaration does not allow."""
    from gardien.declaration import load_valid
    from gardien.redact.service import RedactionAsk, plan
    from gardien.settings import Settings

    if recipient is not None and no_output_to_send:
        raise RedactionError(
            "--recipient checks text about to be sent: it goes with redaction, "
            "not with --detect or --restore"
        )
    needs_declaration = recipient is not None or config is not None
    declaration = (
        load_valid(Settings.from_env(None, config=config).config) if needs_declaration else None
    )
    ask = RedactionAsk(operator=operator, recipient=recipient, purpose=purpose, keep=keep)
    return plan(declaration, ask).keep


def _text_mode(
    files: list[Path] | None,
    out: BinaryIO,
    lang: str,
    operator: str,
    key: bytes | None,
    detect: bool,
    mapping: Path | None,
    mapping_out: Path | None,
    keep: tuple[str, ...],
) -> None:
    if operator == OperatorChoice.reversible and mapping_out is None and not detect:
        raise RedactionError(
            "the reversible operator needs --mapping-out FILE to keep the sealed mapping "
            "(without it the text could never be restored)"
        )
    previous = _read_secret(mapping, "mapping")
    redactor = Redactor(
        operator,
        key,
        lang,
        mapping=previous.decode("ascii", "replace") if previous is not None else None,
        keep=keep,
    )
    offset = 0
    for path in _inputs(files):
        with _open(path) as (stream, name):
            for paragraph in iter_paragraphs(iter_text(stream, name)):
                if detect:
                    for span in redactor.detect(paragraph):
                        _json_line(out, span.shifted(offset).as_dict())
                else:
                    _write(out, redactor.feed(paragraph)[0])
                offset += len(paragraph)
    sealed = redactor.mapping()
    if sealed is not None and mapping_out is not None and not detect:
        try:
            mapping_out.write_text(sealed + "\n", encoding="ascii")
        except OSError as exc:
            raise RedactionError(f"cannot write {mapping_out}: {exc.strerror}") from None


def _restore_mode(
    files: list[Path] | None, out: BinaryIO, key: bytes | None, mapping: Path | None
) -> None:
    sealed = _read_secret(mapping, "mapping")
    if sealed is None or key is None:
        raise RedactionError("--restore needs --mapping FILE and --key-file FILE")
    text_mapping = sealed.decode("ascii", "replace")
    for path in _inputs(files):
        with _open(path) as (stream, name):
            # Placeholders never span paragraphs, so pieces can be restored one by one.
            for paragraph in iter_paragraphs(iter_text(stream, name)):
                _write(out, restore(paragraph, text_mapping, key))
