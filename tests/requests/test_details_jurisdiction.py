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
