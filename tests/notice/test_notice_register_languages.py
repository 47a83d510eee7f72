"""The Art. 30 register in the controller's languages: French, English or German.

The German association (``tests/declaration/data/verein_de.yaml``) publishes in English
and German: its register is English by default and German on request, with the
headings a German DPO expects and every value (legal bases, retention sentences,
recipient roles, "none", built-in labels) in German; no French word in any cell. Its
German and English registers were read row by row and are pinned as golden files
(regenerate with ``GARDIEN_UPDATE_GOLDEN=1`` and review the diff). A French
declaration's register is unchanged (the goldens of ``test_notice_register``,
``test_notice_golden`` and ``test_notice_examples`` pin it); a language the declaration
does not publish is refused before anything is written.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from test_notice_examples import _golden

from gardien.declaration import load_valid
from gardien.declaration.models import (
    Art9Condition,
    DataForm,
    DataSourceKind,
    Declaration,
    LegalBasis,
    RecipientRole,
    RetentionEvent,
    SpecialCategory,
    TransferSafeguard,
)
from gardien.errors import RenderError
from gardien.notice import COLUMNS, export_register
from gardien.notice import register_labels as rl
from gardien.notice import vocabulary as v
from gardien.notice.register import register_rows
from gardien.notice.register_formats import RegisterFormat

VEREIN = Path(__file__).parents[1] / "declaration" / "data" / "verein_de.yaml"
FIXTURES = Path(__file__).parent / "fixtures"
FORMATS: tuple[RegisterFormat, ...] = ("csv", "md", "xlsx", "json")

#: Words and phrases of the French register; none may appear in an English or German one.
FRENCH = (
    "Exécution",
    "Consentement",
    "Obligation légale",
    "Intérêt légitime",
    "puis suppression",
    "puis archivage",
    "Jusqu'à",
    "à compter",
    "Sous-traitants",
    "Destinataires",
    "Aucun",
    "Non",
    "Oui",
    "Collecte directe",
    "données",
    "Données",
    "traitement",
    "Registre",
    "Responsable",
    "Finalité",
    "Base légale",
    "art. 6.1",
    "RGPD",
)


@cache
def _verein() -> Declaration:
    return load_valid(VEREIN)


def _activities(declaration: Declaration, lang: str | None = None) -> list[dict[str, Any]]:
    document = json.loads(export_register(declaration, "json", lang=lang))
    activities: list[dict[str, Any]] = document["activities"]
    return activities


def _row(activities: list[dict[str, Any]], reference: str) -> dict[str, Any]:
    return next(a for a in activities if a["reference"] == reference)


def _cells(activity: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for key, value in activity.items():
        for text in value if isinstance(value, list) else [value]:
            yield key, text


def _french_in(text: str) -> list[str]:
    words = text.replace(",", " ").replace(":", " ").replace("(", " ").split()
    return [f for f in FRENCH if (f in text if " " in f or "'" in f else f in words)]


# The German register, row by row --------------------------------------------------------


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_reviewed_registers_of_the_german_association(lang: str) -> None:
    _golden(f"verein-de.register.{lang}.md", export_register(_verein(), "md", lang=lang))


@pytest.mark.parametrize("lang", ["de", "en"])
def test_no_cell_of_the_german_association_s_register_is_french(lang: str) -> None:
    for activity in _activities(_verein(), lang):
        found = [(key, text) for key, text in _cells(activity) if _french_in(text)]
        assert found == [], f"{activity['reference']}: French in {found}"


def test_the_german_register_reads_as_a_german_dpo_expects() -> None:
    rows = _activities(_verein(), "de")
    membership = _row(rows, "membership")
    assert membership["name"] == "Mitgliederverwaltung"
    assert membership["legal_basis"] == "Vertragserfüllung (Art. 6 Abs. 1 lit. b DSGVO)"
    assert membership["data_subjects"] == ["Mitglieder"]
    assert membership["data_categories"][:3] == ["Name", "Postanschrift", "E-Mail-Adresse"]
    assert membership["sensitive_data"] == "Nein"
    # The register speaks of the person, not to them ("unserer Beziehung zu Ihnen").
    assert membership["retention"] == (
        "Bis zum Ende der Beziehung zur betroffenen Person, anschließend 3 Jahre Aufbewahrung "
        "mit eingeschränktem Zugriff (Grund: Abwehr von Ansprüchen aus der Mitgliedschaft "
        "innerhalb der regelmäßigen Verjährungsfrist nach § 195 BGB), danach Löschung."
    )
    assert membership["recipients"] == [
        "Auftragsverarbeiter: Beispiel Hosting GmbH (Hosting unserer Website und "
        "Mitgliederdatenbank)",
        "Dritte: unsere Hausbank (Einzug der Mitgliedsbeiträge per SEPA-Lastschrift, "
        "eigenständig Verantwortlicher)",
    ]
    assert membership["transfers"] == ["Keine"]
    assert membership["security_measures"] == [
        "Verschlüsselte Verbindungen (TLS)",
        "Zugriff auf die Mitgliederdatenbank nur für den Vorstand",
    ]
    assert membership["sources"] == ["Direkterhebung bei der betroffenen Person"]
    donations = _row(rows, "donations")
    # The law imposing the obligation is cited with the article, "in Verbindung mit".
    assert donations["legal_basis"] == (
        "Rechtliche Verpflichtung (Art. 6 Abs. 1 lit. c DSGVO i. V. m. § 147 Abgabenordnung "
        "(AO) und § 50 Einkommensteuer-Durchführungsverordnung (EStDV))"
    )
    assert donations["retention"] == "10 Jahre nach dem Ende des Geschäftsjahres, danach Löschung."
    assert donations["recipients"] == [
        "Dritte: das zuständige Finanzamt (Steuerliche Prüfung des Vereins, Behörde)"
    ]
    newsletter = _row(rows, "newsletter")
    assert newsletter["legal_basis"] == "Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)"
    assert newsletter["retention"] == "Bis zum Widerruf der Einwilligung, danach Löschung."
    website = _row(rows, "website")
    assert website["legal_basis"] == (
        "Berechtigte Interessen (Art. 6 Abs. 1 lit. f DSGVO): Stabile Auslieferung unserer "
        "Website sowie Erkennung und Abwehr von Angriffen"
    )
    assert website["retention"] == "14 Tage nach der Erhebung, danach Löschung."


def test_the_english_register_of_the_german_association() -> None:
    rows = _activities(_verein(), "en")
    membership = _row(rows, "membership")
    assert membership["legal_basis"] == "Contract (Art. 6(1)(b) GDPR)"
    assert membership["retention"].startswith("Until the end of the relationship, then kept")
    assert membership["recipients"][1] == (
        "Third parties: our bank (Collecting membership fees by SEPA direct debit, "
        "independent controller)"
    )
    assert membership["sensitive_data"] == "No"
    assert membership["transfers"] == ["None"]
    assert membership["sources"] == ["Collected directly from the data subject"]
    donations = _row(rows, "donations")
    assert donations["legal_basis"] == (
        "Legal obligation (Art. 6(1)(c) GDPR) under Section 147 of the German Fiscal Code "
        "(Abgabenordnung) and Section 50 of the Income Tax Implementing Ordinance (EStDV)"
    )


def test_the_operations_of_a_purpose_each_have_their_basis_in_german() -> None:
    shapes = load_valid(FIXTURES / "verein-de-shapes.yaml")
    membership = _row(_activities(shapes, "de"), "membership")
    assert membership["legal_basis"] == [
        "Aufnahme und Führung der Mitgliederliste: Vertragserfüllung (Art. 6 Abs. 1 lit. b DSGVO)",
        "Beitragseinzug und Buchführung: Rechtliche Verpflichtung (Art. 6 Abs. 1 lit. c DSGVO "
        "i. V. m. § 147 Abgabenordnung (AO))",
        "Glückwünsche zu runden Geburtstagen in unserem Mitteilungsblatt: Berechtigte "
        "Interessen (Art. 6 Abs. 1 lit. f DSGVO): Pflege des Zusammenhalts unter den "
        "Mitgliedern",
    ]
    readings = _row(_activities(shapes, "de"), "readings")
    assert readings["retention"].startswith(
        "Für Gäste unserer Lesungen: 6 Monate nach der Lesung, danach Löschung. Für alle "
        "übrigen Personen: bis zum Ende der Beziehung zur betroffenen Person"
    )
    for activity in [*_activities(shapes, "de"), *_activities(shapes, "en")]:
        assert [t for _, t in _cells(activity) if _french_in(t)] == []


# Every format, in each language ----------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en", "de"])
def test_every_column_has_a_heading_in_each_language(lang: str) -> None:
    headings = [c.header_in(lang) for c in COLUMNS]  # type: ignore[arg-type]
    assert all(headings) and len(set(headings)) == len(COLUMNS)
    if lang == "fr":
        assert headings == [c.header for c in COLUMNS]
    else:
        assert not [h for h in headings if _french_in(h)]


def test_the_german_headings_are_those_of_a_verzeichnis() -> None:
    german = {c.key: c.german for c in COLUMNS}
    assert german["name"] == "Bezeichnung der Verarbeitungstätigkeit"
    assert german["controller"] == "Verantwortlicher"
    assert german["purposes"] == "Zwecke der Verarbeitung"
    assert german["legal_basis"] == "Rechtsgrundlage"
    assert german["data_subjects"] == "Kategorien betroffener Personen"
    assert german["data_categories"] == "Kategorien personenbezogener Daten"
    assert german["retention"] == "Löschfristen"
    assert german["recipients"] == "Kategorien von Empfängern"
    assert german["security_measures"].startswith("Technische und organisatorische Maßnahmen")
    assert german["sources"] == "Herkunft der Daten"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_csv_xlsx_and_json_carry_the_language_s_headings(lang: str) -> None:
    headings = [c.header_in(lang) for c in COLUMNS]  # type: ignore[arg-type]
    data = export_register(_verein(), "csv", lang=lang)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == headings
    assert [r[1] for r in rows[1:]] == list(_verein().purposes)
    german_csv = [cell for row in rows[1:] for cell in row]
    assert not [c for c in german_csv if _french_in(c)]
    book = openpyxl.load_workbook(io.BytesIO(export_register(_verein(), "xlsx", lang=lang)))
    sheet = book.active
    assert sheet.title == rl.SHEET[lang]  # type: ignore[index]
    assert [c.value for c in sheet[1]] == headings
    assert not [
        c
        for row in sheet.iter_rows(min_row=2, values_only=True)
        for c in row
        if c and _french_in(c)
    ]
    document = json.loads(export_register(_verein(), "json", lang=lang))
    # The keys stay language-neutral; only the headings they map to change.
    assert list(document["columns"]) == [c.key for c in COLUMNS]
    assert list(document["columns"].values()) == headings
    assert document["register"] == "GDPR Article 30(1) record of processing activities"


def test_the_german_markdown_title_and_date() -> None:
    text = export_register(_verein(), "md", lang="de").decode("utf-8")
    assert text.startswith(
        "# Verzeichnis von Verarbeitungstätigkeiten (Art. 30 Abs. 1 DSGVO)\n\n"
        "Verantwortlicher: Lesekreis Altstadt e. V. — Stand: 1. November 2026.\n"
    )


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", ["de", "en"])
def test_each_language_is_reproducible(fmt: RegisterFormat, lang: str) -> None:
    assert export_register(_verein(), fmt, lang=lang) == export_register(_verein(), fmt, lang=lang)


# Which language by default, which are refused -------------------------------------------


def test_the_default_is_the_first_published_language() -> None:
    # [en, de]: English first.
    assert export_register(_verein(), "json") == export_register(_verein(), "json", lang="en")


def _english_only(tmp_path: Path) -> Path:
    data = yaml.safe_load(VEREIN.read_text("utf-8"))
    data["notice"]["languages"] = ["en"]
    path = tmp_path / "en-only.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def test_a_declaration_published_in_english_only_has_an_english_register(
    tmp_path: Path,
) -> None:
    declaration = load_valid(_english_only(tmp_path))
    text = export_register(declaration, "md").decode("utf-8")
    assert text.startswith("# Record of processing activities\n")
    assert "| Name of the processing activity | Reference |" in text
    assert "Contract (Art. 6(1)(b) GDPR)" in text
    assert not _french_in(text)
    # Its texts are written in German too, but it does not publish in German.
    with pytest.raises(RenderError, match=r'does not publish in "de" \(notice.languages: \[en\]\)'):
        export_register(declaration, "md", lang="de")


def test_a_french_declaration_s_register_is_french_by_default(declaration: Declaration) -> None:
    assert export_register(declaration, "csv") == export_register(declaration, "csv", lang="fr")
    assert export_register(declaration, "md").startswith(
        b"# Registre des activit\xc3\xa9s de traitement"
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_language_not_published_is_refused_in_every_format(
    declaration: Declaration, fmt: RegisterFormat
) -> None:
    with pytest.raises(RenderError) as raised:
        export_register(declaration, fmt, lang="de")
    message = str(raised.value)
    assert 'does not publish in "de" (notice.languages: [fr, en])' in message
    assert "choose one of fr, en" in message
    with pytest.raises(RenderError, match='no register in language "es": choose "fr", "en"'):
        export_register(declaration, fmt, lang="es")


def test_register_rows_refuses_too(declaration: Declaration) -> None:
    import datetime as dt

    with pytest.raises(RenderError, match='does not publish in "de"'):
        register_rows(declaration, dt.date(2026, 1, 1), "de")


# Every value of the register's vocabulary, in English and German --------------------------

_VALUES: list[tuple[Any, Any]] = [
    *((v.LEGAL_BASES_SHORT, b) for b in LegalBasis),
    *((v.REGISTER_ROLE_GROUPS, r) for r in RecipientRole),
    *((v.ROLES, r) for r in RecipientRole),
    *((v.SAFEGUARDS, s) for s in TransferSafeguard),
    *((v.SPECIAL_CATEGORIES, s) for s in SpecialCategory),
    *((v.DATA_FORMS, f) for f in DataForm if f is not DataForm.IDENTIFIED),
    *((v.EVENTS, e) for e in RetentionEvent),
]


@pytest.mark.parametrize(("table", "value"), _VALUES, ids=[str(v) for _, v in _VALUES])
def test_every_value_the_register_prints_has_its_own_german_and_english(
    table: v.Terms, value: str
) -> None:
    french = v.term(table, value, "fr")
    for lang in ("en", "de"):
        text = v.term(table, value, lang)
        german = v.german_table(table) or {}
        assert str(value) in (german if lang == "de" else table), f"{value}: no {lang} wording"
        assert text != french and not _french_in(text), (lang, text)


@pytest.mark.parametrize("condition", list(Art9Condition))
def test_every_art9_condition_is_said_of_the_person_in_english_and_german(
    condition: Art9Condition,
) -> None:
    for lang in ("en", "de"):
        text = rl.ART9_CONDITIONS[lang][condition]  # type: ignore[index]
        assert "Art. 9" in text and not _french_in(text)
        assert not {"you", "your", "Sie", "Ihre", "Ihrer", "Ihnen"} & set(text.split())


_FRENCH_SECOND_PERSON = {"vous", "votre", "vos", "nos", "notre"}


@pytest.mark.parametrize("condition", list(Art9Condition))
def test_every_art9_condition_in_the_french_register_is_said_of_the_person(
    condition: Art9Condition,
) -> None:
    """The register is the controller's record for the authority: it speaks of "la
    personne concernée", where the notice says "votre consentement explicite"."""
    text = rl.ART9_CONDITIONS["fr"].get(condition) or v.term(v.ART9_CONDITIONS, condition, "fr")  # type: ignore[index]
    assert "article 9.2." in text
    assert not _FRENCH_SECOND_PERSON & set(text.replace("'", " ").split()), text


