"""The controller's legal form in each language: no French phrase in the English notice.

A French form declared as a plain string (``SAS au capital de 1 200 €``) keeps
its abbreviation, the company's legal designation, and is described in English
("an SAS (simplified joint-stock company) with a share capital of €1,200"); a form
declared ``{fr, en}`` is printed as declared; the French notice and the
register print what the company wrote.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gardien.declaration.legal_forms import FORMS, english_legal_form
from gardien.declaration.models import Declaration
from gardien.declaration.values import Text
from gardien.notice import export_register, render_notice


def _with_legal_form(declaration: Declaration, legal_form: str | Text | None) -> Declaration:
    controller = declaration.controller.model_copy(update={"legal_form": legal_form})
    return declaration.model_copy(update={"controller": controller})


@pytest.mark.parametrize(
    ("declared", "english"),
    [
        ("SAS", "an SAS (simplified joint-stock company)"),
        ("SAS (société par actions simplifiée)", "an SAS (simplified joint-stock company)"),
        (
            "SAS (société par actions simplifiée) au capital de 1 200 €",
            "an SAS (simplified joint-stock company) with a share capital of €1,200",
        ),
        (
            "société anonyme au capital social de 1.000.000 euros",
            "an SA (public limited company) with a share capital of €1,000,000",
        ),
        (
            "SARL au capital de 7 622,45 €",
            "an SARL (limited liability company) with a share capital of €7,622.45",
        ),
        ("EURL", "an EURL (single-member limited liability company)"),
        # Not a form gardien knows, or a full name that contradicts the abbreviation.
        ("Société coopérative de production", None),
        ("SAS (société anonyme)", None),
        ("SAS au capital variable", None),
        ("GmbH", None),
    ],
)
def test_french_legal_forms_in_english(declared: str, english: str | None) -> None:
    assert english_legal_form(declared) == english


@given(
    form=st.sampled_from(FORMS),
    amount=st.integers(min_value=1, max_value=10**9),
    spelled=st.sampled_from(["abbreviation", "name", "both"]),
)
def test_any_known_form_and_capital_reads_in_english(
    form: object, amount: int, spelled: str
) -> None:
    assert hasattr(form, "abbreviation")
    head = {
        "abbreviation": form.abbreviation,  # type: ignore[attr-defined]
        "name": form.french,  # type: ignore[attr-defined]
        "both": f"{form.abbreviation} ({form.french})",  # type: ignore[attr-defined]
    }[spelled]
    french_amount = f"{amount:,}".replace(",", "\u202f")
    english = english_legal_form(f"{head} au capital de {french_amount} €")
    assert english is not None
    article, rest = english.split(" ", 1)
    assert article in ("a", "an")
    assert rest.startswith(form.abbreviation + " (")  # type: ignore[attr-defined]
    assert english.endswith(f"with a share capital of €{amount:,}")
    assert "capital de" not in english and "société" not in english


@pytest.mark.parametrize(
    ("declared", "company", "english"),
    [
        ("SE", "Airbus", "an SE (European company)"),
        ("société européenne", "Airbus SE", "a European company"),
        ("SNC", "Dupont", "an SNC (general partnership)"),
        ("société anonyme", "Orange SA", "a public limited company"),
    ],
)
def test_an_english_apposition_takes_the_article_its_sound_asks_for(
    declared: str, company: str, english: str
) -> None:
    assert english_legal_form(declared, company) == english


def test_a_name_ending_with_the_form_does_not_repeat_it() -> None:
    assert english_legal_form("société par actions simplifiée", "ActiveViam SAS") == (
        "a simplified joint-stock company"
    )
    assert english_legal_form("SAS au capital de 1 000 €", "Verbatim Insights") == (
        "an SAS (simplified joint-stock company) with a share capital of €1,000"
    )


def test_the_english_notice_describes_the_french_form(declaration: Declaration) -> None:
    changed = _with_legal_form(declaration, "SAS au capital de 50 000 €")
    en = render_notice(changed, "en", "md")
    fr = render_notice(changed, "fr", "md")
    assert "an SAS (simplified joint-stock company) with a share capital of €50,000" in en
    assert "au capital" not in en
    assert "SAS au capital de 50 000 €" in fr


def test_a_form_declared_in_both_languages_is_printed_as_declared(
    declaration: Declaration,
) -> None:
    changed = _with_legal_form(
        declaration,
        Text(fr="société coopérative de production", en="worker cooperative company"),
    )
    assert ", worker cooperative company," in render_notice(changed, "en", "html")
    assert ", société coopérative de production," in render_notice(changed, "fr", "html")
    register = json.loads(export_register(changed, "json"))
    rows = register["activities"] if isinstance(register, dict) else register
    assert "société coopérative de production" in json.dumps(rows, ensure_ascii=False)


def test_an_unknown_plain_form_is_printed_as_declared(declaration: Declaration) -> None:
    """gardien does not guess: ``validate`` warns (tests/declaration/test_notice_rules.py)."""
    changed = _with_legal_form(declaration, "GmbH")
    assert "**Exemple Analytique**, GmbH," in render_notice(changed, "en", "md")
    assert "GmbH" in render_notice(changed, "fr", "md")


def test_without_a_legal_form_none_is_printed(declaration: Declaration) -> None:
    text = render_notice(_with_legal_form(declaration, None), "en", "md")
    assert "**Exemple Analytique**, RCS Paris 912 345 678, whose registered office" in text
