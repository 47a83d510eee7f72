"""Helpers of the notice tests: reading rendered HTML as a reader sees it."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class TextExtractor(HTMLParser):
    """The text a reader sees, whitespace collapsed, and the tags met on the way."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
            if name == "href" and value:
                self.hrefs.append(value)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


def parse_html(document: str) -> TextExtractor:
    parser = TextExtractor()
    parser.feed(document)
    parser.close()
    return parser


def visible_text(document: str, fmt: str) -> str:
    """The notice as read: HTML tags dropped, Markdown emphasis and escapes removed."""
    if fmt == "html":
        return parse_html(document).text
    text = re.sub(r"\\(.)", r"\1", document.replace("**", ""))
    return " ".join(text.split())
