# ruff: noqa: E501  (regular expressions read best on one line each)
"""Finding the controller's name and contact details, and the DPO's, in a policy.

The controller's identity is present only when a *name* stands where the
text introduces the controller: "Acme SAS is the data controller", "the data
controller is Acme", "operated by ACME", "the company Acme, registered
under number...", the name defining "we" ('Acme ("we", "us")', « Acme
(ci-après « nous ») »), the publisher ("Éditeur : Acme", "Acme, éditeur
de…"), the name that commits to privacy ("Acme s'engage à protéger…"), or
a name alone on the line after a heading or a line that introduces the
controller ("## Data controller" / "Acme GmbH"). "…is considered the data
controller" with nothing before it is not an identity. Names are runs of
capitalised words that are not common policy words (``NOT_NAMES``). Contact
details are e-mail addresses (also written "name [at] domain"), telephone
numbers, postal addresses and contact pages outside sentences about the
supervisory authority.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gardien.policylint.items import AUTHORITY_CUE, DPO_CUE

_UPPER = "A-ZÀ-ÖØ-Þ"
_WORD = rf"(?:[{_UPPER}][\w&'’.\-]*[\w&.]|[{_UPPER}])"
NAME = rf"(?P<name>{_WORD}(?:[ \t]+(?:{_WORD}|&|de|du|des|et|and|of))*?)"
#: A name followed by the parenthesis that makes it "we": 'Acme ("we", "us")', « Acme (« nous ») ».
_DEFINES_WE = r"{name}\**(?:,?\s+(?:Inc|Ltd|LLC|SAS|SARL|GmbH)\.?)?\s*\((?=[^)]{{0,100}}?[«\"“”'‘]\s*(?i:we|us|our|nous)\b)"
#: Where the controller is introduced, with ``{name}`` where its name must stand.
CONTROLLER_TEMPLATES: dict[str, tuple[str, ...]] = {
    "en": (
        r"{name}(?:\s*\([^)]{{0,120}}\))?(?:,[^.;\n]{{0,150}}?,)?\s+(?i:is|acts as|shall be|will be|are)\s+(?i:considered\s+|deemed\s+)?(?i:the\s+|as\s+)?(?i:data\s+)?(?i:controller|responsible for (?:the |all |your )?(?:personal )?(?:data )?processing)",
        r"(?i:\b(?:data\s+)?controller)(?:\s+is|\s*:|,)?\s+{name}",
        r"(?i:\bthe company|\boperated by|\bpublished by|\bedited by|\brun by|\bthe publisher is)\s*:?\s+{name}",
        r"{name}(?:\s*\([^)]{{0,40}}\))?,?\s+(?:a |an )?(?i:registered\s+(?:with|in|on|under|at))",
        _DEFINES_WE,
        r"(?i:\bpublisher|\beditor)\**\s*:\s*\**\s*{name}",
        r"{name},\s+(?i:the\s+)?(?i:publisher|editor)\b",
        r"(?i:\bdeveloped\s+by|\bmaintained\s+by)\s+\**{name}",
        r"{name}\s+(?i:takes\s+(?:your\s+)?privacy|is\s+committed\s+to|cares\s+about|values\s+your\s+privacy|respects\s+your\s+privacy)",
    ),
    "fr": (
        r"{name}(?:\s*\([^)]{{0,120}}\))?(?:,[^.;\n]{{0,150}}?,)?\s+(?i:est|agit en (?:sa )?qualité de)\s+(?i:le\s+)?(?i:responsable\s+(?:du|des|de\s+ce|de\s+ces)\s+traitements?)",
        r"(?i:\bresponsable\s+(?:du|des)\s+traitements?)(?i:\s+de\s+vos\s+données|\s+des\s+données)?(?i:\s+à\s+caractère\s+personnel|\s+personnelles)?(?:\s+est|\s*:|,)?\s*:?\s+(?i:la société\s+)?{name}",
        r"(?i:\bresponsable\s+de\s+la\s+collecte)[^.:\n]{{0,60}}?\s+est\s+(?i:la\s+plateforme\s+|la\s+société\s+|l'association\s+|l'entreprise\s+)?{name}",
        r"(?i:\bla société|\bédité par|\bexploité par|\bpublié par|\bl'éditeur est)\s*:?\s+{name}",
        r"{name}(?:\s*\([^)]{{0,40}}\))?,?\s+(?:\w+\s+){{0,10}}?(?i:immatriculée?)",
        _DEFINES_WE,
        r"(?i:\béditeur|\béditrice)\**\s*:\s*\**\s*{name}",
        r"{name},\s+(?i:éditeur|éditrice)\b",
        r"(?i:\bdéveloppée?s?\s+par)\s+\**{name}",
        r"{name}\s+(?i:s'engage|s’engage|attache\s+une\s+grande\s+importance|accorde\s+une\s+grande\s+importance|respecte\s+votre\s+vie\s+privée)",
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
        "qui",
        "who",
        "what",
        "how",
        "why",
        "l'association",
        "l'entreprise",
        "l'éditeur",
        "l'application",
        "plateforme",
        "website",
        "app",
        "application",
        "contact",
        "email",
        "e-mail",
        "phone",
        "address",
        "adresse",
        "cookies",
        "introduction",
        "name",
        "names",
        "nom",
        "prénom",
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

#: A heading or a line ending with a colon that introduces the controller, its name on the next line.
INTRO_LINE = {
    "en": r"(?i)\b(data controller|controller|person responsible|party responsible|responsible (body|party)|owner and|publisher|operator|who we are)\b",
    "fr": r"(?i)\b(responsable (du|des) traitements?|responsable de (la collecte|traitement)|éditeur|éditrice|exploitant|qui sommes-nous)\b",
}
INTRO_MAX_CHARS = 100
NAME_LINE_MAX_WORDS = 8
_LIST_MARKER = re.compile(r"^\s*([-•+]|\*(?!\*)|\d{1,2}[.)])\s")
_NAME_LINE_CUT = re.compile(r"\(|,|<br|\s[—–]\s|\s-\s|\*\*\s|\s{2}|\s:")

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PHONE = re.compile(r"(?:\+\d{2}\s?\(?0?\)?\s?[1-9]|\b0[1-9])(?:[\s.-]?\d{2}){4}\b")
POSTAL = re.compile(
    r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|place|allée|chemin|quai|impasse|route|cours|street|st\.|road|lane|square)\b",
    re.IGNORECASE,
)
CONTACT_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S*(?:contact|dpo)\S*")
#: An address written so robots cannot read it: "name [at] example.org", "name(at)example.org".
OBFUSCATED_EMAIL = re.compile(
    r"(?i)\b[\w.+-]+\s?[\[(]\s?at\s?[\])]\s?[\w-]+(?:\s?(?:\.|[\[(]\s?dot\s?[\])])\s?[\w-]+)+"
)
#: International numbers in other countries' formats: "+49 (0)3834 86-5124", "+594 694 003 935".
INTERNATIONAL_PHONE = re.compile(r"\+\d{1,3}[\s.]?(?:\(0\)\s?)?\d{1,4}(?:[\s.\-]?\d{1,4}){1,5}")
PHONE_MIN_DIGITS = 8
#: A postcode and town at the start of a line or after a comma: "79110 Freiburg", "DE-17475 Greifswald".
POSTCODE_TOWN = re.compile(
    r"(?m)(?:^|,[ \t]*|[ \t]{2,})(?P<found>(?:[A-Z]{1,2}-)?\d{5}[ \t]+[A-ZÀ-Þ][\w\-]+(?:[ \t]+[\w\-]+){0,3})[ \t]*(?=,|$|<br|[ \t]{2})"
)
#: A link whose words say it leads to a contact page or form: "[formulaire de contact](…)";
#: not a link to a heading of the same page ("[Contact us](#contact)" gives no contact).
CONTACT_LINK = re.compile(r"(?i)\[[^\]]*\bcontact\w*[^\]]*\]\((?!#)[^)]+\)")
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


def _name_on_line(line: str) -> str | None:
    """The name a line starts with, when the line is little more than a name (and an address)."""
    if _LIST_MARKER.match(line):
        return None
    body = line.strip().lstrip("#>*_ \t")
    cut = _NAME_LINE_CUT.search(body)
    candidate = (body[: cut.start()] if cut else body).strip(" *_.:")
    words = candidate.split()
    if not words or len(words) > NAME_LINE_MAX_WORDS or not words[0][:1].isupper():
        return None
    # Short lowercase words are particles and titles ("für", "de", "med."); a longer one is prose.
    if any(not word[:1].isupper() and len(word) > 4 for word in words):
        return None
    return _clean_name(candidate)


def _introduces(line: str, lang: str) -> bool:
    """A heading, or a line ending with a colon, that speaks of the controller or publisher."""
    stripped = line.strip()
    if not re.search(INTRO_LINE[lang], stripped):
        return False
    bare = stripped.rstrip("*_ ")
    return (
        stripped.startswith("#")
        or bare.endswith(":")
        or (len(bare) <= INTRO_MAX_CHARS and not bare.endswith((".", ";", "!", "?", ",")))
    )


def names_after_introductions(text: str, lang: str) -> list[Found]:
    """A name alone on the line after "## Data controller" or "Le responsable du traitement est :"."""
    found: list[Found] = []
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    for index, line in enumerate(lines):
        if not _introduces(line, lang):
            continue
        following = index + 1
        if following < len(lines) and not lines[following].strip():
            following += 1  # one blank line between heading and name
        if following >= len(lines) or lines[following].lstrip().startswith("#"):
            continue
        name = _name_on_line(lines[following])
        if name is not None:
            end = starts[following] + len(lines[following].rstrip())
            found.append(Found(starts[index], end, name))
    return found


def find_controller_names(text: str, lang: str) -> list[Found]:
    """Every place ``text`` gives the controller's name where it introduces the controller."""
    found: list[Found] = []
    for template in CONTROLLER_TEMPLATES[lang]:
        for match in re.finditer(template.format(name=NAME), text):
            name = _clean_name(match.group("name"))
            if name is not None:
                found.append(Found(match.start(), match.end(), name))
    found.extend(names_after_introductions(text, lang))
    return sorted(found, key=lambda f: f.start)


