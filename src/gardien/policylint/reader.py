"""Reading a privacy policy file (Markdown, HTML or plain text) into analysable text.

Offsets in every report are offsets in *the text as read*:

- Markdown and plain text are read as they are (UTF-8, a leading BOM dropped),
  so offsets are character offsets in the file itself;
- HTML is converted to text first (tags removed, entities decoded, block
  elements turned into line breaks, each table row one line ``| cell | cell |``
  read as a Markdown table row, ``<script>``/``<style>`` dropped), and
  offsets point into that converted text, which ``PolicyText.text`` holds.

Anything that cannot be read as a text (missing file, a directory, binary
data, not UTF-8, nothing but blanks) raises ``PolicyLintError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from gardien.errors import PolicyLintError

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_HTML_START = re.compile(r"^\s*(<!doctype html|<html|<body|<head)", re.IGNORECASE)
# Elements whose boundaries are line breaks in the text as read.
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_SKIPPED_TAGS = frozenset({"script", "style", "template", "noscript", "head"})


@dataclass(frozen=True, slots=True)
class PolicyText:
    """A policy as read: its text (what offsets refer to), format and origin."""

    text: str
    format: str
    source: str


class _TextExtractor(HTMLParser):
    """Collects the visible text of an HTML page, one line per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0
        # A table row is one line, "| cell | cell |", read as a Markdown table row.
        self._tables = 0
        self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag == "table":
            self._tables += 1
            self.parts.append("\n")
        elif self._tables and tag == "tr":
            self.parts.append("\n|")
        elif self._tables and tag in ("td", "th"):
            self._in_cell = True
            self.parts.append(" ")
        elif self._in_cell and tag in _BLOCK_TAGS:
            self.parts.append(" ")
        elif tag in _BLOCK_TAGS and not self._tables:
            self.parts.append("\n- " if tag == "li" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag == "table":
            self._tables = max(0, self._tables - 1)
            self.parts.append("\n")
        elif self._tables and tag in ("td", "th"):
            self._in_cell = False
            self.parts.append(" |")
        elif self._in_cell and tag in _BLOCK_TAGS:
            self.parts.append(" ")
        elif tag in _BLOCK_TAGS and not self._tables:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skipping or (self._tables and not self._in_cell):
            return  # layout between a table's cells
        self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """The visible text of ``html``: block elements become lines, list items ``- ``."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    text = "".join(extractor.parts)
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def is_html(text: str, source: str = "") -> bool:
    """True when ``source`` has an HTML suffix or ``text`` starts like a web page."""
    return Path(source).suffix.lower() in HTML_SUFFIXES or bool(_HTML_START.match(text))


def policy_from_string(text: str, source: str = "<text>") -> PolicyText:
    """Wrap an already-decoded text, converting it from HTML when it is a web page."""
    if is_html(text, source):
        return PolicyText(html_to_text(text), "html", source)
    fmt = "md" if Path(source).suffix.lower() in {".md", ".markdown"} else "text"
    return PolicyText(text, fmt, source)


def read_policy(path: str | Path) -> PolicyText:
    """Read the policy at ``path``; raise ``PolicyLintError`` when it is not a readable text."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PolicyLintError(f"{path}: no such file; give the path of a policy text") from None
    except IsADirectoryError:
        raise PolicyLintError(f"{path}: is a directory; give the path of a policy text") from None
    except OSError as exc:
        raise PolicyLintError(f"{path}: cannot be read ({exc.strerror})") from None
    if b"\x00" in data:
        raise PolicyLintError(f"{path}: is a binary file; give a Markdown, HTML or text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolicyLintError(
            f"{path}: is not UTF-8 (byte {exc.start}); re-save it as UTF-8 and try again"
        ) from None
    policy = policy_from_string(text, str(path))
    if not policy.text.strip():
        raise PolicyLintError(f"{path}: is empty; there is no policy text to check")
    return policy
