"""Places and organisations recognised by the words that introduce them.

"j'habite à Quimper", "né le 3 mars 1990 à Ajaccio", "je vis en Espagne",
"travaille chez Leroy", "l'équipe de Dupuis"; "lives in Leeds", "our Austin
office", "works at Baxter". Statistical NER often finds the name but with
the wrong type (a town named after a surname looks like a person); these
cues score just above NER, so in an overlap their label wins.
"""

from __future__ import annotations

from gardien.redact.recognizers.base import Pattern, PatternRecognizer
from gardien.redact.span import LOCATION, ORGANIZATION

_CAP = r"[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ][\w'’\-]*"
_LINK = r"(?:de|du|des|la|le|les|sur|en|lès|aux?|d'|l'|d’|l’)"
# A capitalised name of up to four words, with French linking words inside.
_NAME = rf"(?P<v>{_CAP}(?:[ \-](?:{_LINK}[ \-])*{_CAP}){{0,3}})"
# Company names may also be lists: "Silva, Callahan and Lindsey", "Dupont et Fils".
_ORG_NAME = rf"(?P<v>{_CAP}(?:(?:,\s|\s(?:and|et|&)\s|[ \-]){_CAP}){{0,4}})"
# Up to 30 characters between a verb and its preposition ("né le 03.05.1990 à"),
# not crossing a sentence end; a dot inside a number is allowed.
_GAP = r"(?:[^;:!?\n.]|\.(?=\d)){0,30}?\s"
_SCORE = 0.88
_FR = frozenset({"fr"})
_EN = frozenset({"en"})


class LocationCueRecognizer(PatternRecognizer):
    """A capitalised name after a verb or noun of place and its preposition."""

    name = "location_cue"
    LABEL = LOCATION
    PATTERNS = (
        Pattern(
            "fr-verb-a",
            r"(?i:\b(?:habite|habitons|habitent|vis|vit|vivons|vivent|née?s?|situé|située|basée?"
            r"|installée?s?|déménagé|déménagée|déménagés|domiciliée?|résidant|résidante|siège"
            r"|agence|bureaux?|locaux|maternité|ville|commune|originaire|venu|venue|arrivée?))"
            + _GAP
            + r"(?:à|au|en|de|d'|d’)\s*"
            + _NAME,
            _SCORE,
            languages=_FR,
        ),
        Pattern("fr-en", r"(?<![\w'’])en\s+" + _NAME, _SCORE, languages=_FR),
        Pattern(
            "fr-from-to",
            r"(?i:\b(?:déménagée?s?|partie?s?|venue?s?|arrivée?s?|mutée?s?))\s+de\s+"
            rf"{_CAP}(?:[ \-]{_CAP}){{0,3}}\s+(?:à|en|au)\s+" + _NAME,
            _SCORE,
            languages=_FR,
        ),
        Pattern(
            "en-verb-in",
            r"(?i:\b(?:live|lives|lived|living|born|based|located|moved|move|moving|relocated"
            r"|reside|resides|resided|stay|staying|office|offices|branch|headquartered|came|come"
            r"|comes|travelled|traveled|flew|drove))" + _GAP + r"(?:in|to|near|from)\s+" + _NAME,
            _SCORE,
            languages=_EN,
        ),
        Pattern(
            "en-from-to",
            rf"(?i:\bfrom)\s+{_CAP}(?:[ \-]{_CAP}){{0,3}}\s+(?i:to)\s+" + _NAME,
            _SCORE,
            languages=_EN,
        ),
        Pattern(
            "en-our-site",
            r"(?i:\bour)\s+" + _NAME + r"\s+(?i:office|branch|store|shop|agency|site|warehouse)",
            _SCORE,
            languages=_EN,
        ),
    )
    VALID_SCORE = None


class OrganizationCueRecognizer(PatternRecognizer):
    """A capitalised name after a word that introduces an employer or a company."""

    name = "organization_cue"
    LABEL = ORGANIZATION
    PATTERNS = (
        Pattern(
            "fr-works-at",
            r"(?i:\b(?:travaille|travaillé|travaillait|travaillons|employée?|salariée?"
            r"|conseill(?:er|ère)|stagiaire|directeur|directrice|responsable|commerciale?"
            r"|cliente?)\s+(?:chez|pour))\s+" + _ORG_NAME,
            _SCORE,
            languages=_FR,
        ),
        Pattern(
            "fr-company-of",
            r"(?i:\b(?:l'équipe|l’équipe|la société|l'entreprise|l’entreprise|entreprise|société"
            r"|le groupe|la marque|la banque|l'enseigne|l’enseigne|la facture)\s+(?:de\s+|d'|d’)?)"
            + _ORG_NAME,
            _SCORE,
            languages=_FR,
        ),
        Pattern(
            "en-works-at",
            r"(?i:\b(?:work|works|worked|working|employed|employee|adviser|advisor|agent|manager"
            r"|engineer|intern|customer|client|team|staff)\s+(?:at|for|with))\s+" + _ORG_NAME,
            _SCORE,
            languages=_EN,
        ),
        Pattern(
            "en-company",
            r"(?i:\b(?:company|firm|bank|brand|supplier|vendor|provider|retailer"
            r"|invoice from|receipt from|bill from|charged by))\s+" + _ORG_NAME,
            _SCORE,
            languages=_EN,
        ),
    )
    VALID_SCORE = None
