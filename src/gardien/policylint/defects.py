# ruff: noqa: E501  (regular expressions read best on one line each)
"""Defects of a policy text itself: what is broken, whatever the company declared.

Each kind has its rule here and its patterns as constants: passages pasted
twice, a colon announcing a list that never comes, a sentence that lost its
subject (the controller's name), a reference or a contact promised and not
given, retention mentioned without a period. The same defect repeated in
every copy of a pasted passage is reported once, with its count.
"""

from __future__ import annotations

import re

from gardien.declaration.transparency import TransparencyItem
from gardien.policylint.controller import find_contacts
from gardien.policylint.detect import vague_retention
from gardien.policylint.report import Defect, ItemResult
from gardien.policylint.segment import Document, Line, Sentence, normalise

DUPLICATE_MIN_WORDS = 15
DUPLICATE_SIMILARITY = 0.85
#: A sentence ending on a reference with nothing after it ("available at:").
DANGLING_END = {
    "en": r"(\b(available|accessible|consult\w*|found|viewed|downloaded|published|visit\w*|see)\b.{0,50}\b(at|on|via|from|here)\s*:?|\bfollowing (link|url|page|website)\s*:?|\b(link|url|website|page)\s*:)$",
    "fr": r"(\b(disponibles?|accessibles?|consultables?|consulter|trouverez|rendez-vous)\b.{0,50}\b(à|sur|ici|via|à l'adresse( suivante)?)\s*:?|\blien (suivant|ci-dessous)\s*:?|\b(lien|site|page)\s*:)$",
}
#: A sentence promising a way to reach the company, ending before it is given.
CONTACT_END = {
    "en": r"(\b(send\w*|address\w*|writ\w*|e-?mail\w*|contact\w*|reach\w*)\b.{0,60}\b(to|at)|\b(contact details|following (e-?mail |postal )?address(es)?)\b.{0,40}:)\s*:?$",
    "fr": r"(\b(écri\w*|adress\w*|envoy\w*|contact\w*|joindre)\b.{0,60}\b(à|au)|\b(coordonnées|adresses? (e-?mail |électronique |postale )?suivantes?)\b.{0,40}:)\s*:?$",
}
#: Enumerators that open a list item.
LIST_ITEM = re.compile(r"^\s*([-*•·–—▪◦]|\(?\d{1,2}[.)\-]|\(?[ivx]{1,4}\)|[a-z][.)]\s)")
#: A paragraph describing one case of an announced list ("When necessary for…, we…").
CIRCUMSTANCE = {"en": r"^(When|If|Where|In case)\b", "fr": r"^(Lorsque|Lorsqu'|Si|Quand|En cas)\b"}
QUOTE_OPEN = re.compile(r'^\s*["“«]')
SUBJECT_DEPS = ("nsubj", "nsubjpass", "nsubj:pass", "csubj", "csubj:pass", "expl", "expl:subj")
#: A numbered ALL-CAPS heading run into a verb: "4- PURPOSE processes your data".
HEADING_INTO_VERB = re.compile(
    r"^\d+(\.\d+)*\s*[-.)]?\s*[A-Z][A-Z'’ ]*[A-Z]\s+(is|does|has|[a-z]+s)\b"
)
#: A preposition left without its object: the name that followed was lost.
ORPHAN_PREPOSITION = re.compile(
    r"\b(of|from|with|by)\s+(In|These|This|Such|When|If|Where)\b|\b(of|from|with|by)\s*;"
)
CLITICS = frozenset({"s'", "se", "ne", "n'", "y", "en", "l'", "le", "la", "les", "lui", "leur"})
NOMINAL_POS = frozenset({"PROPN", "NOUN", "PRON", "DET", "NUM", "X"})
_WORDS = re.compile(r"\w+")


def _defect(kind: str, message: str, start: int, end: int) -> Defect:
    return Defect(kind, message, start, end)


