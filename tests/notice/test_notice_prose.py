"""Every example notice, in both languages and formats, reads as a lawyer would sign it.

A declared text spliced into a template sentence must not bring its capital
letter after a connective (« pour Conserver », "to Keeping"), its final stop
before a comma (« cinq ans., puis »), or a second pair of parentheses; and an
English notice must not carry French outside proper names.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from notice_helpers import visible_text

from gardien.declaration import load_valid
from gardien.notice import render_notice
from gardien.notice.environment import clause, lower_first

EXAMPLES_DIR = Path(__file__).parents[2] / "examples"
EXAMPLES = ["viky", "ai-feedback", "amikeo", "activeviam", "komin"]

# A connective, then a word with a capital but no other capital in it (a name
# such as "LinkedIn", "SaaS" or "AMIKEO" keeps its capitals).
_CONNECTIVES = {
    "fr": r"\b(pour|À défaut,|afin de|puis|et|ou)\s",
    "en": r"\b(to|for|then|and|or|If you do not provide it,)\s",
}
_CAPITAL_AFTER = r"([A-ZÀÉÈ][a-zàâçéèêëîïôûùüÿœ'’]+)\b"
# A stop before a comma or semicolon, two stops, two colons, and doubled
# parentheses; "(Article 21(2) and (3))" is a citation, not a doubled one.
_BROKEN_PUNCTUATION = re.compile(
    r"\.,|\. ;|\.;|(?<!\.)\.\.(?!\.)|(?<!\(\d)\)\s*\)|\(\s*\(|\)\s\(|:\s*:"
)
# Words of French an English sentence never holds, outside proper names.
_FRENCH_WORDS = re.compile(
    r"\b(et|des|du|les|aux|pour|avec|données|prestataires?|autorités|réseaux|"
    r"hébergeurs?|sociaux|sous-traitant|conservation|traitement|décision|contractuelles|"
    r"société|simplifiée|au\s+capital)\b",
    re.IGNORECASE,
)
# Names that may follow a connective with their capital: laws, places, brands.
_NAMES = {
    "Article",
    "Europe",
    "Informatique",
    "Libertés",
    "Google",
    "YouTube",
    "Twitter",
    "Instagram",
}
# Proper names and quoted French law the English notice may hold.
_ALLOWED_FRENCH = (
    "Commission nationale de l'informatique et des libertés",
    "Vie Privée - Protection des Données",
)


def _notice(name: str, lang: str, fmt: str) -> str:
    declaration = load_valid(EXAMPLES_DIR / f"{name}.yaml")
    rendered = render_notice(declaration, lang, fmt)  # type: ignore[arg-type]
    # A browser draws the quotation marks of <q>: read them as a reader sees them.
    opening, closing = ("« ", " »") if lang == "fr" else ("“", "”")
    rendered = rendered.replace("<q>", opening).replace("</q>", closing)
    return visible_text(rendered, fmt)


def _names(name: str) -> set[str]:
    """Words that are names in this example: the controller's and its brand names."""
    declaration = load_valid(EXAMPLES_DIR / f"{name}.yaml")
    words = {*declaration.controller.name.split(), *declaration.redaction.keep}
    for recipient in declaration.recipients.values():
        if isinstance(recipient.name, str):
            words.update(recipient.name.split())
    return words


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_no_capital_after_a_connective(name: str, lang: str, fmt: str) -> None:
    text = _notice(name, lang, fmt)
    names = _names(name)
    pattern = re.compile(_CONNECTIVES[lang] + _CAPITAL_AFTER)
    found = [
        text[max(m.start() - 30, 0) : m.end() + 10]
        for m in pattern.finditer(text)
        if m.group(2) not in names
        and m.group(2) not in _NAMES
        # A name of several capitalised words: "Customer Service", "Google Analytics".
        and not re.match(r"\s[A-Z]", text[m.end() : m.end() + 2])
    ]
    assert found == []


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_no_broken_punctuation(name: str, lang: str, fmt: str) -> None:
    text = _notice(name, lang, fmt)
    found = [
        text[max(m.start() - 40, 0) : m.end() + 10] for m in _BROKEN_PUNCTUATION.finditer(text)
    ]
    assert found == []


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_no_french_in_the_english_notice(name: str, fmt: str) -> None:
    text = _notice(name, "en", fmt)
    for allowed in _ALLOWED_FRENCH:
        text = text.replace(allowed, "")
    declaration = load_valid(EXAMPLES_DIR / f"{name}.yaml")
    for address in (declaration.controller.address, declaration.rights.postal_address or ""):
        text = text.replace(address, "")
    found = [text[max(m.start() - 40, 0) : m.end() + 20] for m in _FRENCH_WORDS.finditer(text)]
    assert found == []


