"""Postal addresses, labelled LOCATION: French street addresses ("12 bis, rue
de la Paix, 75002 Paris"), postcode + city lines, and English street
addresses ("221B Baker Street", "742 Evergreen Terrace Apt 3, Springfield, IL
62704").

Statistical NER finds city names but rarely a whole address; these rules give
the whole span so that no house number or postcode is left behind. Addresses
written one part a line, as in a letter or a signature, are found line by
line: a unit ("Suite 501"), a house number + street + number line ("20789
Allika 46"), a country or town + postcode line ("Finland 80896"), US military
and post-office-box addresses; and in a sentence, what follows "lives at",
"located at", "my address is", "send it to" when it starts with a number.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from gardien.redact.recognizers.base import Pattern, PatternRecognizer
from gardien.redact.span import LOCATION, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

_UP = r"[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ]"
_LOW = r"[a-zàâäçéèêëîïôöùûüÿœ]"
_CAP_WORD = rf"{_UP}[\w'’\-]*"
_FR_TYPES = (
    r"(?:rue|avenue|av\.|boulevard|bd|place|chemin|all[ée]e|impasse|quai|route|cours|square"
    r"|passage|faubourg|rond-point|voie|sentier|cit[ée]|r[ée]sidence|lotissement|hameau"
    r"|parvis|promenade|esplanade|villa|mail|chauss[ée]e|quartier|lieu-dit|port)"
)
# The street types as words, for the patterns' pre-filter (``Pattern.needs``):
# each form above begins with the first three letters of one of them.
_FR_TYPE_WORDS = (
    "rue", "avenue", "av", "boulevard", "bd", "place", "chemin", "allée", "allee", "impasse",
    "quai", "route", "cours", "square", "passage", "faubourg", "rond", "voie", "sentier", "cité",
    "cite", "résidence", "residence", "lotissement", "hameau", "parvis", "promenade",
    "esplanade", "villa", "mail", "chaussée", "chaussee", "quartier", "lieu", "port",
)  # fmt: skip
# Words that may sit between capitalised words in a French street name.
_FR_LINK = r"(?:de|du|des|la|le|les|d'|l'|d’|l’|aux?|et|sur|en|sous|saint|sainte)"
_FR_STREET_NAME = rf"(?:(?:{_FR_LINK}\s*|{_CAP_WORD}\s?){{0,5}}{_CAP_WORD})"
_FR_NUMBER = r"\d{1,4}(?:\s?(?:bis|ter|quater|[a-d])\b)?,?\s+"
# What follows the street in a flat or an office: "Bât. B", "appt 12", "3e étage".
_FR_COMPLEMENT = (
    r"(?:,?\s+(?i:b[âa]t(?:iment)?\.?|appt\.?|appartement|apt\.?|esc(?:alier)?\.?|porte"
    r"|bo[iî]te|lot)\s*(?:n°\s*)?[A-Z0-9]{1,4}\b|,?\s+\d{1,2}(?:e|ème|er)\s+(?i:étage)){0,3}"
)
_FR_CITY = rf"{_UP}[\w'’\-]*(?:[ \-](?:{_FR_LINK}[ \-])*{_CAP_WORD}){{0,3}}"
_FR_POSTCODE_CITY = (
    rf"(?:(?:,\s*|\s+)(?:[0-9]{{5}}|[0-9]{{2}} [0-9]{{3}})\s+{_FR_CITY}(?:\s+cedex(?:\s+\d+)?)?)"
)
# Street suffixes of USPS Publication 28 (appendix C1), the list US addresses
# are written with, plus the usual British ones.
_EN_TYPES = (
    r"(?:Alley|Annex|Arcade|Avenue|Ave|Bayou|Beach|Bend|Bluffs?|Bottom|Boulevard|Blvd|Branch"
    r"|Bridge|Brooks?|Burgs?|Bypass|Camp|Canyon|Cape|Causeway|Centers?|Centre|Circles?|Cir"
    r"|Cliffs?|Close|Club|Commons?|Corners?|Course|Courts?|Ct|Coves?|Creek|Crescent|Crest"
    r"|Crossing|Crossroad|Curve|Dale|Dam|Divide|Drives?|Dr|Estates?|Expressway|Extensions?"
    r"|Falls?|Ferry|Fields?|Flats?|Fords?|Forest|Forges?|Forks?|Fort|Freeway|Gardens?|Gateway"
    r"|Glens?|Greens?|Groves?|Harbors?|Haven|Heights|Highway|Hwy|Hills?|Hollow|Inlet|Islands?"
    r"|Isle|Junctions?|Keys?|Knolls?|Lakes?|Landing|Lane|Ln|Lights?|Locks?|Lodge|Loop|Mall"
    r"|Manors?|Meadows?|Mews|Mills?|Mission|Motorway|Mount|Mountains?|Neck|Orchard|Oval"
    r"|Overpass|Parks?|Parkways?|Pkwy|Pass|Passage|Path|Pike|Pines?|Place|Pl|Plains?|Plaza"
    r"|Points?|Ports?|Prairie|Radial|Ramp|Ranch|Rapids?|Rest|Ridges?|River|Roads?|Rd|Route"
    r"|Row|Rue|Run|Shoals?|Shores?|Skyway|Springs?|Spurs?|Squares?|Sq|Station|Stravenue|Stream"
    r"|Streets?|St|Summit|Terrace|Ter|Throughway|Trace|Track|Trafficway|Trail|Trl|Tunnel"
    r"|Turnpike|Underpass|Unions?|Valleys?|Via|Viaduct|Views?|Villages?|Ville|Vista|Walks?"
    r"|Wall|Ways?|Wells?|Row|Wharf|Yard)"
)
# The street types as words, for the patterns' pre-filter (``Pattern.needs``).
_EN_TYPE_WORDS = tuple(sorted({word.lower() for word in re.findall(r"[A-Za-z]+", _EN_TYPES)}))
# A unit number after the street: "Apt. 533", "Suite 12B", "# 4" (never
# "Ste" glued to a word: "Stephaniechester" is a town).
_EN_UNIT = (
    r"(?:,?\s+(?:(?:Apt\.?|Apartment|Suite|Ste\.|Unit|Flat|Floor)\s+#?|#\s?)[A-Z0-9]\w{0,4}\b)?"
)
_EN_CITY_STATE = (
    r"(?:,\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2}(?:,\s*[A-Z]{2})?\s+\d{5}(?:-\d{4})?"
    r"|,\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2},\s*[A-Z]{2}\b"
    r"|,\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2}\s+[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})?"
)
_FR = frozenset({"fr"})
_EN = frozenset({"en"})
# A word of a street or town in any Latin script, and the start of a line
# (after spaces or the ">" of a quoted e-mail).
_ANY_WORD = r"[^\W\d_][\w.'’\-]*"
_LINE_START = r"(?m:^)[ \t>]*"
_LINE_END = r"[ \t]*(?m:$)"
_NUMBER_BEFORE = re.compile(r"(?<![\w.,])\d{1,6}[ \t]+$")
# Between two lines of one address: line breaks, quote marks and commas, and
# at most two short lines of capitalised words (a town, a region).
_TOWN_LINE = r"[^\W\d_][\w'’.\-]*(?:[ \t]+[^\W\d_][\w'’.\-]*){0,3}"
_BETWEEN_LINES = re.compile(rf"[ \t>,|]*\n[ \t>,|\n]*(?:{_TOWN_LINE}[ \t,]*\n[ \t>,|\n]*){{0,2}}")


class AddressRecognizer(PatternRecognizer):
    """Street addresses and postcode-city lines."""

    name = "address"
    LABEL = LOCATION
    PATTERNS = (
        Pattern(
            "fr-street",
            rf"\b{_FR_NUMBER}(?i:{_FR_TYPES})\s+{_FR_STREET_NAME}{_FR_COMPLEMENT}{_FR_POSTCODE_CITY}?",
            0.9,
            languages=_FR,
            needs=_FR_TYPE_WORDS,
            trigger=r"\d",
        ),
        Pattern(
            "fr-street-no-number",
            rf"(?<![\w,])(?i:{_FR_TYPES})\s+{_FR_STREET_NAME}{_FR_POSTCODE_CITY}",
            0.9,
            languages=_FR,
            needs=_FR_TYPE_WORDS,
            trigger=r"[0-9][0-9] ?[0-9][0-9][0-9]\s",
        ),
        Pattern(
            "fr-street-name-only",
            rf"\b(?:{_FR_TYPES})\s+(?:{_FR_LINK}\s*){{0,2}}{_CAP_WORD}(?:\s{_CAP_WORD}){{0,3}}",
            0.5,
            languages=_FR,
            needs=_FR_TYPE_WORDS,
        ),
        Pattern(
            "fr-postcode-city",
            rf"(?<![\d\w])(?:[0-9]{{5}})\s+{_FR_CITY}(?:\s+(?i:cedex)(?:\s+\d+)?)?",
            0.5,
            languages=_FR,
            trigger=r"[0-9][0-9]{4}",  # a first character the scan can look for
        ),
        Pattern(
            "en-street",
            rf"\b\d{{1,6}}[A-Z]?\s+(?:[NSEW]\.?\s+)?(?:[A-Z][a-z]+\s+){{1,3}}{_EN_TYPES}\b\.?"
            rf"{_EN_UNIT}{_EN_CITY_STATE}",
            0.9,
            languages=_EN,
            needs=_EN_TYPE_WORDS,
            trigger=r"\d",
        ),
        Pattern(
            "unit",
            r"\b(?:Apt\.?|Apartment|Suite|Unit|Flat)\s+#?\d{1,5}[A-Z]?\b",
            0.6,
            languages=_EN,
            needs=("apt", "apartment", "suite", "unit", "flat"),
            trigger=r"\d",
        ),
        Pattern(
            "line-number-street-number",
            rf"{_LINE_START}(?P<v>\d{{1,6}}\s+(?:{_ANY_WORD}\s+){{1,4}}\d{{1,5}}[A-Za-z]?\.?){_LINE_END}",
            0.7,
            trigger=r"\d",
        ),
        # A line of two to four words and a house number: "Via Roma 131".
        Pattern(
            "line-street-number",
            rf"{_LINE_START}(?P<v>{_UP}{_ANY_WORD}(?:[ \t]+{_ANY_WORD}){{1,3}}"
            rf"[ \t]+\d{{1,5}}[A-Za-z]?){_LINE_END}",
            0.7,
            trigger=r"\d",
        ),
        # "lives on Via Tasso 129", "the bus drops you off at Pod Lipami 12":
        # a street name and its number after a verb of living or meeting, above
        # NER, which takes the street for a person.
        Pattern(
            "en-on-street",
            r"(?i:\b(?:lives?|living|located|is|are|address(?:\s+is)?|drops?\s+you\s+off"
            r"|meet\s+(?:me|you)|moved)\s+(?:at|on|to))\s+"
            rf"(?P<v>{_UP}{_ANY_WORD}(?:\s+{_ANY_WORD}){{0,3}}\s+\d{{1,5}}[A-Za-z]?)\b",
            0.86,
            languages=_EN,
            needs=(
                "live",
                "living",
                "located",
                "is",
                "are",
                "address",
                "drops",
                "drop",
                "meet",
                "moved",
            ),
            trigger=r"\d",
        ),
        Pattern(
            "line-place-postcode",
            rf"{_LINE_START}(?P<v>(?:{_UP}{_ANY_WORD}[ \t]+){{1,3}}(?:\([^\W\d_]+\)[ \t]+)?"
            rf"\d{{4,6}}){_LINE_END}",
            # Above NER: the country it finds in the line is not the whole address.
            0.86,
            trigger=r"\d",
        ),
        Pattern(
            "military-or-po-box",
            r"\b(?:PSC\s\d{4},\s*Box\s\d{4}|(?:APO|FPO|DPO)\s(?:AA|AE|AP)\s\d{5}"
            r"|(?:P\.\s?O\.|PO)\s+Box\s+\d{1,6})\b",
            0.85,
            languages=_EN,
            needs=("psc", "apo", "fpo", "dpo", "p", "po"),
            trigger=r"\d",
        ),
        Pattern(
            "en-lives-at",
            r"(?i:\b(?:lives?|living|located|based|resides?|address\s+is|addressed\s+to"
            r"|sent\s+to|send\s+(?:it|them|one|a\s+new\s+one)\s+to|deliver(?:ed)?\s+to"
            r"|ship(?:ped)?\s+to|meet\s+you))\s+(?:at\s+|on\s+|in\s+)?"
            r"(?P<v>\d{1,6}\s[^\n?!;|]{3,80}?)(?=\s*(?:[?!;|\n]|\.(?:\s|$)|$"
            r"|\s(?:after|for|and|but|on|in|at|by|before|since|until|when|because|with)\s))",
            0.75,
            languages=_EN,
            needs=(
                "live",
                "living",
                "located",
                "based",
                "reside",
                "address",
                "sent",
                "send",
                "deliver",
                "ship",
                "meet",
            ),
            trigger=r"\d",
        ),
    )
    CONTEXT: ClassVar[dict[str, tuple[str, ...]]] = {
        "fr": ("adresse", "habite", "domicile", "domicilié", "résid", "situé", "livraison", "à"),
        "en": ("address", "live", "lives", "living", "located", "deliver", "ship", "at"),
    }
    VALID_SCORE = None

    def refine(self, text: str, start: int, end: int) -> tuple[int, int]:
        # Patterns may swallow trailing spaces or an apostrophe; addresses end on
        # a word character.
        while end > start and not text[end - 1].isalnum():
            end -= 1
        # A second number written before the house number ("3369 24 Clarke
        # Avenue": a building or a postcode) belongs to the address too.
        before = _NUMBER_BEFORE.search(text, max(0, start - 8), start)
        if before is not None and start > 0:
            start = before.start()
        return start, end

    def analyze(self, text: str, lang: str, doc: Doc | None = None) -> list[Span]:
        return join_address_lines(text, super().analyze(text, lang, doc))


def join_address_lines(text: str, spans: list[Span]) -> list[Span]:
    """An address written one part a line is one address: two address spans
    with only line breaks between them, or short lines of names (the town
    between "Suite 501" and "Estonia 62488"), become one span that covers
    them all, so that no town line is left readable between the others."""
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    joined: list[Span] = []
    for span in ordered:
        last = joined[-1] if joined else None
        if last is not None and (
            span.start < last.end or _BETWEEN_LINES.fullmatch(text, last.end, span.start)
        ):
            end = max(last.end, span.end)
            score = max(last.score, span.score)
            explanation = replace(last.explanation, pattern="lines", score=score)
            joined[-1] = replace(
                last, end=end, score=score, explanation=explanation, text=text[last.start : end]
            )
            continue
        joined.append(span)
    return joined
