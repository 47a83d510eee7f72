"""HTML left inside a Markdown or plain-text policy, read as the text a visitor sees.

A Markdown policy often carries HTML (a ``<table>`` of purposes, ``<br>``,
``<strong>``): a reader of the published page sees its text, not its tags. The
linter reads such a text through a *view* of the same length: every tag is
blanked (replaced by spaces), so that every offset, and so every quoted passage
and every line number, stays the one of the text as read. Structure is kept in
the blanks:

- a block element (``<p>``, ``<div>``, ``<li>``, ``<h2>``…, ``<br>``) starts a
  line: its first character becomes a line break (``<li>`` a ``- `` item, a
  heading a ``#`` heading);
- a table becomes Markdown table rows, one line per ``<tr>`` (``| a | b |``),
  so that its rows are read cell by cell under their column names as a
  Markdown table is, and its markup never reads as words;
- entities (``&nbsp;``, ``&amp;``, ``&eacute;``) become their character, padded;
- comments, ``<script>`` and ``<style>`` are blanked whole.

A text with no HTML tag is its own view.
"""

from __future__ import annotations

import html
import re

_INLINE = (
    "a|abbr|b|bdi|big|cite|code|del|dfn|em|font|i|img|ins|kbd|mark|q|s|samp|small|span|"
    "strong|sub|sup|time|u|var|wbr|label|input|button"
)
_BLOCK = (
    "address|article|aside|blockquote|br|center|dd|details|dialog|div|dl|dt|fieldset|"
    "figcaption|figure|footer|form|header|hr|main|nav|ol|p|pre|section|summary|ul"
)
_TABLE = "table|thead|tbody|tfoot|tr|td|th|caption|colgroup|col"
#: A tag of HTML (only real element names, so that "a < b" or "<3" is left alone).
_TAG = re.compile(
    rf"<(/?)({_INLINE}|{_BLOCK}|{_TABLE}|li|h[1-6]|script|style)\b[^<>]*>",
    re.IGNORECASE,
)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ENTITY = re.compile(r"&(#\d{1,6}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.IGNORECASE)
_SKIPPED = frozenset({"script", "style"})


def _blank(text: str) -> str:
    """``text`` as spaces, its line breaks kept."""
    return re.sub(r"[^\n]", " ", text)


def _fill(start: str, length: int) -> str:
    """``start`` padded with spaces to ``length`` (cut if longer)."""
    return (start + " " * length)[:length]


def _ending(end: str, length: int) -> str:
    """Spaces ending with ``end``, ``length`` characters in all."""
    return (" " * length + end)[-length:]


def has_markup(text: str) -> bool:
    return bool(_TAG.search(text) or _COMMENT.search(text) or _ENTITY.search(text))


def markup_view(text: str) -> str:
    """The text a visitor reads, at the same offsets as ``text`` (see the module docstring)."""
    if not has_markup(text):
        return text
    source = _COMMENT.sub(lambda m: _blank(m.group()), text)
    view = list(source)
    in_table = in_cell = 0
    skip_from: int | None = None
    position = 0
    for match in _TAG.finditer(source):
        start, end = match.span()
        closing, name = match.group(1) == "/", match.group(2).lower()
        if skip_from is not None:
            if closing and name in _SKIPPED:
                view[skip_from:end] = _blank(source[skip_from:end])
                skip_from = None
            continue
        if in_table and not in_cell:
            # Between the cells of a table: layout only, so that each row is one line.
            view[position:start] = _blank(source[position:start]).replace("\n", " ")
        elif in_cell:
            view[position:start] = source[position:start].replace("\n", " ")
        length = end - start
        if name in _SKIPPED and not closing:
            skip_from = start
            replacement = _blank(source[start:end])
        elif name == "table":
            in_table += -1 if closing else 1
            in_table = max(in_table, 0)
            replacement = _ending("\n", length)
        elif name == "tr":
            # A row is one line, from its <tr> to its last </td>: "|" where "<tr>" stands,
            # "|" at the end of each </td>, and the line break at the end of </tr>.
            replacement = _ending("\n", length) if closing else _fill("|", length)
        elif name in ("td", "th"):
            in_cell = 0 if closing else 1
            replacement = _ending("|", length) if closing else " " * length
        elif in_cell or name in _INLINE.split("|") or name in _TABLE.split("|"):
            replacement = " " * length
        elif name == "li" and not closing:
            replacement = _fill("\n- ", length)
        elif re.fullmatch(r"h[1-6]", name) and not closing:
            replacement = _fill("\n# ", length)
        else:
            replacement = _fill("\n", length)
        view[start:end] = replacement.replace("\n", " ") if in_cell else replacement
        position = end
    return _entities("".join(view))


def _entities(view: str) -> str:
    """Entities as the characters they stand for, padded to their length."""

    def decode(match: re.Match[str]) -> str:
        character = html.unescape(match.group())
        if character == match.group():
            return character  # not an entity HTML knows: left as written
        if character in "<>":
            character = "‹" if character == "<" else "›"
        character = character.replace("\xa0", " ")
        return _fill(character, len(match.group()))

    return _ENTITY.sub(decode, view)
