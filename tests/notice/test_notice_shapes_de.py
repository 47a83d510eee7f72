"""The German notice prints every shape real policies have, as a German lawyer writes it.

The German association of ``tests/declaration/data/verein_de.yaml``, extended with every
shape (``fixtures/verein-de-shapes.yaml``: operations, events of its own, data kept
without time limit, retention per kind of person, recipients by region, the public, the
data each recipient receives, contact channels, identity checked on doubt), publishes in
English and German. Its German notice was read sentence by sentence and is pinned as a
golden file (regenerate with ``GARDIEN_UPDATE_GOLDEN=1`` and review the diff); the other
tests read the sentence each shape makes, and check that the German notice states
everything the English one states, from the same declared paths: nothing is left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from notice_helpers import visible_text
from test_notice_examples import _golden
from test_notice_provenance import _STRUCTURE

from gardien.declaration import load_valid
from gardien.declaration.models import CompanyEvent, Declaration, RetentionRule
from gardien.declaration.transparency import TransparencyItem
from gardien.declaration.values import Text
from gardien.notice import ART_13_14_ITEMS, render_notice, shapes
from gardien.notice import vocabulary as v
from gardien.notice.items_de import GERMAN_PHRASES
from gardien.notice.provenance import (
    marked_notice,
    notice_blocks,
    outside_blocks,
    undeclared_sources,
    unmarked,
)
from gardien.notice.wording import retention_sentence
from gardien.notice.wording_de import after_colon

SHAPES = Path(__file__).parent / "fixtures" / "verein-de-shapes.yaml"


@cache
def _verein() -> Declaration:
    return load_valid(SHAPES)


def _notice(declaration: Declaration, lang: str = "de", fmt: str = "md") -> str:
    text = render_notice(declaration, lang, fmt)  # type: ignore[arg-type]
    return visible_text(text, fmt) if fmt == "html" else text


def _changed(**changes: Any) -> Declaration:
    data = _verein().model_dump(by_alias=True, exclude_unset=True)
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[last] = value
    return Declaration.model_validate(data)


def _section(text: str, heading: str) -> str:
    return text.split(heading, 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_reviewed_german_notice_is_what_gardien_writes(fmt: str) -> None:
    produced = render_notice(_verein(), "de", fmt)  # type: ignore[arg-type]
    _golden(f"verein-de-shapes.notice.de.{fmt}", produced.encode("utf-8"))


# Nothing left out: the German notice states what the English one states ----------------


def test_german_cites_every_path_the_english_notice_cites() -> None:
    """A shape the German template forgot would leave its path uncited in German."""
    paths = {
        lang: {p for b in notice_blocks(_verein(), lang, "md") for p in b.paths}  # type: ignore[arg-type]
        for lang in ("en", "de")
    }
    assert paths["en"] - paths["de"] == set()
    assert paths["de"] == paths["en"]
    for shape in [
        "purposes.membership.operations.2",
        "purposes.readings.retention_by_subject",
        "retention.guests",
        "retention.chronicle",
        "recipients.readers",
        "rights.channels.2",
    ]:
        assert shape in paths["de"], shape
    laws = {s for b in notice_blocks(_verein(), "de", "md") for s in b.sources}
    assert "law:art-12-6" in laws


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_every_german_block_cites_only_what_is_declared(fmt: str) -> None:
    blocks = notice_blocks(_verein(), "de", fmt)  # type: ignore[arg-type]
    assert len(blocks) > 40
    assert undeclared_sources(_verein(), blocks) == []


def test_nothing_german_is_said_outside_a_block() -> None:
    """In Markdown, all that is not in a cited block is a heading or a table head: the
    operations tables, the note on the public and the channels are cited blocks too."""
    rest = outside_blocks(marked_notice(_verein(), "de", "md"))
    stray = [line for line in rest.splitlines() if line.strip() and not _STRUCTURE.match(line)]
    assert stray == []


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_marks_change_nothing_else_in_german(fmt: str) -> None:
    marked = marked_notice(_verein(), "de", fmt)  # type: ignore[arg-type]
    assert unmarked(marked) == render_notice(_verein(), "de", fmt)  # type: ignore[arg-type]


def test_both_formats_say_the_same_german_sentences() -> None:
    md = [b.text for b in notice_blocks(_verein(), "de", "md")]
    html = [b.text for b in notice_blocks(_verein(), "de", "html")]
    assert md == html


def test_no_raw_key_or_english_word_in_the_german_notice() -> None:
    """``term`` falls back to the raw key when a table has no German: none may show."""
    text = _notice(_verein())
    for raw in ["on doubt", "known details", "as purposes", "public", "eea", "For ", " or "]:
        assert raw not in text, raw
    assert re.search(r"\b(eu|form|website|phone)\b", text) is None


def test_the_german_notice_writes_every_item_of_the_checklist() -> None:
    for fmt in ("md", "html"):
        text = _notice(_verein(), fmt=fmt).replace("**", "")
        for item in ART_13_14_ITEMS:
            phrase, absent = GERMAN_PHRASES[item.key]
            if item.applies(_verein()):
                assert phrase in text, (item.key, fmt)
            elif absent is not None:
                assert absent in text, (item.key, fmt)


# Each shape, in German ------------------------------------------------------------------


def test_operations_are_a_table_of_processing_steps_and_legal_bases() -> None:
    text = _notice(_verein())
    membership = text.split("### Mitgliederverwaltung", 1)[1].split("\n### ", 1)[0]
    assert (
        "- **Rechtsgrundlage:** Die einzelnen Verarbeitungsvorgänge beruhen auf jeweils "
        "eigenen Rechtsgrundlagen, die in der nachstehenden Tabelle aufgeführt sind."
    ) in membership
    assert "Mitgliederverwaltung: Verarbeitungsvorgänge und Rechtsgrundlagen" in membership
    assert "| Verarbeitungsvorgang | Rechtsgrundlage | Erläuterungen |" in membership
    assert (
        "| Beitragseinzug und Buchführung | die Erfüllung einer rechtlichen Verpflichtung, der "
        "wir unterliegen (Art. 6 Abs. 1 lit. c DSGVO) | Rechtsvorschrift: § 147 "
        "Abgabenordnung (AO); Daten: Name, Bankverbindung, Mitgliedschaftsdaten |"
    ) in membership
    assert (
        "| Glückwünsche zu runden Geburtstagen in unserem Mitteilungsblatt | unsere "
        "berechtigten Interessen (Art. 6 Abs. 1 lit. f DSGVO) | Berechtigtes Interesse: "
        "Pflege des Zusammenhalts unter den Mitgliedern; Daten: Name, Geburtsdatum |"
    ) in membership
    # The summary names each basis of the purpose once.
    assert (
        "| Mitgliederverwaltung | die Erfüllung eines Vertrags mit Ihnen oder die Durchführung "
        "vorvertraglicher Maßnahmen auf Ihre Anfrage (Art. 6 Abs. 1 lit. b DSGVO); die "
        "Erfüllung einer rechtlichen Verpflichtung, der wir unterliegen (Art. 6 Abs. 1 lit. c "
        "DSGVO); unsere berechtigten Interessen (Art. 6 Abs. 1 lit. f DSGVO) |"
    ) in text


def test_operations_on_one_basis_say_that_basis_once() -> None:
    operations = [
        {"name": {"en": "Admission", "de": "Aufnahme"}, "legal_basis": "contract"},
        {"name": {"en": "Invitations", "de": "Einladungen"}, "legal_basis": "contract"},
    ]
    text = _notice(_changed(purposes__membership__operations=operations))
    assert (
        "- **Rechtsgrundlage:** die Erfüllung eines Vertrags mit Ihnen oder die Durchführung "
        "vorvertraglicher Maßnahmen auf Ihre Anfrage (Art. 6 Abs. 1 lit. b DSGVO), für jeden "
        "der in der nachstehenden Tabelle aufgeführten Verarbeitungsvorgänge."
    ) in text


def test_objection_names_the_operations_it_applies_to() -> None:
    text = _notice(_verein())
    assert (
        "- **Widerspruch:** Sie können den folgenden Verarbeitungsvorgängen aus Gründen, die "
        "sich aus Ihrer besonderen Situation ergeben, widersprechen: Glückwünsche zu runden "
        "Geburtstagen in unserem Mitteilungsblatt."
    ) in text
    objection = _section(text, "## Ihr Widerspruchsrecht nach Art. 21 DSGVO")
    assert (
        "Dies betrifft folgende Verarbeitungen: Mitgliederverwaltung (Glückwünsche zu runden "
        "Geburtstagen in unserem Mitteilungsblatt), Vereinschronik, Betrieb unserer Website."
    ) in objection


def test_retention_per_kind_of_person_events_of_its_own_and_without_limit() -> None:
    text = _notice(_verein())
    assert (
        "- **Speicherdauer:** für Gäste unserer Lesungen: 6 Monate nach der Lesung, danach "
        "Löschung. Für alle übrigen Personen: bis zum Ende unserer Beziehung zu Ihnen,"
    ) in text
    assert (
        "| Veröffentlichung Ihrer Buchbesprechungen | Bis zur Rücknahme der Buchbesprechung "
        "durch Sie, längstens jedoch 5 Jahre nach der Erhebung, danach Löschung. |"
    ) in text
    assert (
        "| Vereinschronik | Ohne zeitliche Begrenzung. Grund: Die Chronik hält die Geschichte "
        "des Vereins für seine Mitglieder und die Öffentlichkeit dauerhaft fest. |"
    ) in text
    assert "- **Speicherdauer:** ohne zeitliche Begrenzung. Grund: Die Chronik hält" in text


def test_recipients_by_region_the_public_and_the_data_they_receive() -> None:
    text = _notice(_verein())
    assert "| Empfänger | Funktion | Leistung | Land bzw. Region | Empfangene Daten |" in text
    assert (
        "| Unsere IT-Dienstleister in der EU | Auftragsverarbeiter | Hosting unserer Website "
        "und Mitgliederdatenbank | Europäische Union | Daten der jeweiligen Verarbeitungen |"
    ) in text
    assert "| Europäischer Wirtschaftsraum | Name, Postanschrift |" in text
    assert (
        "| Die Besucher unserer Website | veröffentlichte Inhalte | Lektüre der veröffentlichten "
        "Buchbesprechungen | — | Name, Buchbesprechungen (von Ihnen veröffentlicht) |"
    ) in text
    assert (
        "Was Sie selbst veröffentlichen (oben: „veröffentlichte Inhalte“), kann jeder "
        "einsehen, der Zugang dazu hat; darin liegt keine Übermittlung Ihrer Daten an einen "
        "bestimmten Empfänger."
    ) in text
    assert "die Besucher unserer Website (veröffentlichte Inhalte)" in text
    # A region inside the EEA is no transfer.
    assert "Wir übermitteln Ihre Daten nicht in Länder außerhalb des Europäischen" in text


def test_the_country_column_says_country_only_without_regions() -> None:
    data = _verein().model_dump(by_alias=True, exclude_unset=True)
    for recipient in data["recipients"].values():
        if "region" in recipient:
            recipient["country"] = "DE"
            del recipient["region"]
        recipient.pop("categories", None)
    text = _notice(Declaration.model_validate(data))
    assert "| Empfänger | Funktion | Leistung | Land |\n" in text
    assert "Empfangene Daten" not in text


def test_contact_channels_in_german() -> None:
    text = _notice(_verein())
    assert (
        "- per Post an: Lesekreis Altstadt e. V., Vorstand, Beispielweg 4, 80331 München;\n"
        "- über das Formular unter [https://www.lesekreis.example/kontakt]"
        "(<https://www.lesekreis.example/kontakt>) (Rubrik „Datenschutz“);\n"
        "- online unter [https://mitglieder.lesekreis.example/meine-daten]"
        "(<https://mitglieder.lesekreis.example/meine-daten>) (für Mitglieder nach der "
        "Anmeldung);\n"
        "- telefonisch unter +49 89 000000 (dienstags von 18 bis 20 Uhr).\n"
    ) in text
    email = _changed(rights__channels=[{"kind": "email", "value": "vorstand@lesekreis.example"}])
    assert (
        "- per E-Mail an [vorstand@lesekreis.example](<mailto:vorstand@lesekreis.example>).\n"
        in _notice(email)
    )


def test_identity_is_checked_only_on_reasonable_doubt() -> None:
    text = _notice(_verein())
    assert (
        "Nur wenn begründete Zweifel an Ihrer Person bestehen, prüfen wir vor der Bearbeitung "
        "Ihres Antrags Ihre Identität (Art. 12 Abs. 6 DSGVO); wir verlangen dann nur die "
        "Angaben, die zur Ausräumung dieser Zweifel erforderlich sind. In diesem Fall gilt: "
        "Sie fügen Ihrem Antrag dazu die Kopie eines Identitätsnachweises bei oder Sie "
        "beantworten dazu Fragen zu Angaben, die uns bereits über Sie vorliegen."
    ) in text
    alone = _changed(rights__verification="on_doubt")
    assert "erforderlich sind.\n" in _notice(alone)
    assert "In diesem Fall gilt" not in _notice(alone)
    # The Art. 13/14 checklist finds the identity check in the on-doubt sentence too.
    phrase, _ = GERMAN_PHRASES[TransparencyItem.IDENTITY_VERIFICATION]
    assert phrase in _notice(alone)
    systematic = _notice(_changed(rights__verification=["email_address_on_file"]))
    assert (
        "Damit wir Ihre Daten nur Ihnen offenlegen, prüfen wir vor der Bearbeitung Ihres "
        "Antrags Ihre Identität: Ihr Antrag muss uns dazu von der E-Mail-Adresse erreichen, "
        "die uns bekannt ist."
    ) in systematic
    assert "begründete Zweifel" not in systematic


def test_a_purpose_declaring_no_recipient_says_so_without_doubling_a_full_stop() -> None:
    chronicle = _notice(_verein()).split("### Vereinschronik", 1)[1].split("\n### ", 1)[0]
    assert "- **Empfänger:** keine externen Empfänger.\n" in chronicle


# The vocabulary: every French/English table has its German twin -------------------------


def _pair_tables(module: ModuleType) -> dict[str, Mapping[str, tuple[str, str]]]:
    """The module's tables of (French, English) wordings, found by their shape, so that a
    table added later is checked without being listed here."""
    found = {}
    for name, value in vars(module).items():
        if name.startswith("_") or not isinstance(value, Mapping) or not value:
            continue
        if all(
            isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(w, str) for w in pair)
            for pair in value.values()
        ):
            found[name] = value
    return found


@pytest.mark.parametrize("module", [v, shapes], ids=["vocabulary", "shapes"])
def test_every_french_english_table_has_its_german_twin(module: ModuleType) -> None:
    tables = _pair_tables(module)
    assert tables, "no table found: the discovery itself is broken"
    if module is shapes:
        assert set(tables) == {"REGIONS", "CHANNEL_LEADS", "AS_PURPOSES"}
    for name, table in tables.items():
        german = v.german_table(table)
        assert german is not None, f"{module.__name__}.{name} has no German table"
        assert set(german) == set(table), name
        for key in table:
            worded = v.term(table, key, "de")
            assert worded not in (v.term(table, key, "en"), key.replace("_", " ")), (name, key)


def test_a_table_without_german_is_caught() -> None:
    """The check above fails on a new table nobody gave German to."""
    orphan = {"x": ("un", "one")}
    assert v.german_table(orphan) is None
    assert v.term(orphan, "x", "de") == "x"


# German grammar of declared texts ---------------------------------------------------------

_NOUN = st.from_regex(r"[A-ZÄÖÜ][a-zäöüß]{2,12}", fullmatch=True)


@settings(max_examples=50, deadline=None)
@given(
    noun=_NOUN, article=st.sampled_from(["der", "dem"]), field=st.sampled_from(["after", "until"])
)
def test_a_company_event_is_written_in_the_dative_after_nach_and_bis_zu(
    noun: str, article: str, field: str
) -> None:
    """A company event's German label is a dative noun phrase with its article; "bis zu"
    contracts with it ("bis zur Rücknahme", "bis zum Ende")."""
    events = {"ev": CompanyEvent(label=Text(en="the event", de=f"{article} {noun}"))}
    if field == "after":
        rule = RetentionRule.model_validate({"duration": "2 years", "after": "ev"})
        assert retention_sentence(rule, "de", events).startswith(f"2 Jahre nach {article} {noun},")
    else:
        rule = RetentionRule.model_validate({"until": "ev"})
        contracted = {"der": "zur", "dem": "zum"}[article]
        assert retention_sentence(rule, "de", events).startswith(f"Bis {contracted} {noun},")


@settings(max_examples=50, deadline=None)
@given(noun=_NOUN, rest=st.from_regex(r"( [a-zäöüß]{2,10}){0,4}", fullmatch=True))
def test_the_reason_for_keeping_without_limit_keeps_its_nouns(noun: str, rest: str) -> None:
    rule = RetentionRule.model_validate({"indefinitely": {"en": "x", "de": f"{noun}{rest}"}})
    assert retention_sentence(rule, "de").startswith(
        f"Ohne zeitliche Begrenzung. Grund: {noun}{rest}."
    )
    assert after_colon(retention_sentence(rule, "de")).startswith("ohne zeitliche Begrenzung.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Für Gäste unserer Lesungen: 6 Monate", "für Gäste unserer Lesungen: 6 Monate"),
        ("Bis zum Ende unserer Beziehung", "bis zum Ende unserer Beziehung"),
        ("3 Jahre nach der Erhebung", "3 Jahre nach der Erhebung"),
        ("Gäste: 6 Monate", "Gäste: 6 Monate"),
    ],
)
def test_after_colon_lowers_only_gardiens_own_opening_words(text: str, expected: str) -> None:
    assert after_colon(text) == expected
