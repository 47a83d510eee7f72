"""Policies written for the purpose: every item found, and each one reported once removed.

``complete_en.md`` and ``complete_fr.md`` hold every Art. 13/14 item, each in
its own paragraph(s). Each variant removes the paragraphs of one item; the
linter must then report exactly that item missing and still find the others.
"""

from __future__ import annotations

import pytest
import yaml
from lint_helpers import DATA, Lint

from gardien.policylint import ITEM_KEYS, lint_policy
from gardien.policylint.reader import html_to_text

#: For each item, words that identify the paragraphs that carry it.
PASSAGES: dict[str, dict[str, list[str]]] = yaml.safe_load(
    (DATA / "variants.yaml").read_text("utf-8")
)
CASES = [(lang, key) for lang in ("en", "fr") for key in ITEM_KEYS]


def complete(lang: str) -> str:
    return (DATA / f"complete_{lang}.md").read_text("utf-8")


def without(text: str, markers: list[str]) -> str:
    """``text`` with every paragraph containing one of ``markers`` removed."""
    paragraphs = text.split("\n\n")
    kept = [p for p in paragraphs if not any(m in p for m in markers)]
    assert len(kept) < len(paragraphs), markers
    return "\n\n".join(kept)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_complete_policy_has_every_item_and_no_defect(lint: Lint, lang: str) -> None:
    report = lint(complete(lang))
    assert report.language == lang
    assert report.missing == ()
    assert report.defects == ()
    assert report.complete


@pytest.mark.parametrize(("lang", "key"), CASES)
def test_removing_an_item_reports_it_missing(lint: Lint, lang: str, key: str) -> None:
    markers = PASSAGES[lang][key]
    report = lint(without(complete(lang), markers))
    assert not report.items[key].present
    removed_too = {k for k, m in PASSAGES[lang].items() if set(m) <= set(markers)}
    assert set(report.missing) == removed_too | {key}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_evidence_quotes_the_text_at_its_offsets(lint: Lint, lang: str) -> None:
    report = lint(complete(lang))
    for result in report.items.values():
        for evidence in result.evidence:
            assert report.text[evidence.start : evidence.end] == evidence.quote


def test_html_policy_is_linted_on_its_text(pipelines: None) -> None:
    paragraphs = complete("en").split("\n\n")
    body = "".join(
        f"<h2>{p[3:]}</h2>" if p.startswith("## ") else f"<p>{p}</p>"
        for p in paragraphs
        if not p.startswith("# ")
    )
    text = html_to_text(f"<html><head><style>p {{}}</style></head><body>{body}</body></html>")
    report = lint_policy(text, lang="auto")
    assert report.missing == ()
    assert "<p>" not in text and "p {}" not in text
    quote = report.items["dpo_contact"].evidence[0]
    assert text[quote.start : quote.end] == quote.quote


def test_forced_language_is_used(lint: Lint) -> None:
    assert lint(complete("fr"), lang="fr").language == "fr"


def test_a_short_policy_in_other_words(lint: Lint) -> None:
    """A policy written after the patterns, in wording none of the other texts use."""
    report = lint((DATA / "unseen_en.md").read_text("utf-8"))
    assert set(report.missing) == {
        "dpo_contact",
        "legitimate_interests",
        "international_transfers",
        "withdraw_consent",
        "statutory_requirement",
        "automated_decision_making",
        "data_source",
    }
    assert report.defects == ()
