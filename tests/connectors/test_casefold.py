"""E-mail addresses stored as people typed them: found when the column is declared
``match: casefold``, reported by ``gardien datastores check`` when it is not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import shop
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shop import SHOP_URL_VARIABLE, with_shop
from sqlalchemy import create_engine, text

from gardien.connectors import check_datastores, close_all, locate, open_datastores, plan_for
from gardien.connectors.erase import Strategies, erase_person
from gardien.declaration import Declaration, load

TYPED = "Alice.Martin@Example.COM"  # Alice's address as she typed it at sign-up
ALICE = {"email": ["alice.martin@example.com"]}  # as gardien writes any address


def _declared(write_declaration: Callable[..., Path], *, casefold: bool) -> Declaration:
    def shop_with_match(data: dict[str, Any]) -> None:
        with_shop(data)
        collections = data["datastores"]["shop"]["collections"]
        if casefold:
            collections["customers"]["fields"]["email"]["match"] = "casefold"
        # NOT NULL: an erasure anonymises it rather than nullify
        collections["order_lines"]["fields"]["product"]["erasure"] = "anonymise"

    return load(write_declaration(shop_with_match, name="casefold.yaml"))


def _run(url: str, statement: str, **values: Any) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(statement), values)
    finally:
        engine.dispose()


@pytest.fixture
def typed_shop(shop_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(SHOP_URL_VARIABLE, shop_url)
    _run(shop_url, "UPDATE customers SET email = :typed WHERE id = 1", typed=TYPED)
    return shop_url


def _found(declaration: Declaration, identities: dict[str, list[str]]) -> dict[str, list[Any]]:
    connectors = open_datastores(declaration)
    try:
        location = locate(plan_for(declaration), connectors, identities)
    finally:
        close_all(connectors)
    return {c: sorted(keys) for (_, c), keys in location.keys.items() if keys}


def _messages(declaration: Declaration) -> list[str]:
    connectors = open_datastores(declaration)
    try:
        return [f.message for f in check_datastores(declaration, connectors)]
    finally:
        close_all(connectors)


def test_as_stored_the_typed_address_is_missed_and_the_check_says_so(
    typed_shop: str, write_declaration: Callable[..., Path]
) -> None:
    declaration = _declared(write_declaration, casefold=False)
    assert "customers" not in _found(declaration, ALICE)
    [warning] = [m for m in _messages(declaration) if "capitals" in m]
    assert warning.startswith("1 row(s) of customers.email") and "match: casefold" in warning
    assert TYPED not in warning and TYPED.lower() not in warning  # counted, never shown


def test_in_lower_case_the_person_and_everything_of_theirs_is_found(
    typed_shop: str, write_declaration: Callable[..., Path]
) -> None:
    declaration = _declared(write_declaration, casefold=True)
    assert _found(declaration, ALICE) == shop.ALICE_ROWS
    assert _found(declaration, {"email": [TYPED]}) == shop.ALICE_ROWS  # an echo, as found
    assert "customers" not in _found(declaration, {"email": ["bob.martin@example.com"]})
    assert not any("capitals" in m for m in _messages(declaration))


def test_an_erasure_compared_in_lower_case_erases_the_typed_address(
    typed_shop: str, write_declaration: Callable[..., Path]
) -> None:
    declaration = _declared(write_declaration, casefold=True)
    connectors = open_datastores(declaration)
    try:
        erase_person(
            declaration, connectors, ALICE,
            Strategies(secret=b"k" * 32, redact_text=lambda _t: "[redacted]"),
            now=dt.datetime(2026, 6, 1, tzinfo=dt.UTC),
        )  # fmt: skip
    finally:
        close_all(connectors)
    engine = create_engine(typed_shop)
    try:
        with engine.connect() as conn:
            emails = list(conn.execute(text("SELECT email FROM customers")).scalars())
    finally:
        engine.dispose()
    assert TYPED not in emails and "bob@example.com" in emails


def test_the_check_asks_for_an_index_on_lower_and_is_satisfied_by_one(
    typed_shop: str, write_declaration: Callable[..., Path]
) -> None:
    declaration = _declared(write_declaration, casefold=True)
    [advice] = [m for m in _messages(declaration) if "lower(email)" in m]
    assert "CREATE INDEX ix_customers_email_lower ON customers (lower(email))" in advice
    _run(typed_shop, "CREATE INDEX ix_customers_email_lower ON customers (lower(email))")
    assert not any("lower(email)" in m for m in _messages(declaration))


def test_match_needs_an_identity(write_declaration: Callable[..., Path]) -> None:
    from gardien.declaration import validate

    def misplaced(data: dict[str, Any]) -> None:
        with_shop(data)
        fields = data["datastores"]["shop"]["collections"]["orders"]["fields"]
        fields["placed_on"]["match"] = "casefold"

    report = validate(write_declaration(misplaced, name="misplaced.yaml"))
    assert not report.ok
    assert any("holds none: add identity:" in str(problem) for problem in report.errors)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz.", min_size=1, max_size=12).filter(
        lambda s: not s.startswith(".") and not s.endswith(".") and ".." not in s
    ),
    st.lists(st.booleans(), min_size=1, max_size=12),
)
def test_any_capitalisation_of_a_stored_address_is_found(
    typed_shop: str, write_declaration: Callable[..., Path], local: str, capitals: list[bool]
) -> None:
    stored = (
        "".join(c.upper() if capitals[i % len(capitals)] else c for i, c in enumerate(local))
        + "@Example.org"
    )
    _run(typed_shop, "UPDATE customers SET email = :stored WHERE id = 1", stored=stored)
    declaration = _declared(write_declaration, casefold=True)
    found = _found(declaration, {"email": [stored.lower()]})
    assert found.get("customers") == [1]
