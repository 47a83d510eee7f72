# ruff: noqa: E501  (regular expressions read best on one line each)
"""The list of what a right of access returns (Art. 15(1) GDPR), quoted in a policy.

Policies often explain the right of access by quoting what the person will
receive: "the purposes of the processing; the recipients or categories of
recipients…, in particular recipients in third countries; the envisaged period
for which the data will be stored; the right to lodge a complaint with a
supervisory authority; … any available information as to their source". Each
line names an Art. 13 item without stating it: it says what an answer will
contain, not who receives the data, whether it leaves the EU, how long it is
kept or where to complain.

A sentence is part of such a list when

- it is a list item (or a line ending with ``;``/``,``) under an introduction
  that speaks of access ("right of access", "obtain confirmation", « droit
  d'accès », « les informations suivantes », "Art. 15") and ends with a colon,
  and the list as a whole names at least ``MIN_ELEMENTS`` elements of Art. 15(1);
- or it is one sentence about access that names ``MIN_ELEMENTS`` or more of
  them itself ("…to access your data and to information on the purposes, the
  recipients, the storage period and your right to complain").

Such sentences are never evidence of the purposes, the recipients, the
transfers, the retention period, the complaint right or the source
(``LISTED_ITEMS``).
"""

from __future__ import annotations

import re

from gardien.declaration.transparency import TransparencyItem
from gardien.policylint.segment import Document, Sentence

#: Items that a list of what access returns names without stating.
LISTED_ITEMS = frozenset(
    {
        TransparencyItem.PURPOSES,
        TransparencyItem.RECIPIENTS,
        TransparencyItem.INTERNATIONAL_TRANSFERS,
        TransparencyItem.RETENTION,
        TransparencyItem.COMPLAINT_AUTHORITY,
        TransparencyItem.DATA_SOURCE,
    }
)
#: A sentence that introduces what access returns.
ACCESS_INTRO = {
    "en": r"\bright (of|to) access\b|\baccess (to )?(your|the|their) (personal )?(data|information)\b|\bobtain (from us )?(confirmation|access|a copy|the following|information)\b|\bthe following information\b|\bart(icle|\.)? ?15\b",
    "fr": r"\bdroits? d'acc(ès|éder)\b|\baccès (à|aux) (vos|tes|ses|leurs|les) (données|informations)\b|\bobtenir (la confirmation|l'accès|une copie|les informations|communication)\b|\binformations suivantes\b|\bart(icle|\.)? ?15\b",
}
#: The elements of Art. 15(1): (a) purposes … (h) automated decisions.
ELEMENTS = {
    "en": (
        r"\bpurposes?\b",
        r"\bcategories\b",
        r"\brecipients?\b",
        r"\b(period|duration|stored|retention|retain)\b",
        r"\b(rectification|erasure|restriction|object)\b",
        r"\bcomplaint\b",
        r"\bsource\b",
        r"\bautomated\b",
    ),
    "fr": (
        r"\bfinalités?\b",
        r"\bcatégories\b",
        r"\bdestinataires?\b",
        r"\b(durée|conserv\w*)\b",
        r"\b(rectification|effacement|limitation|opposition|opposer)\b",
        r"\b(réclamation|plainte)\b",
        r"\b(source|origine)\b",
        r"\bautomatisée?s?\b",
    ),
}
MIN_ELEMENTS = 3
_LIST_ITEM = re.compile(r"^\s*([-*+•·–—▪◦]|\d{1,2}[.)]|\(?[a-z]\)|\(?[ivx]{1,4}\))\s")
#: How many sentences after its introduction a list may run.
MAX_ITEMS = 12


def _elements(text: str, lang: str) -> set[int]:
    return {i for i, regex in enumerate(ELEMENTS[lang]) if re.search(regex, text)}


def _listed_item(doc: Document, sentence: Sentence) -> bool:
    line = doc.lines[sentence.line].text
    return bool(_LIST_ITEM.match(line)) or line.rstrip().endswith((";", ",", "; et", "; and"))


def rights_list_sentences(doc: Document) -> frozenset[int]:
    """Indexes of the sentences that quote what a right of access returns."""
    lang = doc.lang
    found: set[int] = set()
    sentences = doc.sentences
    for sentence in sentences:
        if not re.search(ACCESS_INTRO[lang], sentence.low):
            continue
        if len(_elements(sentence.low, lang)) >= MIN_ELEMENTS:
            found.add(sentence.index)
        if not sentence.low.rstrip().endswith(":"):
            continue
        items: list[Sentence] = []
        for following in sentences[sentence.index + 1 : sentence.index + 1 + MAX_ITEMS]:
            if following.heading or not _listed_item(doc, following):
                break
            items.append(following)
        named = set().union(*(_elements(s.low, lang) for s in items)) if items else set()
        if len(named) >= MIN_ELEMENTS:
            found.update(s.index for s in items)
    return frozenset(found)