def find_contacts(text: str) -> list[Found]:
    """E-mail addresses, telephone numbers, postal addresses and contact pages in ``text``."""
    found: list[Found] = []
    kinds = (
        ("email", EMAIL),
        ("email", OBFUSCATED_EMAIL),
        ("phone", PHONE),
        ("postal", POSTAL),
        ("postal", POSTCODE_TOWN),
        ("url", CONTACT_URL),
        ("url", CONTACT_LINK),
    )
    for kind, pattern in kinds:
        # Where a pattern needs context around the contact, the contact is its "found" group.
        group = "found" if "found" in pattern.groupindex else 0
        found.extend(Found(m.start(group), m.end(group), kind) for m in pattern.finditer(text))
    for match in INTERNATIONAL_PHONE.finditer(text):
        if sum(c.isdigit() for c in match.group()) >= PHONE_MIN_DIGITS:
            found.append(Found(match.start(), match.end(), "phone"))
    return sorted(found, key=lambda f: f.start)


def about_authority(sentence: str) -> bool:
    """True when a sentence is about the supervisory authority (its address is not ours)."""
    return bool(_AUTHORITY.search(sentence))


def about_dpo(sentence: str, lang: str) -> bool:
    """True when a sentence names the DPO (an address such as dpo@… does not name anyone)."""
    words = CONTACT_URL.sub(" ", EMAIL.sub(" ", sentence))
    return bool(re.search(DPO_CUE[lang], words, re.IGNORECASE))