def duplicated_passages(doc: Document) -> list[Defect]:
    """Runs of sentences that repeat earlier ones (exactly or nearly: Jaccard ≥ 0.85)."""
    seen: list[tuple[frozenset[str], Sentence]] = []
    exact: dict[str, Sentence] = {}
    copies: dict[int, Sentence] = {}
    for sentence in doc.sentences:
        words = _WORDS.findall(sentence.low)
        if len(words) < DUPLICATE_MIN_WORDS:
            continue
        bag = frozenset(words)
        original = exact.get(sentence.low)
        if original is None:
            for earlier_bag, earlier in seen:
                if len(bag & earlier_bag) / len(bag | earlier_bag) >= DUPLICATE_SIMILARITY:
                    original = earlier
                    break
        if original is not None:
            copies[sentence.index] = original
        else:
            exact[sentence.low] = sentence
            seen.append((bag, sentence))
    defects: list[Defect] = []
    run: list[Sentence] = []
    for sentence in doc.sentences:
        if sentence.index in copies:
            if run and copies[sentence.index].index < copies[run[-1].index].index:
                defects.append(_passage_defect(doc, run, copies))
                run = []
            run.append(sentence)
            continue
        if run and len(_WORDS.findall(sentence.low)) >= DUPLICATE_MIN_WORDS:
            defects.append(_passage_defect(doc, run, copies))
            run = []
    if run:
        defects.append(_passage_defect(doc, run, copies))
    return defects


def _passage_defect(doc: Document, run: list[Sentence], copies: dict[int, Sentence]) -> Defect:
    first = copies[run[0].index]
    line = doc.text.count("\n", 0, first.start) + 1
    count = len(run)
    return _defect(
        "duplicated_passage",
        f"this passage ({count} sentence{'s' if count > 1 else ''}) repeats the text at line {line}",
        run[0].start,
        run[-1].end,
    )


def _has_subject(sentence: Sentence) -> bool:
    root = sentence.span.root
    return any(child.dep_ in SUBJECT_DEPS for child in root.children)


def _list_like(doc: Document, line: Line) -> bool:
    """True when a line reads as a list item, a quotation or contact details."""
    text = line.text
    if LIST_ITEM.match(text) or QUOTE_OPEN.match(text) or text[:1].islower():
        return True
    if text.rstrip().endswith((";", ",")) or find_contacts(text):
        return True
    first = doc.sentences[line.sentences[0]] if line.sentences else None
    return first is not None and not _has_subject(first)


def _ends_line(doc: Document, sentence: Sentence) -> bool:
    return doc.lines[sentence.line].sentences[-1] == sentence.index


def _next_gives_contact(doc: Document, sentence: Sentence) -> bool:
    following = doc.next_line(sentence.line)
    return following is not None and bool(find_contacts(following.text))


def _next_is_reference(doc: Document, sentence: Sentence) -> bool:
    following = doc.next_line(sentence.line)
    return following is not None and bool(
        re.match(r"^\s*[(\[<]?(https?://|www\.|\S+\.\w{2,}/)", following.text)
    )


def unfinished_sentences(doc: Document) -> list[Defect]:
    """Contacts promised, references and enumerations announced, then nothing."""
    defects: list[Defect] = []
    for sentence in doc.sentences:
        if sentence.heading or not _ends_line(doc, sentence) or find_contacts(sentence.text):
            continue
        low = sentence.low.rstrip(" .")
        following = doc.next_line(sentence.line)
        if re.search(DANGLING_END[doc.lang], low) and not _next_is_reference(doc, sentence):
            message = "points to a page or document, but nothing follows (no link, no address)"
            kind = "dangling_reference"
        elif re.search(CONTACT_END[doc.lang], low) and not _next_gives_contact(doc, sentence):
            message = "promises a way to reach the company, but no address, e-mail or phone follows"
            kind = "contact_promised_not_given"
        elif low.endswith(":") and (
            following is None or not _announced_list_follows(doc, following)
        ):
            message = "announces a list with a colon, but no list follows"
            kind = "empty_enumeration"
        else:
            continue
        defects.append(_defect(kind, message, sentence.start, sentence.end))
    return defects


def _announced_list_follows(doc: Document, following: Line) -> bool:
    """A list follows when the next line is an item marker or quote, or two fragments follow."""
    text = following.text.rstrip()
    if LIST_ITEM.match(text) or QUOTE_OPEN.match(text) or text.endswith((";", ",")):
        return True
    if re.match(CIRCUMSTANCE[doc.lang], text):
        return True
    if not _list_like(doc, following):
        return False
    after = doc.next_line(following.index)
    return after is None or _list_like(doc, after) or bool(find_contacts(following.text))


