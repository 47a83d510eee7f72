"""French legal forms, and how an English notice states them.

A controller declares its legal form as the company publishes it, usually in
French: ``SAS au capital de 10 000 €``. The English notice must not print that
French phrase as is. Two ways out, in this order:

1. the declaration gives both languages: ``legal_form: {fr: …, en: …}``;
2. a plain string that is a known French form, optionally followed by its
   full name in parentheses and its share capital, is written in English from
   ``FORMS``: the abbreviation stays (it is the company's legal designation)
   and the English description follows it — ``SAS au capital de 1 200 €``
   becomes "an SAS (simplified joint-stock company) with a share capital of
   €1,200", with the article an English apposition takes.

A plain string that is neither (``Société coopérative de production``) is
printed as is, and ``gardien validate`` warns when it looks French
(rule ``notice-text-forms``). French law gives no official English name for
its legal forms: the descriptions below are common English renderings; a
company that prefers its own declares ``{fr, en}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class LegalForm:
    abbreviation: str
    french: str
    english: str


FORMS: tuple[LegalForm, ...] = (
    LegalForm("SA", "société anonyme", "public limited company"),
    LegalForm("SAS", "société par actions simplifiée", "simplified joint-stock company"),
    LegalForm(
        "SASU",
        "société par actions simplifiée unipersonnelle",
        "single-shareholder simplified joint-stock company",
    ),
    LegalForm("SARL", "société à responsabilité limitée", "limited liability company"),
    LegalForm(
        "EURL",
        "entreprise unipersonnelle à responsabilité limitée",
        "single-member limited liability company",
    ),
    LegalForm("SNC", "société en nom collectif", "general partnership"),
    LegalForm("SCS", "société en commandite simple", "limited partnership"),
    LegalForm("SCA", "société en commandite par actions", "partnership limited by shares"),
    LegalForm("SCI", "société civile immobilière", "non-trading real estate company"),
    LegalForm("SE", "société européenne", "European company"),
)

_BY_ABBREVIATION = {form.abbreviation.lower(): form for form in FORMS}
_BY_NAME = {form.french: form for form in FORMS}

_CAPITAL = re.compile(
    r"^au\s+capital(?:\s+social)?\s+de\s+(?P<amount>\d[\d\s\u00a0\u202f.]*(?:,\d+)?)\s*"
    r"(?:€|euros?|EUR)$",
    re.IGNORECASE,
)
_HEAD = re.compile(r"^(?P<head>[^(]+?)\s*(?:\((?P<full>[^)]*)\))?\s*(?P<rest>au\s+capital.*)?$")


def _form(head: str, full: str | None) -> LegalForm | None:
    form = _BY_ABBREVIATION.get(head.strip().lower()) or _BY_NAME.get(head.strip().lower())
    if form is None:
        return None
    if full is not None and full.strip().lower() != form.french:
        return None
    return form


def _amount(text: str) -> str:
    """``1 200`` → ``1,200``; ``10 000,50`` → ``10,000.50``."""
    whole, _, cents = text.partition(",")
    digits = re.sub(r"[\s\u00a0\u202f.]", "", whole)
    grouped = f"{int(digits):,}"
    return f"{grouped}.{cents}" if cents else grouped


#: Letters whose English name begins with a vowel sound: "an SAS", "an LLC", but "a SA".
_VOWEL_LETTERS = frozenset("AEFHILMNORSX")


def _article(phrase: str) -> str:
    """The article ("a" or "an") before ``phrase``: an initialism by how its first letter
    is said, a word by its first sound."""
    word = phrase.split()[0]
    if word.isupper() and len(word) > 1:
        return "an" if word[0] in _VOWEL_LETTERS else "a"
    lowered = word.lower()
    if lowered.startswith(("eu", "uni", "use")):  # said "you…": "a European company"
        return "a"
    return "an" if lowered[0] in "aeiou" else "a"


def english_legal_form(text: str, company: str = "") -> str | None:
    """The English of a French legal form written as companies write it, else None.

    When the ``company``'s name already ends with the abbreviation ("ActiveViam
    SAS"), only the description is given: "ActiveViam SAS, a simplified
    joint-stock company", not "ActiveViam SAS, an SAS (…)".
    """
    match = _HEAD.match(text.strip())
    if match is None:
        return None
    form = _form(match.group("head"), match.group("full"))
    if form is None:
        return None
    named = company.split()[-1:] == [form.abbreviation]
    english = form.english if named else f"{form.abbreviation} ({form.english})"
    # An apposition after the name takes its article in English ("ActiveViam SAS, a
    # simplified joint-stock company"; "Komin, an SAS (…)"), where French has none.
    english = f"{_article(english)} {english}"
    rest = match.group("rest")
    if rest is None:
        return english
    capital = _CAPITAL.match(rest.strip())
    if capital is None:
        return None
    return f"{english} with a share capital of €{_amount(capital.group('amount'))}"
