"""``export_register``: the Art. 30 register written as CSV, Markdown, XLSX or JSON.

The register is written in one language the notice is published in (``lang``,
default the first of ``notice.languages``): its headings, its title and every value.
Every format is deterministic for a given declaration and date, so that a
register can be kept under version control and compared: the XLSX archive
carries the register's date, not the time it was written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from typing import Literal, get_args

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from gardien.declaration.models import Declaration
from gardien.errors import RenderError
from gardien.notice import register_labels as rl
from gardien.notice import wording
from gardien.notice.environment import markdown_escape
from gardien.notice.notice import notice_date, notice_version
from gardien.notice.register import COLUMNS, Cell, register_language, register_rows
from gardien.notice.vocabulary import Lang

RegisterFormat = Literal["csv", "md", "xlsx", "json"]

_WIDE = {"purposes", "legal_basis", "data_categories", "retention", "recipients", "transfers"}
_CORE_MODIFIED = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")


def _joined(cell: Cell, separator: str) -> str:
    return cell if isinstance(cell, str) else separator.join(cell)


def _csv(rows: list[dict[str, Cell]], lang: Lang) -> bytes:
    out = io.StringIO(newline="")
    # RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or newline.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header_in(lang) for c in COLUMNS])
    for row in rows:
        writer.writerow([_joined(row[c.key], "; ") for c in COLUMNS])
    # The BOM makes Excel read the file as UTF-8 rather than the local code page.
    return out.getvalue().encode("utf-8-sig")


def _date(date: dt.date, lang: Lang) -> str:
    """The register's date under its title: ISO in French (as it always was), written out
    in English and German ("1 November 2026", "1. November 2026")."""
    return date.isoformat() if lang == "fr" else wording.format_date(date, lang)


def _markdown(
    declaration: Declaration, rows: list[dict[str, Cell]], date: dt.date, lang: Lang
) -> bytes:
    def cell(value: Cell) -> str:
        return markdown_escape(_joined(value, rl.SEMICOLON[lang])) or "—"

    intro = rl.INTRO[lang].format(
        controller=markdown_escape(declaration.controller.name), date=_date(date, lang)
    )
    lines = [
        f"# {rl.TITLE[lang]}",
        "",
        intro,
        "",
        "| " + " | ".join(c.header_in(lang) for c in COLUMNS) + " |",
        "|" + " --- |" * len(COLUMNS),
    ]
    lines += ["| " + " | ".join(cell(row[c.key]) for c in COLUMNS) + " |" for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _json(
    declaration: Declaration, rows: list[dict[str, Cell]], date: dt.date, lang: Lang
) -> bytes:
    document = {
        "register": "GDPR Article 30(1) record of processing activities",
        "controller": declaration.controller.name,
        "version": notice_version(declaration),
        "date": date.isoformat(),
        "columns": {c.key: c.header_in(lang) for c in COLUMNS},
        "activities": [
            {k: list(v) if isinstance(v, tuple) else v for k, v in r.items()} for r in rows
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _xlsx(rows: list[dict[str, Cell]], date: dt.date, lang: Lang) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = rl.SHEET[lang]
    sheet.append([c.header_in(lang) for c in COLUMNS])
    for row in rows:
        sheet.append([_joined(row[c.key], "\n") for c in COLUMNS])
    header_fill = PatternFill("solid", fgColor="DDE4EE")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 50 if column.key in _WIDE else 28
    # The header row and the activity names stay in view while scrolling.
    sheet.freeze_panes = "B2"
    moment = dt.datetime.combine(date, dt.time())
    workbook.properties.creator = "gardien"
    workbook.properties.created = moment
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _pin_archive(buffer.getvalue(), moment)


def _pin_archive(data: bytes, moment: dt.datetime) -> bytes:
    """The same archive with every timestamp set to ``moment``, so bytes are reproducible.

    openpyxl stamps the document's modified time and each zip entry with the
    current time; both are replaced by the register's date.
    """
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_MODIFIED.sub(
                    rb"<dcterms:modified\1>" + stamp + rb"</dcterms:modified>", content
                )
            pinned = zipfile.ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            pinned.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(pinned, content)
    return out.getvalue()


def export_register(
    declaration: Declaration,
    fmt: RegisterFormat,
    *,
    date: dt.date | None = None,
    lang: str | None = None,
) -> bytes:
    """The Art. 30(1) register, one row per purpose, in ``fmt``, dated ``date``
    (default: the notice's effective date, else today), written in ``lang`` (default:
    the first of ``notice.languages``; a language the notice is not published in is a
    ``RenderError``, raised before anything is produced)."""
    if fmt not in get_args(RegisterFormat):
        raise RenderError(f'no register format "{fmt}": choose csv, md, xlsx or json')
    language = register_language(declaration, lang)
    date = date or notice_date(declaration) or dt.date.today()
    rows = register_rows(declaration, date, language)
    if fmt == "csv":
        return _csv(rows, language)
    if fmt == "md":
        return _markdown(declaration, rows, date, language)
    if fmt == "json":
        return _json(declaration, rows, date, language)
    return _xlsx(rows, date, language)
