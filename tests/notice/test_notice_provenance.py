"""No sentence from nowhere: every block of every example notice cites what it comes from.

The notice is rendered in the test-only provenance mode (gardien.notice.provenance):
each paragraph, list item and table row carries the declaration paths or rules
of law it states. Each example, in both languages and both formats, must cite
only what it declares; the marks must change nothing else; and the two
languages and formats must say the same things from the same sources.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gardien.declaration import load_valid
from gardien.declaration.models import Declaration
from gardien.notice import render_notice
from gardien.notice.provenance import (
    LAW,
    Block,
    blocks_of,
    marked_notice,
    notice_blocks,
    outside_blocks,
    resolves,
    undeclared_sources,
    unmarked,
)

EXAMPLES_DIR = Path(__file__).parents[2] / "examples"
EXAMPLES = ["viky", "ai-feedback", "amikeo", "activeviam", "komin"]
FIXTURE = Path(__file__).parent / "fixtures" / "privacy.yaml"
# What Markdown may hold outside a block: headings, the table of contents,
# table heads, and what is left of a list item or a table row once its block is cut.
_STRUCTURE = re.compile(
    r"^(#{1,3} .+|\d+\. \[.+\]\(#.+\)|\|( [^|⟦]+ \|)+|\| (--- \|)+|- |\|(\s+\|)+)$"
)


def _example(name: str) -> Declaration:
    return load_valid(EXAMPLES_DIR / f"{name}.yaml")


# The French SME's declaration: operations, company events, the public, channels (issue 17).
SME = Path(__file__).parent / "fixtures" / "sme-fr.yaml"


@pytest.fixture(scope="module", params=[*EXAMPLES, "fixture", "sme-fr"])
def declaration(request: pytest.FixtureRequest) -> Declaration:
    if request.param == "sme-fr":
        return load_valid(SME)
    return load_valid(FIXTURE) if request.param == "fixture" else _example(request.param)


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_block_cites_only_what_is_declared(
    declaration: Declaration, lang: str, fmt: str
) -> None:
    blocks = notice_blocks(declaration, lang, fmt)  # type: ignore[arg-type]
    assert len(blocks) > 40
    assert undeclared_sources(declaration, blocks) == []


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_marks_change_nothing_else(declaration: Declaration, lang: str, fmt: str) -> None:
    marked = marked_notice(declaration, lang, fmt)  # type: ignore[arg-type]
    published = render_notice(declaration, lang, fmt)  # type: ignore[arg-type]
    assert "⟦" not in published
    assert unmarked(marked) == published


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_nothing_is_said_outside_a_block(declaration: Declaration, lang: str) -> None:
    """In Markdown, all that is not in a cited block is a heading or a table head."""
    rest = outside_blocks(marked_notice(declaration, lang, "md"))  # type: ignore[arg-type]
    stray = [line for line in rest.splitlines() if line.strip() and not _STRUCTURE.match(line)]
    assert stray == []


def test_both_languages_and_formats_cite_the_same_sources(declaration: Declaration) -> None:
    cited = {
        (lang, fmt): [b.sources for b in notice_blocks(declaration, lang, fmt)]  # type: ignore[arg-type]
        for lang in ("fr", "en")
        for fmt in ("md", "html")
    }
    assert cited[("fr", "md")] == cited[("en", "md")]
    assert cited[("fr", "md")] == cited[("fr", "html")]
    assert cited[("en", "md")] == cited[("en", "html")]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_both_formats_say_the_same_sentences(declaration: Declaration, lang: str) -> None:
    md = [b.text for b in notice_blocks(declaration, lang, "md")]  # type: ignore[arg-type]
    html = [b.text for b in notice_blocks(declaration, lang, "html")]  # type: ignore[arg-type]
    assert md == html


def test_a_block_citing_nothing_declared_is_reported() -> None:
    """The check itself: a default, a missing path, an unknown law, no source at all."""
    declaration = _example("viky")
    blocks = [
        Block("Nous ne déposons aucun cookie.", ("cookies",)),
        Block("Hébergées dans l'UE.", ("notice.hosting",)),
        Block("Une phrase.", ()),
        Block("Une loi inventée.", ("law:art-99",)),
        Block("Gratuit.", ("law:art-12-5",)),
        Block("Nom.", ("controller.name",)),
    ]
    found = undeclared_sources(declaration, blocks)
    assert found == [
        "cookies is not declared: 'Nous ne déposons aucun cookie.'",
        'notice.hosting is not declared: "Hébergées dans l\'UE."',
        "no source: 'Une phrase.'",
        "unknown rule of law law:art-99: 'Une loi inventée.'",
    ]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("controller.name", True),
        ("data_categories.user.contact.email", True),
        ("data_categories.user.contact", False),
        ("security_measures.1", True),
        ("security_measures.2", False),
        ("purposes.service.consent", False),
        ("purposes.newsletter.consent.wording.fr", True),
        ("cookies", True),
        ("rights.post_mortem_directives", False),
    ],
)
def test_paths_resolve_in_what_was_declared(path: str, expected: bool) -> None:
    content = {
        "controller": {"name": "X"},
        "data_categories": {"user.contact.email": {}},
        "security_measures": [{"fr": "a", "en": "b"}, {"fr": "c", "en": "d"}],
        "purposes": {
            "service": {"legal_basis": "contract"},
            "newsletter": {"consent": {"wording": {"fr": "J'accepte.", "en": "I agree."}}},
        },
        "cookies": {},
        "rights": {},
    }
    assert resolves(content, path) is expected


def test_marks_are_read_from_both_formats() -> None:
    md = "⟦a.b law:art-15⟧**Droit** : [x@y.fr](<mailto:x@y.fr>) \\_ok\\_⟦/⟧\n⟦@⟧Légende⟦/⟧"
    html = "<li>⟦a.b law:art-15⟧<strong>Droit</strong> : <a href='m'>x@y.fr</a> _ok_⟦/⟧</li>"
    expected = [Block("Droit : x@y.fr _ok_", ("a.b", "law:art-15"))]
    assert blocks_of(md, "fr", "md") == expected
    assert blocks_of(html, "fr", "html") == expected


def test_every_rule_of_law_cited_by_the_templates_is_known() -> None:
    templates = Path(__file__).parents[2] / "src" / "gardien" / "notice" / "templates"
    cited = {
        m.group(1)
        for path in templates.glob("sections.*.j2")
        for m in re.finditer(r'"law:([a-z0-9-]+)"', path.read_text("utf-8"))
    }
    assert cited
    assert cited <= set(LAW)