def _verb_without_subject(sentence: Sentence, lang: str, sentence_line_start: int) -> bool:
    """A finite third-person verb, opening a clause, whose subject is absent."""
    for token in sentence.span:
        if lang == "en":
            finite = token.tag_ == "VBZ"
        else:
            morph = token.morph
            finite = (
                token.pos_ in ("VERB", "AUX")
                and morph.get("VerbForm", []) == ["Fin"]
                and morph.get("Person", []) == ["3"]
                and morph.get("Number", []) == ["Sing"]
            )
        if not finite:
            continue
        predicate = (
            token.head
            if token.dep_ in ("aux", "auxpass", "aux:pass", "aux:tense", "cop")
            else token
        )
        if predicate.dep_ == "conj" or any(c.dep_ in SUBJECT_DEPS for c in predicate.children):
            continue
        if any(c.dep_ in SUBJECT_DEPS for c in token.children) or predicate.dep_ in (
            "relcl",
            "acl",
            "acl:relcl",
            "advcl",
            "ccomp",
            "xcomp",
        ):
            continue
        first = sentence.span.start
        back = token.i - 1
        while back >= first and token.doc[back].lower_ in CLITICS:
            back -= 1  # "s'engage", "ne traite": the clitic belongs to the verb
        if back < first:
            # A line that opens on a verb is a definition ("Allows access to…");
            # a sentence inside a paragraph that does has lost its subject.
            if sentence.start > sentence_line_start:
                return True
        elif token.doc[back].text in {'"', "”", "“", ";", ":", "("}:
            return True
        elif token.doc[back].text == "," and sentence.span[0].pos_ not in NOMINAL_POS:
            # "Therefore, does not…", "In the context of…, collects…"; but not
            # "Acme SAS, a company registered…, is…" where the name opens the sentence.
            return True
    return False


def missing_subjects(doc: Document) -> list[Defect]:
    """Sentences whose subject (usually the controller's name) was lost."""
    defects: list[Defect] = []
    for sentence in doc.sentences:
        if sentence.heading:
            continue
        if (
            (doc.lang == "en" and HEADING_INTO_VERB.match(sentence.text))
            or ORPHAN_PREPOSITION.search(sentence.text)
            or _verb_without_subject(sentence, doc.lang, doc.lines[sentence.line].start)
        ):
            message = "a subject is missing in this sentence (the controller's name, most likely)"
            defects.append(_defect("missing_subject", message, sentence.start, sentence.end))
    return defects


def retention_without_period(
    doc: Document, items: dict[TransparencyItem, ItemResult]
) -> list[Defect]:
    """Retention described, but no period or criterion anywhere in the text."""
    if items[TransparencyItem.RETENTION].present:
        return []
    message = "describes how long data is kept without any period or criterion"
    return [
        _defect("retention_without_period", message, s.start, s.end) for s in vague_retention(doc)
    ]


def _repeat_key(doc: Document, defect: Defect) -> tuple[str, str]:
    """What makes two defects the same one: kind and wording, or the original passage copied."""
    if defect.kind == "duplicated_passage":
        return defect.kind, defect.message
    return defect.kind, normalise(doc.text[defect.start : defect.end])


def once_per_copy(doc: Document, defects: list[Defect]) -> list[Defect]:
    """The same defect in every copy of a repeated passage, reported once with its count.

    A policy pasted three times has each of its unfinished sentences three
    times: the reader needs one report of each, saying where the others are.
    """
    groups: dict[tuple[str, str], list[Defect]] = {}
    for defect in sorted(defects, key=lambda d: (d.start, d.kind)):
        groups.setdefault(_repeat_key(doc, defect), []).append(defect)
    merged: list[Defect] = []
    for copies in groups.values():
        first = copies[0]
        if len(copies) > 1:
            lines = ", ".join(str(doc.text.count("\n", 0, d.start) + 1) for d in copies[1:])
            message = f"{first.message} ({len(copies)} times in all; also at line(s) {lines})"
            first = Defect(first.kind, message, first.start, first.end)
        merged.append(first)
    return merged


def find_defects(doc: Document, items: dict[TransparencyItem, ItemResult]) -> list[Defect]:
    """Every defect of the text, each reported once, in no particular order."""
    return once_per_copy(
        doc,
        duplicated_passages(doc)
        + unfinished_sentences(doc)
        + missing_subjects(doc)
        + retention_without_period(doc, items),
    )
