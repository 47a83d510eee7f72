"""Deciding, item by item, whether a segmented policy contains the Art. 13/14 information.

Pattern items (``items.ITEM_SPECS``) are present when a body sentence
matches; a right is also present when a heading states it ("Right of
access", « Droit d'opposition ») and body text follows it, as in policies
that explain each right under its own heading. The controller's identity
and contact, the DPO's contact and the retention period have their own
rules below. Every present item lists the sentences that made it so.
"""

from __future__ import annotations

import functools
import re

from gardien.declaration.transparency import TransparencyItem
from gardien.policylint.controller import (
    about_authority,
    about_dpo,
    find_contacts,
    find_controller_names,
)
from gardien.policylint.durations import find_periods
from gardien.policylint.items import (
    ITEM_SPECS,
    RETENTION_CUE,
    RETENTION_PERIOD,
    RETENTION_VAGUE,
    RETENTION_VETO,
)
from gardien.policylint.report import ITEM_KEYS, Evidence, ItemResult
from gardien.policylint.rights import RIGHTS_SPECS
from gardien.policylint.rightslist import LISTED_ITEMS, rights_list_sentences
from gardien.policylint.segment import Document, Sentence
from gardien.policylint.spec import ItemSpec, Pattern

MAX_EVIDENCE = 3
#: Lines above a contact that may name the authority it belongs to.
AUTHORITY_LINES = 3
#: Sentences under a DPO heading that may hold their contact details.
DPO_SECTION_SENTENCES = 6
_MARKED_HEADING = re.compile(r"^\s*(#{1,6}\s|<h[1-6][\s>])", re.IGNORECASE)
#: Items a heading states when it names the right and body text explains it.
HEADED_ITEMS = frozenset(spec.key for spec in RIGHTS_SPECS)
_NAMES_A_RIGHT = r"\b(rights?|droits?)\b"
QUOTE_MARKS = frozenset('"“«')
#: The regulation's list of what a notice or an answer must say ("the existence of the
#: right to…"), quoted in a policy: it names the items, it does not state them.
QUOTES_THE_LAW = {"en": r"^\W*the existence of\b", "fr": r"^\W*l'existence d"}
QUOTATION_MIN_WORDS = 12


@functools.cache
def _compiled(regex: str) -> re.Pattern[str]:
    return re.compile(regex)


def matches(regex: str | None, sentence: Sentence) -> bool:
    """True when ``regex`` matches the sentence's surface or its lemmas."""
    if regex is None:
        return False
    pattern = _compiled(regex)
    return bool(pattern.search(sentence.low) or pattern.search(sentence.lemmas))


def pattern_matches(pattern: Pattern, sentence: Sentence) -> bool:
    if not matches(pattern.regex, sentence):
        return False
    if pattern.requires is not None and not matches(pattern.requires, sentence):
        return False
    return not matches(pattern.veto, sentence)


def evidence_of(sentence: Sentence) -> Evidence:
    return Evidence(sentence.text, sentence.start, sentence.end)


def _result(key: TransparencyItem, sentences: list[Sentence]) -> ItemResult:
    unique = sorted({s.index: s for s in sentences}.values(), key=lambda s: s.index)
    evidence = tuple(evidence_of(s) for s in unique[:MAX_EVIDENCE])
    return ItemResult(key, bool(unique), evidence)


def _heading_over_text(spec: ItemSpec, doc: Document, sentence: Sentence) -> bool:
    """A heading that names a right and has body text under it ("Right to object" / "You…")."""
    if spec.key not in HEADED_ITEMS or not matches(_NAMES_A_RIGHT, sentence):
        return False
    following = sentence.index + 1
    return following < len(doc.sentences) and not doc.sentences[following].heading


def in_quotation(doc: Document, sentence: Sentence) -> bool:
    """True inside a quoted passage (a paragraph opening on a quotation mark): the law's words,
    as in '"Taking into account the nature, scope, context and purposes of the processing…"',
    are not the policy's own statement of its purposes."""
    line = doc.lines[sentence.line].text
    return line.lstrip()[:1] in QUOTE_MARKS and len(line.split()) >= QUOTATION_MIN_WORDS


def matching_sentences(spec: ItemSpec, doc: Document) -> list[Sentence]:
    """Every body sentence (or right heading over text) matching ``spec``, in text order.

    A quoted list of what a right of access returns names recipients, transfers and the
    complaint right without stating them (``rightslist``): never evidence of those.
    """
    veto = spec.veto.get(doc.lang)
    listed = rights_list_sentences(doc) if spec.key in LISTED_ITEMS else frozenset()
    return [
        sentence
        for sentence in doc.sentences
        if (not sentence.heading or _heading_over_text(spec, doc, sentence))
        and sentence.index not in listed
        and not in_quotation(doc, sentence)
        and not matches(QUOTES_THE_LAW[doc.lang], sentence)
        and not matches(veto, sentence)
        and any(pattern_matches(p, sentence) for p in spec.patterns[doc.lang])
    ]