@pytest.mark.parametrize("kind", list(DataSourceKind))
def test_every_source_in_the_french_register_is_said_of_the_person(kind: DataSourceKind) -> None:
    text = rl.SOURCE_KINDS["fr"].get(kind) or v.term(v.SOURCE_KINDS, kind, "fr")  # type: ignore[index]
    assert not _FRENCH_SECOND_PERSON & set(text.split()), text


@pytest.mark.parametrize("kind", list(DataSourceKind))
def test_every_source_is_said_of_the_person_in_english_and_german(kind: DataSourceKind) -> None:
    for lang in ("en", "de"):
        text = rl.SOURCE_KINDS[lang][kind]  # type: ignore[index]
        assert not {"you", "Ihnen"} & set(text.split())


# Any legal basis, role, place, safeguard, source or special category ----------------------

_COUNTRIES = ["DE", "FR", "US", "JP", "IN"]


@settings(max_examples=40, deadline=None)
@given(
    basis=st.sampled_from([b for b in LegalBasis if b is not LegalBasis.CONSENT]),
    role=st.sampled_from(list(RecipientRole)),
    country=st.sampled_from(_COUNTRIES),
    safeguard=st.none() | st.sampled_from(list(TransferSafeguard)),
    receives=st.sampled_from(list(DataForm)),
    source=st.none() | st.sampled_from(list(DataSourceKind)),
    condition=st.none() | st.sampled_from(list(Art9Condition)),
    lang=st.sampled_from(["en", "de"]),
)
def test_no_french_in_any_register_cell_whatever_is_declared(
    basis: LegalBasis,
    role: RecipientRole,
    country: str,
    safeguard: TransferSafeguard | None,
    receives: DataForm,
    source: DataSourceKind | None,
    condition: Art9Condition | None,
    lang: str,
) -> None:
    data = yaml.safe_load(VEREIN.read_text("utf-8"))
    purpose = data["purposes"]["website"]
    purpose["legal_basis"] = str(basis)
    purpose["legal_reference"] = {"en": "Section 1 of a law", "de": "§ 1 eines Gesetzes"}
    if condition is not None:
        data["data_categories"]["user.health"] = {
            "parent": "user",
            "special": "health",
            "label": {"en": "Health notes", "de": "Gesundheitsangaben"},
        }
        purpose["categories"].append("user.health")
        purpose["special_category_condition"] = str(condition)
    if source is not None:
        purpose["sources"] = [
            {"kind": str(source), "description": {"en": "A list", "de": "Eine Liste"}}
        ]
    recipient = data["recipients"]["hosting"]
    recipient.update({"role": str(role), "country": country, "receives": str(receives)})
    if role is RecipientRole.PUBLIC:  # anyone who reads what is published: no place
        del recipient["country"]
    elif safeguard is not None:
        recipient["safeguard"] = str(safeguard)
    declaration = Declaration.model_validate(data)
    activity = _row(_activities(declaration, lang), "website")
    assert [(k, t) for k, t in _cells(activity) if _french_in(t)] == []
    if condition is not None:
        assert activity["sensitive_data"] == f"{rl.SPECIAL_FOUND[lang]}" + v.term(  # type: ignore[index]
            v.SPECIAL_CATEGORIES,
            "health",
            lang,  # type: ignore[arg-type]
        )


