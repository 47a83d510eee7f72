"""`gardien datastores check`: the declaration against the live schema, every finding named."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from shop import SHOP_URL_VARIABLE, with_shop

from gardien.cli import main
from gardien.connectors import Severity, check_datastores, close_all, open_datastores
from gardien.declaration import load
from gardien.errors import ConnectorError

Mutation = Callable[[dict[str, Any]], None]


def _findings(write_declaration: Callable[..., Path], mutate: Mutation | None = None) -> list[Any]:
    def both(data: dict[str, Any]) -> None:
        with_shop(data)
        if mutate is not None:
            mutate(data["datastores"]["shop"]["collections"])

    declaration = load(write_declaration(both, name="check.yaml"))
    connectors = open_datastores(declaration)
    try:
        return check_datastores(declaration, connectors)
    finally:
        close_all(connectors)


@pytest.fixture(autouse=True)
def _shop_url(shop_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SHOP_URL_VARIABLE, shop_url)


def test_a_faithful_declaration_has_one_warning_the_undeclared_table(
    write_declaration: Callable[..., Path],
) -> None:
    findings = _findings(write_declaration)
    assert [(f.severity, f.where) for f in findings] == [(Severity.WARNING, "shop.events")]
    assert "ip_address" in findings[0].message


def _missing_table(c: dict[str, Any]) -> None:
    c["invoices"] = {"fields": {"id": {"primary_key": True}}}


def _missing_column(c: dict[str, Any]) -> None:
    c["customers"]["fields"]["birth_date"] = {}


def _anchor_not_a_date(c: dict[str, Any]) -> None:
    c["order_lines"]["fields"]["product"]["erasure"] = "keep"
    c["order_lines"]["legal_hold"] = {
        "reason": {"fr": "Code de commerce", "en": "Commercial code"},
        "duration": "10 years",
        "anchor": "product",
    }


@pytest.mark.parametrize(
    ("mutate", "where", "message"),
    [
        (_missing_table, "shop.invoices", "declared but not in the database"),
        (_missing_column, "shop.customers.birth_date", "has no such column"),
        (_anchor_not_a_date, "shop.order_lines.product", "is not a date or a time"),
    ],
)
def test_errors(
    write_declaration: Callable[..., Path], mutate: Mutation, where: str, message: str
) -> None:
    errors = [f for f in _findings(write_declaration, mutate) if f.severity is Severity.ERROR]
    assert [f.where for f in errors] == [where]
    assert message in errors[0].message


def _identity_without_index(c: dict[str, Any]) -> None:
    c["customers"]["fields"]["full_name"]["identity"] = "name"


def _undeclared_foreign_key(c: dict[str, Any]) -> None:
    del c["orders"]["fields"]["customer_id"]["references"]


def _undeclared_personal_column(c: dict[str, Any]) -> None:
    del c["customers"]["fields"]["phone"]


@pytest.mark.parametrize(
    ("mutate", "where", "message"),
    [
        (_identity_without_index, "shop.customers.full_name", "CREATE INDEX"),
        (_undeclared_foreign_key, "shop.orders.customer_id", "does not name"),
        (_undeclared_personal_column, "shop.customers.phone", "looks personal"),
    ],
)
def test_warnings(
    write_declaration: Callable[..., Path], mutate: Mutation, where: str, message: str
) -> None:
    warnings = {
        f.where: f.message
        for f in _findings(write_declaration, mutate)
        if f.severity is Severity.WARNING
    }
    assert message in warnings[where]


def test_an_unreachable_datastore_is_an_error_that_names_it_without_its_password(
    write_declaration: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SHOP_URL_VARIABLE, "postgresql+psycopg://shop:s3cret@127.0.0.1:1/shop")
    findings = _findings(write_declaration)
    assert [(f.severity, f.where) for f in findings] == [(Severity.ERROR, "shop")]
    assert "cannot be reached" in findings[0].message and "s3cret" not in findings[0].message


def test_a_missing_url_variable_says_which(
    write_declaration: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SHOP_URL_VARIABLE)
    with pytest.raises(ConnectorError, match=f"\\${SHOP_URL_VARIABLE}, which is not set"):
        _findings(write_declaration)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 0), out.out, out.err


def test_the_command_exits_0_on_warnings_and_1_on_errors(
    write_declaration: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_declaration(with_shop, name="good.yaml")
    code, out, err = _run(capsys, "datastores", "check", "--config", str(good))
    assert code == 0 and "shop.events" in out and "0 error(s), 1 warning(s)" in err
    code, out, _ = _run(capsys, "datastores", "check", "--format", "json", "--config", str(good))
    [line] = out.strip().splitlines()
    assert json.loads(line)["severity"] == "warning"

    def broken(data: dict[str, Any]) -> None:
        with_shop(data)
        _missing_table(data["datastores"]["shop"]["collections"])

    bad = write_declaration(broken, name="bad.yaml")
    code, out, err = _run(capsys, "datastores", "check", "--config", str(bad))
    assert code == 1 and "shop.invoices" in out and "1 error(s)" in err
