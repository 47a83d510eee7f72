"""Post-mortem directives are a right of French law: requested of another controller, refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from gardien.declaration import load_valid
from gardien.errors import RequestError
from gardien.requests import RequestType
from gardien.requests.details import check_details

VEREIN = Path(__file__).parents[1] / "declaration" / "data" / "verein_de.yaml"
DETAILS = {"instructions": "Delete everything.", "trustees": [{"name": "A", "email": "a@b.eu"}]}


def test_a_post_mortem_request_is_refused_for_a_controller_outside_france() -> None:
    with pytest.raises(RequestError) as caught:
        check_details(load_valid(VEREIN), RequestType.POST_MORTEM, DETAILS)
    assert str(caught.value) == (
        "this company does not take post-mortem directives: they are a right of French law "
        "(loi n° 78-17, art. 85), and its declaration switches them off "
        "(rights.post_mortem_directives: false) or its controller is not in France"
    )


def test_a_french_controller_still_takes_them() -> None:
    komin = load_valid(Path(__file__).parents[2] / "examples" / "komin.yaml")
    checked = check_details(komin, RequestType.POST_MORTEM, DETAILS)
    assert checked["instructions"] == "Delete everything."


@pytest.mark.parametrize("requested", ["fr", "en"])
def test_the_access_summary_names_the_controllers_own_authority(requested: str) -> None:
    """A German association's answer to an access request made in gardien's fr or en names
    the Bavarian authority and never the CNIL. It publishes in English and German, so a
    French request is answered in English: its texts have no French to set in French
    sentences (``summary_language``)."""
    from gardien.requests.article15 import article15_information
    from gardien.requests.summary import render_summary, summary_language

    declaration = load_valid(VEREIN)
    language = summary_language(declaration, requested)
    assert language == "en"
    info = article15_information(declaration, language, datastores_found=[])
    assert info["complaint"]["key"] == "de-by"
    assert info["complaint"]["authority"].startswith("Bayerisches Landesamt")
    page = render_summary(info, language)
    assert "CNIL" not in page and "Informatique et Libert" not in page
    assert "Bayerisches Landesamt für Datenschutzaufsicht" in page
    assert "Complaints to a supervisory authority" in page
    # The Bavarian complaint page is in German: an English answer says so before linking it.
    assert info["complaint"]["complaint_language"] == "German"
    assert "or online (in German): " in page


def test_an_answer_in_the_complaint_pages_language_says_nothing_of_it() -> None:
    from gardien.requests.article15 import article15_information
    from gardien.requests.summary import render_summary

    komin = load_valid(Path(__file__).parents[2] / "examples" / "komin.yaml")
    info = article15_information(komin, "fr", datastores_found=[])
    assert info["complaint"]["complaint_language"] is None
    page = render_summary(info, "fr")
    assert "ou en ligne : " in page and "ou en ligne (en" not in page


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("fr", "ou de celui où la violation alléguée a été commise (article 77 du RGPD)"),
        ("en", "of your place of work or of the place of the alleged infringement (Article 77"),
    ],
)
def test_the_answer_gives_article_77s_three_places_in_the_eu_and_the_eea(
    lang: str, sentence: str
) -> None:
    """As the notice does: residence, place of work, place of the alleged infringement."""
    from gardien.requests.article15 import article15_information
    from gardien.requests.summary import render_summary

    komin = load_valid(Path(__file__).parents[2] / "examples" / "komin.yaml")
    page = render_summary(article15_information(komin, lang, datastores_found=[]), lang)
    assert sentence in page