def detect_pattern_item(spec: ItemSpec, doc: Document) -> ItemResult:
    """A pattern item: present when a body sentence matches one of its patterns."""
    return _result(spec.key, matching_sentences(spec, doc))


def detect_controller_identity(doc: Document) -> ItemResult:
    """The controller's legal name where the text introduces the controller."""
    found: list[Sentence] = []
    for match in find_controller_names(doc.text, doc.lang):
        found.extend(s for s in doc.sentences if s.start < match.end and match.start < s.end)
    return _result(TransparencyItem.CONTROLLER_IDENTITY, found)


def _under_authority(doc: Document, sentence: Sentence) -> bool:
    """True when the lines just above, in the same block of lines, name the authority.

    "Who: Information Commissioner's Office" / "Email: report@ico.org.uk": the address
    on the second line is the authority's, though its own line does not say so.
    """
    before = doc.text[: sentence.start].split("\n\n")[-1].split("\n")[-AUTHORITY_LINES - 1 :]
    return any(about_authority(line) for line in before)


def detect_controller_contact(doc: Document) -> ItemResult:
    """An e-mail, phone, postal address or contact page outside authority and DPO sentences."""
    found: list[Sentence] = []
    for contact in find_contacts(doc.text):
        sentence = doc.sentence_at(contact.start)
        if (
            sentence is None
            or about_authority(sentence.text)
            or about_dpo(sentence.text, doc.lang)
            or _under_authority(doc, sentence)
        ):
            continue
        if contact.value == "email" and "cnil.fr" in doc.text[contact.start : contact.end]:
            continue
        found.append(sentence)
    return _result(TransparencyItem.CONTROLLER_CONTACT, found)


def _dpo_section_end(doc: Document, sentence: Sentence) -> int:
    """Where a way to reach the DPO may stand: the next sentence, or the whole section
    under a heading that names the DPO (its name, address, phone and e-mail on lines of
    their own), up to the next heading."""
    following = doc.sentences[sentence.index + 1 : sentence.index + 1 + DPO_SECTION_SENTENCES]
    if not sentence.heading:
        return following[0].end if following else sentence.end
    end = sentence.end
    for after in following:
        # Name, address and "Phone: +49 …" lines are short and unpunctuated like headings;
        # the section ends at the next marked heading ("## …") or after a few sentences.
        if _MARKED_HEADING.match(doc.lines[after.line].text):
            break
        end = after.end
    return end


def detect_dpo_contact(doc: Document) -> ItemResult:
    """The DPO named as such, with a way to reach them in the same or the next sentence,
    or in the section under a heading that names them."""
    found: list[Sentence] = []
    contacts = find_contacts(doc.text)
    for sentence in doc.sentences:
        if not about_dpo(sentence.text, doc.lang):
            continue
        end = _dpo_section_end(doc, sentence)
        if any(sentence.start <= c.start < end for c in contacts):
            found.append(sentence)
    return _result(TransparencyItem.DPO_CONTACT, found)


def is_retention_sentence(sentence: Sentence, lang: str) -> bool:
    """A sentence about keeping, archiving or deleting data (not about requests or security)."""
    return matches(RETENTION_CUE[lang], sentence) and not matches(RETENTION_VETO[lang], sentence)


def gives_period(sentence: Sentence, lang: str) -> bool:
    """True when a retention sentence fixes a period or an end criterion."""
    return bool(find_periods(sentence.text)) or matches(RETENTION_PERIOD[lang], sentence)


def detect_retention(doc: Document) -> ItemResult:
    """A retention sentence that gives a period or a criterion ("until the account is deleted")."""
    listed = rights_list_sentences(doc)
    found = [
        s
        for s in doc.sentences
        if not s.heading
        and s.index not in listed
        and is_retention_sentence(s, doc.lang)
        and gives_period(s, doc.lang)
    ]
    return _result(TransparencyItem.RETENTION, found)


def vague_retention(doc: Document) -> list[Sentence]:
    """Retention sentences with no period: "as long as necessary", or none at all."""
    listed = rights_list_sentences(doc)
    return [
        s
        for s in doc.sentences
        if not s.heading
        and s.index not in listed
        and is_retention_sentence(s, doc.lang)
        and not gives_period(s, doc.lang)
        and (matches(RETENTION_VAGUE[doc.lang], s) or matches(r"\b(retention|conservation)\b", s))
    ]


def detect_items(doc: Document) -> dict[TransparencyItem, ItemResult]:
    """Every item of ``ITEM_KEYS``, present or missing, with its evidence."""
    results = {spec.key: detect_pattern_item(spec, doc) for spec in ITEM_SPECS}
    results[TransparencyItem.CONTROLLER_IDENTITY] = detect_controller_identity(doc)
    results[TransparencyItem.CONTROLLER_CONTACT] = detect_controller_contact(doc)
    results[TransparencyItem.DPO_CONTACT] = detect_dpo_contact(doc)
    results[TransparencyItem.RETENTION] = detect_retention(doc)
    return {key: results[key] for key in ITEM_KEYS}
