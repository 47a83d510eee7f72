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
