# ruff: noqa: E501  (regular expressions read best on one line each)
"""Finding the controller's name and contact details, and the DPO's, in a policy.

The controller's identity is present only when a *name* stands where the
text introduces the controller: "Acme SAS is the data controller", "the data
controller is Acme", "operated by ACME", "the company Acme, registered
under number...". "…is considered the data controller" with nothing before
it is not an identity. Names are runs of capitalised words that are not
common policy words (``NOT_NAMES``). Contact details are e-mail addresses,
telephone numbers and postal addresses outside sentences about the
supervisory authority.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gardien.policylint.items import AUTHORITY_CUE, DPO_CUE

_WORD = r"(?:[A-Z][\w&'’.\-]*[\w&]|[A-Z])"
NAME = rf"(?P<name>{_WORD}(?:[ \t]+(?:{_WORD}|&|de|du|des|et|and|of))*?)"
#: Where the controller is introduced, with ``{name}`` where its name must stand.
CONTROLLER_TEMPLATES: dict[str, tuple[str, ...]] = {
    "en": (
        r"{name}(?:\s*\([^)]{{0,120}}\))?(?:,[^.;\n]{{0,150}}?,)?\s+(?i:is|acts as|shall be|will be|are)\s+(?i:considered\s+|deemed\s+)?(?i:the\s+|as\s+)?(?i:data\s+)?(?i:controller|responsible for (?:the |all |your )?(?:personal )?(?:data )?processing)",
        r"(?i:\b(?:data\s+)?controller)(?:\s+is|\s*:|,)?\s+{name}",
        r"(?i:\bthe company|\boperated by|\bpublished by|\bedited by|\brun by|\bthe publisher is)\s*:?\s+{name}",
        r"{name}(?:\s*\([^)]{{0,40}}\))?,?\s+(?:a |an )?(?i:registered\s+(?:with|in|on|under|at))",
    ),
    "fr": (
        r"{name}(?:\s*\([^)]{{0,120}}\))?(?:,[^.;\n]{{0,150}}?,)?\s+(?i:est|agit en (?:sa )?qualité de)\s+(?i:le\s+)?(?i:responsable\s+(?:du|des|de\s+ce|de\s+ces)\s+traitements?)",
        r"(?i:\bresponsable\s+(?:du|des)\s+traitements?)(?:\s+est|\s*:|,)?\s+(?i:la société\s+)?{name}",
        r"(?i:\bla société|\bédité par|\bexploité par|\bpublié par|\bl'éditeur est)\s*:?\s+{name}",
        r"{name}(?:\s*\([^)]{{0,40}}\))?,?\s+(?:\w+\s+){{0,10}}?(?i:immatriculée?)",
    ),
}
#: Capitalised words that are never, on their own, a controller's name.
NOT_NAMES = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "our",
        "we",
        "you",
        "your",
        "it",
        "its",
        "their",
        "they",
        "he",
        "she",
        "i",
        "in",
        "as",
        "for",
        "if",
        "when",
        "where",
        "by",
        "on",
        "at",
        "of",
        "with",
        "and",
        "or",
        "to",
        "from",
        "all",
        "any",
        "each",
        "data",
        "personal",
        "controller",
        "company",
        "owner",
        "user",
        "users",
        "site",
        "website",
        "service",
        "services",
        "policy",
        "privacy",
        "charter",
        "gdpr",
        "rgpd",
        "cnil",
        "eu",
        "ue",
        "eea",
        "regulation",
        "article",
        "law",
        "terms",
        "le",
        "la",
        "les",
        "l",
        "un",
        "une",
        "des",
        "du",
        "de",
        "nous",
        "vous",
        "notre",
        "votre",
        "nos",
        "vos",
        "ce",
        "cette",
        "ces",
        "il",
        "elle",
        "société",
        "responsable",
        "données",
        "traitement",
        "utilisateur",
        "utilisateurs",
        "politique",
        "confidentialité",
        "règlement",
        "commission",
    ]
)
_LEGAL_FORMS = frozenset(
    [
        "sas",
        "sasu",
        "sarl",
        "sa",
        "eurl",
        "sci",
        "ltd",
        "limited",
        "llc",
        "inc",
        "gmbh",
        "bv",
        "se",
        "plc",
    ]
)

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PHONE = re.compile(r"(?:\+\d{2}\s?\(?0?\)?\s?[1-9]|\b0[1-9])(?:[\s.-]?\d{2}){4}\b")
POSTAL = re.compile(
    r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|place|allée|chemin|quai|impasse|route|cours|street|st\.|road|lane|square)\b",
    re.IGNORECASE,
)
CONTACT_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S*(?:contact|dpo)\S*")
_AUTHORITY = re.compile(AUTHORITY_CUE)


@dataclass(frozen=True, slots=True)
class Found:
    """A match in the text: its offsets and what it is."""

    start: int
    end: int
    value: str


def _clean_name(raw: str) -> str | None:
    """The name without leading common words, or None when nothing name-like remains."""
    words = raw.strip(" .,").split()
    while words and words[0].lower().strip("'’") in NOT_NAMES:
        words.pop(0)
    while words and words[-1].lower() in {"de", "du", "des", "et", "and", "of", "&"}:
        words.pop()
    meaningful = [w for w in words if w.lower() not in NOT_NAMES | _LEGAL_FORMS]
    if not meaningful:
        return None
    return " ".join(words)


def find_controller_names(text: str, lang: str) -> list[Found]:
    """Every place ``text`` gives the controller's name where it introduces the controller."""
    found: list[Found] = []
    for template in CONTROLLER_TEMPLATES[lang]:
        for match in re.finditer(template.format(name=NAME), text):
            name = _clean_name(match.group("name"))
            if name is not None:
                found.append(Found(match.start(), match.end(), name))
    return sorted(found, key=lambda f: f.start)


def find_contacts(text: str) -> list[Found]:
    """E-mail addresses, telephone numbers, postal addresses and contact pages in ``text``."""
    found: list[Found] = []
    for kind, pattern in (("email", EMAIL), ("phone", PHONE), ("postal", POSTAL)):
        found.extend(Found(m.start(), m.end(), kind) for m in pattern.finditer(text))
    found.extend(Found(m.start(), m.end(), "url") for m in CONTACT_URL.finditer(text))
    return sorted(found, key=lambda f: f.start)


def about_authority(sentence: str) -> bool:
    """True when a sentence is about the supervisory authority (its address is not ours)."""
    return bool(_AUTHORITY.search(sentence))


def about_dpo(sentence: str, lang: str) -> bool:
    return bool(re.search(DPO_CUE[lang], sentence, re.IGNORECASE))
