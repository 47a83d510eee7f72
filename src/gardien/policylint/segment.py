"""Cutting a policy text into lines and sentences, each with its offsets and lemmas.

A line is the unit of layout: a heading, a list item or a paragraph. It is
usually the text between two line breaks, but a paragraph hard-wrapped over
several lines (as Markdown sources often are) is one line: a line break after
a long line with no final punctuation, or before a lowercase word, continues
the paragraph. Each line is parsed by spaCy and cut into sentences. Every
sentence keeps its offsets in the text as read, its lowercase surface form
and its lowercase lemmas (the two views the item patterns match, both in
Unicode NFC so that a decomposed "é" reads as "é"), and the parsed span for
the checks that need the grammar.

A Markdown table row is one sentence whose matchable views name each cell
after its column ("basis: legitimate interest; reason: fraud prevention").
What a reader of the published page never sees is left out: a Markdown file's
front matter (``---`` or ``+++`` block at the top), HTML comments and
template directives (``{% … %}``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gardien.policylint.markup import markup_view

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Span

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "«": '"', "»": '"'})
_SPACES = re.compile(r"\s+")
_HEADING_MARK = re.compile(r"^\s*(#{1,6}\s|<h[1-6][\s>])", re.IGNORECASE)
_TERMINAL = (".", ";", ":", "!", "?", ",")
HEADING_MAX_CHARS = 90
HEADING_MAX_WORDS = 12
#: A line that starts a block of its own: list item, heading, table row, tag, quote.
_BLOCK_START = re.compile(r"^\s*([-*+•·–—▪◦>|#<]|\d{1,2}[.)]\s|\(?[a-z]\)\s)")
#: A line end that breaks the paragraph: final punctuation, an HTML or Markdown hard break.
_HARD_END = re.compile(r"([.:;!?]\**|<br\s*/?>|\s{2})$", re.IGNORECASE)
#: Hard-wrapped paragraphs wrap at 60-100 characters; a shorter line ending with no
#: punctuation is a line of its own (an address line, a list item without a marker).
WRAP_MIN_CHARS = 50
#: A parser "sentence" of at most this many words belongs to the one before it.
FRAGMENT_MAX_WORDS = 2
_FRONT_MATTER_FENCES = ("---", "+++")
#: A table-of-contents entry: a link to a heading of the same page, and nothing else.
_CONTENTS_ENTRY = re.compile(r"^\s*([-*+]|\d{1,2}[.)])?\s*\[[^\]]+\]\(#[^)]*\)\s*$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}")
_TEMPLATE_LINE = re.compile(r"^\s*\{%.*%\}\s*$")


def normalise(text: str) -> str:
    """Lowercase, NFC, straight quotes and apostrophes, single spaces: the view patterns match."""
    text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", text.translate(_QUOTES)).strip().lower()


@dataclass(frozen=True)
class Sentence:
    """One sentence of the text, located and in its two matchable views."""

    index: int
    line: int
    start: int
    end: int
    text: str
    low: str
    lemmas: str
    heading: bool
    span: Span


@dataclass(frozen=True)
class Line:
    """One non-blank line of the text and the indexes of its sentences."""

    index: int
    start: int
    end: int
    text: str
    sentences: tuple[int, ...]


@dataclass(frozen=True)
class Document:
    """A segmented policy: the text as read, its lines and its sentences."""

    text: str
    lang: str
    lines: tuple[Line, ...]
    sentences: tuple[Sentence, ...]
    #: The text as a visitor reads it: ``text`` with HTML tags blanked (same offsets).
    view: str = ""

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence that contains ``offset``, if any."""
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None

    def next_line(self, line: int) -> Line | None:
        return self.lines[line + 1] if line + 1 < len(self.lines) else None


def _is_heading(line_text: str) -> bool:
    if "\n" in line_text:
        return False  # a wrapped paragraph
    if _HEADING_MARK.match(line_text) or _CONTENTS_ENTRY.match(line_text):
        return True
    stripped = line_text.strip()
    if stripped.startswith(("**", "__")):
        # "**Title**" is a heading; "**Label:** text" is a line of text.
        if not stripped.endswith(("**", "__")):
            return False
        stripped = stripped.strip("*_").strip()
    return (
        len(stripped) <= HEADING_MAX_CHARS
        and len(stripped.split()) <= HEADING_MAX_WORDS
        and not stripped.endswith(_TERMINAL)
        and (stripped[:1].isupper() or stripped[:1].isdigit())
    )


