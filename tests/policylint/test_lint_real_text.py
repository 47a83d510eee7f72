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


def test_short_lines_without_punctuation_stay_apart(lint: Lint) -> None:
    text = "Data controller\nAcme Widgets GmbH\n12 Example Road\n"
    report = lint(text, lang="en")
    assert [e.quote for e in report.items["controller_identity"].evidence] == [
        "Data controller",
        "Acme Widgets GmbH",
    ]


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


# --- the controller named where real policies name it ---------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "name_line"),
    [
        ("en", 'Orchard Labs Ltd ("we", "us") runs this site.\n', 1),
        ("fr", "Dupont Conseil (ci-après « nous ») édite ce site.\n", 1),
        ("fr", "## Qui sommes-nous\n\n- **Éditeur** : Atelier Rivage\n", 3),
        ("fr", "Atelier Rivage, éditeur de l'application, vous informe.\n", 1),
        ("fr", "Atelier Rivage s'engage à protéger vos données.\n", 1),
        ("en", "Orchard Labs takes your privacy seriously.\n", 1),
        ("fr", "Le responsable du traitement des données est :\n\n**Atelier Rivage** (SAS)\n", 3),
        ("en", "## Owner and data controller\n\nORCHARD LABS SAS\n1 Example Street\n", 3),
        ("fr", "Le responsable de la collecte de vos données est la plateforme Rivage.\n", 1),
        ("fr", "L'application est développée par **Atelier Rivage**.\n", 1),
    ],
)
def test_controller_named_the_ways_real_policies_name_it(
    lint: Lint, lang: str, text: str, name_line: int
) -> None:
    report = lint(text, lang=lang)
    result = report.items["controller_identity"]
    assert result.present
    assert name_line in {report.line_col(e.start)[0] for e in result.evidence}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "## Data controller\nWe determine the purposes and means of processing.\n"),
        ("en", "The controller processes the following data:\n- Name\n- Email address\n"),
        ("fr", "## Responsable du traitement\n\nResponsable du traitement désigne la personne.\n"),
    ],
)
def test_no_name_no_controller(lint: Lint, lang: str, text: str) -> None:
    assert not lint(text, lang=lang).items["controller_identity"].present
