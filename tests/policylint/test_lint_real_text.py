"""Each general fix made for real policies, pinned on a short text written for the test.

Real policies (bench/data/policies/) phrase items in ways the written
policies did not; every fix below is a general rule, and each test states it
on a text of its own, never a passage of the dev set.
"""

from __future__ import annotations

import unicodedata

import pytest
from lint_helpers import Lint

# --- reading the text as a reader sees it ---------------------------------------------------


def test_decomposed_accents_read_as_composed(lint: Lint) -> None:
    text = unicodedata.normalize(
        "NFD", "Vos données sont traitées pour les finalités suivantes : la facturation.\n"
    )
    report = lint(text, lang="fr")
    assert report.items["purposes"].present
    [evidence] = report.items["purposes"].evidence
    assert text[evidence.start : evidence.end] == evidence.quote


def test_a_hard_wrapped_paragraph_is_one_paragraph(lint: Lint) -> None:
    text = (
        "Beyond the information given in this notice, you have the right of\n"
        "access to your personal data at any time, free of charge.\n"
    )
    report = lint(text, lang="en")
    assert report.items["right_access"].present
    [evidence] = report.items["right_access"].evidence
    assert evidence.quote == text.strip()
    assert report.defects == ()


def test_front_matter_and_comments_are_not_read(lint: Lint) -> None:
    text = (
        "---\n"
        "description: Why and for which purposes of the processing we collect data.\n"
        "---\n"
        "<!-- We keep your data for 3 years. -->\n"
        "{% include banner.html %}\n"
        "We do not collect anything.\n"
    )
    report = lint(text, lang="en")
    assert not report.items["purposes"].present
    assert not report.items["retention"].present


@pytest.mark.parametrize("heading", ["**Vos droits**", "<h2>Vos droits</h2>"])
def test_bold_and_html_headings_are_headings(lint: Lint, heading: str) -> None:
    report = lint(f"{heading}\nVous disposez d'un droit d'accès à vos données.\n", lang="fr")
    [evidence] = report.items["right_access"].evidence
    assert evidence.quote.startswith("Vous disposez")