def hidden_lines(raw: list[str]) -> set[int]:
    """Indexes of the lines a reader never sees: front matter, HTML comments, template tags."""
    hidden: set[int] = set()
    first = next((i for i, line in enumerate(raw) if line.strip()), None)
    if first is not None and raw[first].strip() in _FRONT_MATTER_FENCES:
        fence = raw[first].strip()
        close = next((i for i in range(first + 1, len(raw)) if raw[i].strip() == fence), None)
        if close is not None:
            hidden.update(range(first, close + 1))
    in_comment = False
    for index, line in enumerate(raw):
        stripped = line.strip()
        if in_comment or stripped.startswith("<!--"):
            hidden.add(index)
            in_comment = "-->" not in stripped
        elif _TEMPLATE_LINE.match(line):
            hidden.add(index)
    return hidden


def _continues(previous: str, line: str) -> bool:
    """True when ``line`` continues the paragraph ``previous`` was wrapped from."""
    if _HEADING_MARK.match(previous) or _BLOCK_START.match(line) or _HARD_END.search(previous):
        return False
    if line.strip()[:1].islower():
        return True
    # A long line that reads as a heading ("Detailed information on the processing of
    # Personal Data") followed by a capitalised line is a heading over its paragraph.
    return len(previous.strip()) >= WRAP_MIN_CHARS and not _is_heading(previous)


