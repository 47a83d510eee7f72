"""Where each sentence of a notice comes from: the test-only provenance mode.

A notice may state only what the company declared, or what a rule of law
makes true of every controller. To hold the templates to that, every block of
the notice (a paragraph, a list item, a table row) names its sources in the
templates: declaration paths (``purposes.marketing.retention``), rules of law
(``law:art-12-5``, keys of ``LAW``), or ``declaration`` (the version reference
hashed from the declaration as a whole). ``notice_blocks`` renders a notice
with those sources marked and returns each block's text beside them; a
published notice (``render_notice``) never carries the marks.

``undeclared_sources`` then says which sources name nothing declared: a
sentence printed on the strength of a default, or of a field the company left
out, is a sentence from nowhere.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gardien.declaration import declared_content
from gardien.declaration.models import Declaration
from gardien.notice.environment import Format
from gardien.notice.notice import render
from gardien.notice.vocabulary import Lang

#: The rules of law a notice may state for every controller, by the id the
#: templates cite them with.
LAW: Mapping[str, str] = {
    "art-5-1-e": "GDPR Art. 5(1)(e): data kept no longer than its purpose needs",
    "art-7-3": "GDPR Art. 7(3): consent can be withdrawn at any time, as easily as given",
    "art-7-4": "GDPR Art. 4(11), 7(4): data given on consent is given freely",
    "art-9": "GDPR Art. 9: special categories only under an Art. 9(2) condition",
    "art-12-2": "GDPR Art. 12(2): the controller facilitates the exercise of rights",
    "art-12-3": "GDPR Art. 12(3): an answer within one month",
    "art-12-5": "GDPR Art. 12(5): exercising rights is free of charge",
    "art-12-6": "GDPR Art. 12(6): identity proof asked only on reasonable doubt",
    "art-13-14": "GDPR Art. 13, 14: the information a notice gives",
    "art-13-1-f": "GDPR Art. 13(1)(f), 14(1)(f): how to obtain a copy of transfer safeguards",
    "art-13-3": "GDPR Art. 13(3), 12(1): people are told of changes to the processing",
    "art-15-22": "GDPR Art. 15-22: the data subject's rights",
    "art-15": "GDPR Art. 15: right of access",
    "art-16": "GDPR Art. 16: right to rectification",
    "art-17": "GDPR Art. 17: right to erasure",
    "art-18": "GDPR Art. 18: right to restriction",
    "art-19": "GDPR Art. 19: recipients are told of rectification, erasure, restriction",
    "art-20": "GDPR Art. 20: portability of data processed on consent or contract",
    "art-21": "GDPR Art. 21(1): objection to legitimate interest or public task processing",
    "art-21-2": "GDPR Art. 21(2)-(3): absolute objection to direct marketing",
    "art-22-3": "GDPR Art. 22(3): human intervention, point of view, contest",
    "art-26-2": "GDPR Art. 26(2): the essence of a joint controllers' arrangement",
    "art-26-3": "GDPR Art. 26(3): rights against each joint controller",
    "art-28-3": "GDPR Art. 28(3)(a): processors act only on the controller's instructions",
    "art-32": "GDPR Art. 32: security of processing",
    "art-45": "GDPR Art. 45: the Commission's adequacy decision for a country",
    "art-77": "GDPR Art. 77: complaint to a supervisory authority",
    "loi-78-17-art-82": "Loi Informatique et Libertés art. 82: consent to cookies, its exemptions",
    "loi-78-17-art-85": "Loi Informatique et Libertés art. 85: directives after death",
    "bdsg": "Bundesdatenschutzgesetz (BDSG): German law completing the GDPR",
    "tdddg-25": "TDDDG § 25: consent to storing or reading information on a device, exemptions",
    "eprivacy-5-3": "Directive 2002/58/EC Art. 5(3), as transposed: consent to cookies, exemptions",
    "art-13-2-e": "GDPR Art. 13(2)(e): whether providing the data is required, and why",
    "art-21-4": "GDPR Art. 21(4): the right to object is presented clearly and apart",
}

#: The source of the version reference hashed from the whole declaration.
WHOLE_DECLARATION = "declaration"

_BLOCK = re.compile(r"⟦([^⟧]*)⟧(.*?)⟦/⟧", re.DOTALL)
_MARK = re.compile(r"⟦[^⟧]*⟧")
_MD_LINK = re.compile(r"\[([^\]]*)\]\(<[^>]*>\)")
_MD_ESCAPE = re.compile(r"\\(.)")
_CELL_TAG = re.compile(r"</?(?:t[dhr]|p|li|ul|ol|table|caption|br)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Block:
    """A paragraph, list item or table row of a notice, as read, and its sources."""

    text: str
    sources: tuple[str, ...]

    @property
    def paths(self) -> tuple[str, ...]:
        """The sources that are declaration paths (not rules of law, not the whole declaration)."""
        return tuple(s for s in self.sources if not s.startswith("law:") and s != WHOLE_DECLARATION)


def marked_notice(declaration: Declaration, lang: Lang, fmt: Format) -> str:
    """The notice with every block marked ``⟦sources⟧ … ⟦/⟧`` and captions ``⟦@⟧ … ⟦/⟧``."""
    return render(declaration, lang, fmt, provenance=True)


def unmarked(text: str) -> str:
    """A marked notice with its marks removed: the published notice."""
    return _MARK.sub("", text)


def _readable(fragment: str, lang: Lang, fmt: Format) -> str:
    if fmt == "html":
        opening, closing = {"fr": ("« ", " »"), "de": ("„", "“")}.get(lang, ("“", "”"))
        fragment = fragment.replace("<q>", opening).replace("</q>", closing)
        fragment = html.unescape(_TAG.sub("", _CELL_TAG.sub(" ", fragment)))
    else:
        fragment = _MD_LINK.sub(r"\1", fragment.replace("**", ""))
        fragment = re.sub(r"(?<!\\)\|", " ", fragment)
        fragment = _MD_ESCAPE.sub(r"\1", fragment)
    return " ".join(fragment.split())


def blocks_of(marked: str, lang: Lang, fmt: Format) -> list[Block]:
    """The blocks of a marked notice, captions left out."""
    return [
        Block(_readable(match.group(2), lang, fmt), tuple(match.group(1).split()))
        for match in _BLOCK.finditer(marked)
        if match.group(1) != "@"
    ]


def notice_blocks(declaration: Declaration, lang: Lang, fmt: Format) -> list[Block]:
    """Every block of the notice, with the sources it cites."""
    return blocks_of(marked_notice(declaration, lang, fmt), lang, fmt)


def outside_blocks(marked: str) -> str:
    """What a marked notice says outside any block or caption (headings, table heads)."""
    return _BLOCK.sub("", marked)


def resolves(content: Any, path: str) -> bool:
    """Whether ``path`` names something declared in ``content`` (``declared_content``).

    Keys may hold dots themselves (``data_categories.user.contact.email``): at
    each level the longest key that matches is taken. List items are numbered
    from 0 (``security_measures.1``).
    """
    parts = path.split(".")
    node = content
    i = 0
    while i < len(parts):
        if isinstance(node, Mapping):
            for j in range(len(parts), i, -1):
                key = ".".join(parts[i:j])
                if key in node:
                    node, i = node[key], j
                    break
            else:
                return False
        elif isinstance(node, list) and parts[i].isdigit() and int(parts[i]) < len(node):
            node, i = node[int(parts[i])], i + 1
        else:
            return False
    return node is not None


def undeclared_sources(declaration: Declaration, blocks: Sequence[Block]) -> list[str]:
    """Each block whose sources are missing or name nothing declared, with why."""
    content = declared_content(declaration)
    found: list[str] = []
    for block in blocks:
        if not block.sources:
            found.append(f"no source: {block.text!r}")
        for source in block.sources:
            if source.startswith("law:"):
                if source[4:] not in LAW:
                    found.append(f"unknown rule of law {source}: {block.text!r}")
            elif source != WHOLE_DECLARATION and not resolves(content, source):
                found.append(f"{source} is not declared: {block.text!r}")
    return found
