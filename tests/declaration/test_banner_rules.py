"""The declaration's ``banner`` section: how long a choice is remembered, and which sites embed it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from banner_declaration import with_banner
from gardien.consent.banner import banner_purposes, max_age_seconds, remembered_for
from gardien.declaration import load_valid, validate


def _banner(**banner: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        with_banner(data)
        data["banner"].update(banner)

    return mutate


def test_a_choice_is_remembered_six_months_unless_declared(
    write_declaration: Callable[..., Path],
) -> None:
    declaration = load_valid(write_declaration(with_banner))
    assert str(declaration.banner.remember) == "6 months"
    assert max_age_seconds(remembered_for(declaration)) == 180 * 86_400
    longer = load_valid(write_declaration(_banner(remember="13 months"), name="13.yaml"))
    # The cookie never outlives a choice in the ledger: 6 months unless consent.lifetime says.
    assert max_age_seconds(remembered_for(longer)) == 180 * 86_400

    def both(data: dict[str, Any]) -> None:
        _banner(remember="13 months")(data)
        for purpose in ("analytics", "advertising"):
            data["purposes"][purpose]["consent"]["lifetime"] = "13 months"

    longest = load_valid(write_declaration(both, name="both.yaml"))
    assert max_age_seconds(remembered_for(longest)) == 390 * 86_400


@pytest.mark.parametrize("remember", ["14 months", "2 years", "400 days"])
def test_more_than_13_months_is_refused_at_its_line(
    write_declaration: Callable[..., Path], remember: str
) -> None:
    path = write_declaration(_banner(remember=remember))
    [error] = validate(path).errors
    assert "the CNIL allows a choice about cookies to be kept 13 months at most" in error.message
    lines = path.read_text("utf-8").splitlines()
    assert lines[error.line - 1].strip() == f"remember: {remember}"


@pytest.mark.parametrize(
    "origin",
    ["https://shop.example.com/", "shop.example.com", "http://shop.example.com",
     "https://shop.example.com/cart", "ftp://shop.example.com"],
)  # fmt: skip
def test_an_origin_is_a_scheme_host_and_port(
    write_declaration: Callable[..., Path], origin: str
) -> None:
    [error] = validate(write_declaration(_banner(origins=[origin]))).errors
    assert "is not a site origin" in error.message


@pytest.mark.parametrize("origin", ["https://shop.example.com", "http://localhost:8080",
                                    "https://www.example.fr:8443", "http://127.0.0.1:5000"])  # fmt: skip
def test_origins_that_are_accepted(write_declaration: Callable[..., Path], origin: str) -> None:
    assert validate(write_declaration(_banner(origins=[origin]))).ok


def test_the_banner_asks_only_about_consent_purposes_of_cookies_not_essential(
    write_declaration: Callable[..., Path],
) -> None:
    declaration = load_valid(write_declaration(with_banner))
    asked = {p.id: (p.gpc, [name for name, _ in p.cookies]) for p in banner_purposes(declaration)}
    # The newsletter rests on consent but no cookie serves it; the session cookie is essential.
    assert asked == {"analytics": (False, ["audience"]), "advertising": (True, ["ad_id"])}