def _blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line of layout: wrapped paragraphs joined, hidden lines left out."""
    raw = text.split("\n")
    hidden = hidden_lines(raw)
    blocks: list[tuple[int, int]] = []
    offset = 0
    previous: str | None = None
    for index, line in enumerate(raw):
        stripped = line.strip()
        if stripped and index not in hidden:
            start = offset + line.index(stripped[0])
            end = start + len(stripped)
            if previous is not None and blocks and _continues(previous, line):
                blocks[-1] = (blocks[-1][0], end)
            else:
                blocks.append((start, end))
            previous = line
        else:
            previous = None
        offset += len(line) + 1
    return blocks


#: Abbreviations after which a sentence never ends: "Art. 15", "cf. art. 6", "e.g. for",
#: "M. Dupont", « n° 12 ». The parser sometimes cuts there.
_NEVER_ENDS = re.compile(
    r"(?:^|[\s(\[/'\"«])(art|arts|cf|e\.g|i\.e|m|mme|mmes|mlle|mr|mrs|ms|dr|me|pr|st|p|pp|al|"
    r"réf|ref|ex|fig|ch|chap|sect|para|vs|approx|env|n°|nos?(?=\.))\.?$",
    re.IGNORECASE,
)
#: Abbreviations that end a sentence only before a capital ("…, etc. We keep…", "Acme
#: Ltd. We…"), not before a lower-case word or a number ("etc. for one year", "Acme
#: S.A.S. qui est…").
_ENDS_BEFORE_CAPITAL = re.compile(
    r"(?:^|[\s(\[/'\"«])(etc|ltd|inc|s\.a\.s|s\.a\.r\.l|s\.a|sas|sarl|corp|co|llc|plc|"
    r"e\.v|gmbh|b\.v|n\.v|ag)\.$",
    re.IGNORECASE,
)


def cut_at_abbreviation(before: str, after: str) -> bool:
    """True when the parser cut a sentence at an abbreviation that does not end it."""
    before, after = before.rstrip(), after.lstrip()
    if not after:
        return False
    if _NEVER_ENDS.search(before):
        # "no." ends a sentence ("The answer is no."); "No. 12" does not.
        return not before.lower().endswith(("no.", "nos.")) or after[:1].isdigit()
    if _ENDS_BEFORE_CAPITAL.search(before):
        return not after[:1].isupper()
    return False


def _whole_sentences(doc: SpacyDoc) -> list[Span]:
    """The parser's sentences, with fragments of one or two words put back where they belong.

    The parser sometimes cuts "Vos données sont utilisées uniquement pour :" before
    "pour :", or "## 1. Responsable" after "## 1.": a fragment that short is no sentence.
    """
    spans = [span for span in doc.sents if span.text.strip()]
    merged: list[Span] = []
    glue = False  # the last span joined after an abbreviation did not end its sentence
    for span in spans:
        words = sum(1 for token in span if token.is_alpha)
        if merged and (glue or cut_at_abbreviation(merged[-1].text, span.text)):
            # "Under Art." / "15" / "GDPR you may…": the cut after the number is the
            # parser's second mistake; the sentence goes on to its final punctuation.
            merged[-1] = doc[merged[-1].start : span.end]
            glue = not span.text.rstrip().endswith((".", "!", "?", ":", ";"))
        elif merged and words <= FRAGMENT_MAX_WORDS:
            merged[-1] = doc[merged[-1].start : span.end]
        elif merged and sum(1 for t in merged[-1] if t.is_alpha) == 0:
            merged[-1] = doc[merged[-1].start : span.end]  # "## 1." before its heading
        else:
            merged.append(span)
    return merged


def _cells(row: str) -> list[str]:
    return [cell.strip(" *_`") for cell in row.strip().strip("|").split("|")]


def table_view(header: list[str], row: str) -> str:
    """A table row as the patterns read it: each cell after its column's name.

    "| IP address | Legitimate interest | Fraud prevention |" under "| Data | Basis | Reason |"
    reads "data: ip address; basis: legitimate interest; reason: fraud prevention", so that a
    column says what its cells are, as a sentence would.
    """
    cells = _cells(row)
    named = [f"{name}: {cell}" if name else cell for name, cell in zip(header, cells, strict=False)]
    return normalise("; ".join(named + cells[len(header) :]))


def _table_headers(
    text: str, blocks: list[tuple[int, int]]
) -> tuple[dict[int, list[str]], set[int]]:
    """For each data row of a Markdown table (by block index), the names of its columns;
    and the block indexes of the header rows (column names, not sentences)."""
    headers: dict[int, list[str]] = {}
    header_rows: set[int] = set()
    header: list[str] | None = None
    previous_end = -2
    for index, (start, end) in enumerate(blocks):
        row = text[start:end]
        adjacent = text[previous_end:start].count("\n") <= 1
        previous_end = end
        if not row.startswith("|"):
            header = None
        elif header is None or not adjacent:
            header = _cells(row)
            header_rows.add(index)
        elif not _TABLE_RULE.match(row):
            headers[index] = header
    return headers, header_rows


def segment(text: str, lang: str, nlp: Language) -> Document:
    """Cut ``text`` into lines and sentences with ``nlp``'s parser.

    HTML inside the text is read through its view (``markup.markup_view``): the same
    offsets, tags blanked, tables as rows. Quotes are of ``text`` itself.
    """
    view = markup_view(text)
    blocks = _blocks(view)
    headers, header_rows = _table_headers(view, blocks)
    lines: list[Line] = []
    sentences: list[Sentence] = []
    # Inner line breaks become spaces for the parser: same length, so offsets hold.
    docs = nlp.pipe(view[start:end].replace("\n", " ") for start, end in blocks)
    for line_index, ((line_start, line_end), doc) in enumerate(zip(blocks, docs, strict=True)):
        line_text = view[line_start:line_end]
        # A table's header row names its columns: a heading, not a sentence.
        heading = _is_heading(line_text) or line_index in header_rows
        first = len(sentences)
        # A table row is one sentence, read cell by cell under its column names.
        spans = [doc[:]] if line_index in headers else _whole_sentences(doc)
        for span in spans:
            if not span.text.strip():
                continue
            start = line_start + span.start_char + (len(span.text) - len(span.text.lstrip()))
            end = line_start + span.start_char + len(span.text.rstrip())
            surface, seen = text[start:end], view[start:end]
            lemmas = " ".join(t.lemma_.lower() for t in span if not t.is_space)
            if line_index in headers:
                low = lemma_view = table_view(headers[line_index], seen)
                heading = False
            else:
                low, lemma_view = normalise(seen), normalise(lemmas)
            sentences.append(
                Sentence(
                    index=len(sentences),
                    line=line_index,
                    start=start,
                    end=end,
                    text=surface,
                    low=low,
                    lemmas=lemma_view,
                    heading=heading,
                    span=span,
                )
            )
        lines.append(
            Line(
                index=line_index,
                start=line_start,
                end=line_end,
                text=line_text,
                sentences=tuple(range(first, len(sentences))),
            )
        )
    return Document(text, lang, tuple(lines), tuple(sentences), view)
