"""The Art. 30 register: one row per purpose in every format, CNIL headers, reproducible."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from gardien.declaration.models import Declaration
from gardien.errors import RenderError
from gardien.notice import COLUMNS, export_register

HEADERS = [c.header for c in COLUMNS]


def test_csv_has_bom_crlf_and_one_row_per_purpose(declaration: Declaration) -> None:
    data = export_register(declaration, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == HEADERS
    assert [r[1] for r in rows[1:]] == list(declaration.purposes)
    assert all(len(r) == len(COLUMNS) for r in rows)


def test_json_has_english_keys_and_one_activity_per_purpose(declaration: Declaration) -> None:
    document = json.loads(export_register(declaration, "json"))
    activities = document["activities"]
    assert [a["reference"] for a in activities] == list(declaration.purposes)
    assert all(list(a) == [c.key for c in COLUMNS] for a in activities)
    assert all(key.isascii() and key == key.lower() for key in activities[0])
    assert document["date"] == "2025-03-01"


def test_markdown_has_one_row_per_purpose(declaration: Declaration) -> None:
    lines = export_register(declaration, "md").decode("utf-8").splitlines()
    table = [line for line in lines if line.startswith("| ") and not line.startswith("| ---")]
    assert len(table) == 1 + len(declaration.purposes)
    assert all(line.count(" | ") == len(COLUMNS) - 1 for line in table[1:])


def test_xlsx_rows_header_style_and_frozen_panes(declaration: Declaration) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(export_register(declaration, "xlsx")))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert [r[1] for r in rows[1:]] == list(declaration.purposes)
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "B2"
    assert sheet.column_dimensions["A"].width >= 20


@pytest.mark.parametrize("fmt", ["csv", "md", "xlsx", "json"])
def test_every_format_is_reproducible(declaration: Declaration, fmt: str) -> None:
    assert export_register(declaration, fmt) == export_register(declaration, fmt)  # type: ignore[arg-type]


def row(declaration: Declaration, reference: str) -> dict[str, object]:
    activities = json.loads(export_register(declaration, "json"))["activities"]
    return next(a for a in activities if a["reference"] == reference)  # type: ignore[no-any-return]


def test_sensitive_data_transfers_and_recipients_are_filled(declaration: Declaration) -> None:
    accessibility = row(declaration, "accessibility")
    assert accessibility["sensitive_data"] == "Oui : données de santé"
    assert "consentement explicite" in str(accessibility["legal_basis"])
    account = row(declaration, "account")
    assert account["sensitive_data"] == "Non"
    assert any(
        "États-Unis" in t and "clauses contractuelles types" in t for t in account["transfers"]
    )  # type: ignore[attr-defined]
    assert any(r.startswith("Sous-traitants : OVHcloud") for r in account["recipients"])  # type: ignore[attr-defined]
    assert any(r.startswith("Destinataires internes") for r in account["recipients"])  # type: ignore[attr-defined]
    invoicing = row(declaration, "invoicing")
    assert any(r.startswith("Destinataires tiers") for r in invoicing["recipients"])  # type: ignore[attr-defined]
    assert invoicing["transfers"] == ["Aucun"]
    prospecting = row(declaration, "prospecting")
    assert "Annuaire Pro SAS" in " ".join(prospecting["sources"])  # type: ignore[arg-type]
    assert "dpo@exemple-analytique.fr" in str(account["dpo"])


def test_unknown_format_is_a_render_error(declaration: Declaration) -> None:
    with pytest.raises(RenderError, match="choose csv, md, xlsx or json"):
        export_register(declaration, "pdf")  # type: ignore[arg-type]