_SECOND_PERSON = {"de": {"Sie", "Ihnen", "Ihr", "Ihre", "Ihrer"}, "en": {"you", "your"}}


@pytest.mark.parametrize("event", list(RetentionEvent))
@pytest.mark.parametrize("field", ["after", "until"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_no_retention_sentence_of_the_register_speaks_to_the_person(
    event: RetentionEvent, field: str, lang: str
) -> None:
    data = yaml.safe_load(VEREIN.read_text("utf-8"))
    rule: dict[str, Any] = {"then": "delete"}
    rule.update({"duration": "1 year", "after": str(event)} if field == "after" else {})
    rule.update({"until": str(event)} if field == "until" else {})
    data["retention"]["newsletter"] = rule
    declaration = Declaration.model_validate(data)
    retention = _row(_activities(declaration, lang), "newsletter")["retention"]
    words = set(retention.replace(",", " ").replace(".", " ").split())
    assert words & _SECOND_PERSON[lang] == set(), retention


def test_docs_list_every_column_in_the_three_languages() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "register.md").read_text("utf-8")
    for column in COLUMNS:
        row = f"| {column.header} | {column.english} | {column.german} | `{column.key}` |"
        assert row in docs, f"docs/register.md lacks the row of {column.key}: {row}"


def test_a_french_company_s_english_register_describes_its_legal_form_in_english() -> None:
    sme = load_valid(FIXTURES / "sme-fr.yaml")
    english = _activities(sme, "en")[0]["controller"]
    assert english.startswith(
        "Atelier Gaudin, SARL (limited liability company) with a share capital of €20,000, "
    )
    assert "au capital" not in english
    assert "SARL au capital de 20 000 €" in _activities(sme, "fr")[0]["controller"]
    for activity in _activities(sme, "en"):
        assert [t for _, t in _cells(activity) if _french_in(t)] == []