def test_the_checks_catch_what_they_look_for() -> None:
    """The patterns themselves: each bad sentence of the issue is caught."""
    fr = re.compile(_CONNECTIVES["fr"] + _CAPITAL_AFTER)
    assert fr.search("archivage intermédiaire pendant 5 ans pour Conserver la preuve")
    assert fr.search("À défaut, Sans ces informations, nous")
    en = re.compile(_CONNECTIVES["en"] + _CAPITAL_AFTER)
    assert en.search("kept for 5 years to Keeping proof")
    assert _BROKEN_PUNCTUATION.search("cinq ans., puis suppression")
    assert _BROKEN_PUNCTUATION.search("Hébergeurs (Union européenne) (sous-traitant)")
    assert _FRENCH_WORDS.search("Recipients: Autorités publiques (public authority)")
    assert _FRENCH_WORDS.search(
        "is KIO, SAS (société par actions simplifiée) au capital de 1 200 €"
    )


@pytest.mark.parametrize(
    ("text", "keep", "expected"),
    [
        ("Adresse e-mail", (), "adresse e-mail"),
        ("LinkedIn profile URL", (), "LinkedIn profile URL"),
        ("IP address", (), "IP address"),
        ("Adresse IP", (), "adresse IP"),
        ("Google LLC", ("google",), "Google LLC"),
        ("Viky account holders", ("viky",), "Viky account holders"),
        ("Viky account holders", (), "viky account holders"),
        (
            "Annuaire Pro SAS, which publishes a directory",
            (),
            "Annuaire Pro SAS, which publishes a directory",
        ),
    ],
)
def test_lower_first_keeps_names(text: str, keep: tuple[str, ...], expected: str) -> None:
    assert lower_first(text, keep) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Recouvrer nos créances.", "recouvrer nos créances"),
        ("améliorer nos services", "améliorer nos services"),
        ("Google Analytics measures the audience.", "Google Analytics measures the audience"),
    ],
)
def test_a_clause_loses_its_capital_and_final_stop(text: str, expected: str) -> None:
    assert clause(text) == expected


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        ("none outside Lesekreis Altstadt e. V..", "none outside Lesekreis Altstadt e. V."),
        (
            "aucun destinataire extérieur à Exemple S.A.S.. Suite",
            "aucun destinataire extérieur à Exemple S.A.S. Suite",
        ),
        ("Wait... then go.", "Wait... then go."),
        ("version 2.1.", "version 2.1."),
    ],
)
def test_a_sentence_ending_on_a_name_with_its_own_stop_has_one_stop(
    written: str, printed: str
) -> None:
    from markupsafe import Markup

    from gardien.notice.environment import squash

    assert str(squash(Markup(written))) == printed


def test_a_controller_name_ending_with_a_stop_ends_the_sentence_once() -> None:
    verein = load_valid(Path(__file__).parents[1] / "declaration" / "data" / "verein_de.yaml")
    key, purpose = next(iter(verein.purposes.items()))
    alone = purpose.model_copy(update={"recipients": ()})
    changed = verein.model_copy(update={"purposes": {**verein.purposes, key: alone}})
    text = render_notice(changed, "en", "md")
    assert "none outside Lesekreis Altstadt e. V.\n" in text
    assert "e. V.." not in text
