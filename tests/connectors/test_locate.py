"""A person's rows are found in every collection the references lead to, and nowhere else."""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import shop
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from shop import with_shop

from gardien.connectors import (
    Connector,
    MemoryConnector,
    SqlConnector,
    erasure_order,
    locate,
    plan_for,
)
from gardien.declaration import Declaration, load, validate


def _found(location: Any) -> dict[str, list[Any]]:
    return {collection: sorted(keys) for (_, collection), keys in location.keys.items() if keys}


def test_the_shop_declaration_is_valid(write_declaration: Callable[..., Path]) -> None:
    report = validate(write_declaration(with_shop))
    assert report.ok, [str(p) for p in report.errors]


def test_the_plan_follows_references_as_declared(shop_declaration: Declaration) -> None:
    plan = plan_for(shop_declaration)
    assert plan is plan_for(shop_declaration)  # built once
    assert {s.collection for s in plan.seeds["email"]} == {"customers"}
    assert {s.collection for s in plan.seeds["device_id"]} == {"devices"}
    customers = plan.collections[("shop", "customers")]
    targets = {(e.target, e.target_field) for e in customers.edges}
    # down to what points at a customer; never down customers.team_id (follow: none)
    assert ("orders", "customer_id") in targets and ("teams", "owner_id") in targets
    assert ("devices", "customer_id") in targets
    assert all(e.target != "customers" for e in customers.edges)
    devices = plan.collections[("shop", "devices")]
    assert [(e.target, e.target_field) for e in devices.edges] == [("customers", "id")]  # up
    teams = plan.collections[("shop", "teams")]
    assert teams.edges == ()  # customers.team_id is not followed down from a team


@pytest.mark.parametrize(
    "identities",
    [
        {"email": ["alice@example.com"]},
        {"phone": ["+33612345678"]},
        {"device_id": ["dev-alice-1"]},  # found through the device, then up to Alice
        {"email": ["alice@example.com"], "device_id": ["dev-alice-1"]},
    ],
)
def test_alices_rows_and_nobody_elses(
    shop_declaration: Declaration, shop_url: str, identities: dict[str, list[str]]
) -> None:
    connector = SqlConnector(shop_url, name="shop")
    try:
        seen: list[tuple[str, dict[str, Any]]] = []
        location = locate(
            plan_for(shop_declaration),
            {"shop": connector},
            identities,
            on_row=lambda plan, row: seen.append((plan.name, dict(row))),
        )
    finally:
        connector.close()
    assert _found(location) == shop.ALICE_ROWS
    assert location.count() == sum(len(keys) for keys in shop.ALICE_ROWS.values())
    # Each row is read once, with the declared columns only.
    assert len(seen) == location.count()
    declared = shop.datastore(shop_url)["collections"]  # the same entry, whatever the URL
    for collection, row in seen:
        assert set(row) == set(declared[collection]["fields"])
    assert "bob@example.com" not in repr(seen)


def test_an_unknown_person_has_no_rows(shop_declaration: Declaration, shop_url: str) -> None:
    connector = SqlConnector(shop_url, name="shop")
    try:
        location = locate(plan_for(shop_declaration), {"shop": connector}, {"email": ["x@y.z"]})
    finally:
        connector.close()
    assert location.count() == 0 and location.places == []


def test_an_identity_kind_no_column_holds_finds_nothing(shop_declaration: Declaration) -> None:
    memory = MemoryConnector(shop.rows())
    location = locate(plan_for(shop_declaration), {"shop": memory}, {"user_id": ["1"]})
    assert location.count() == 0 and location.queries == 0


@pytest.mark.parametrize("batch_size", [1, 2, 500])
def test_batches_change_the_queries_not_the_rows(
    shop_declaration: Declaration, batch_size: int
) -> None:
    memory = MemoryConnector(shop.rows())
    location = locate(
        plan_for(shop_declaration), {"shop": memory}, {"email": ["alice@example.com"]},
        batch_size=batch_size,
    )  # fmt: skip
    assert _found(location) == shop.ALICE_ROWS


def test_the_memory_connector_finds_what_sql_finds(
    shop_declaration: Declaration, shop_url: str
) -> None:
    sql = SqlConnector(shop_url, name="shop")
    try:
        connectors: list[Connector] = [sql, MemoryConnector(shop.rows())]
        found = [
            _found(locate(plan_for(shop_declaration), {"shop": c}, {"email": ["bob@example.com"]}))
            for c in connectors
        ]
    finally:
        sql.close()
    assert found[0] == found[1]
    assert found[0]["teams"] == [2] and found[0]["refunds"] == [1001]


def test_erasure_order_puts_children_first_and_names_the_cycle(
    shop_declaration: Declaration,
) -> None:
    order = erasure_order(shop_declaration, "shop")
    position = {name: i for i, name in enumerate(order.collections)}
    for child, parent in [
        ("refunds", "order_lines"), ("order_lines", "orders"), ("orders", "customers"),
        ("devices", "customers"), ("tickets", "customers"),
    ]:  # fmt: skip
        assert position[child] < position[parent], order
    assert set(order.collections) == set(shop.ALICE_ROWS)
    # customers.team_id ↔ teams.owner_id: one reference is set aside to order the rest.
    assert len(order.cycle_references) == 1
    assert order.cycle_references[0] in {("customers", "team_id"), ("teams", "owner_id")}


# A random graph of people and their records: the locator finds exactly the rows a
# plain reachability walk finds, whatever the shape.

_people = st.integers(min_value=1, max_value=6)


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    accounts=st.lists(st.sampled_from(["a@x.fr", "b@x.fr", "c@x.fr"]), min_size=1, max_size=6),
)
def test_the_locator_is_a_reachability_walk(data: st.DataObject, accounts: list[str]) -> None:
    customers = [{"id": i + 1, "email": e, "team_id": None} for i, e in enumerate(accounts)]
    ids = [c["id"] for c in customers]
    orders = [
        {"id": 100 + n, "customer_id": data.draw(st.sampled_from(ids))}
        for n in range(data.draw(st.integers(0, 8)))
    ]
    lines = [
        {"id": 1000 + n, "order_id": data.draw(st.sampled_from([o["id"] for o in orders]))}
        for n in range(data.draw(st.integers(0, 8)) if orders else 0)
    ]
    tables = {"customers": customers, "orders": orders, "order_lines": lines}
    declaration = _tiny_declaration()
    target = data.draw(st.sampled_from(["a@x.fr", "b@x.fr", "c@x.fr"]))
    location = locate(plan_for(declaration), {"shop": MemoryConnector(tables)}, {"email": [target]})
    mine = {c["id"] for c in customers if c["email"] == target}
    my_orders = {o["id"] for o in orders if o["customer_id"] in mine}
    my_lines = {line["id"] for line in lines if line["order_id"] in my_orders}
    expected = {"customers": mine, "orders": my_orders, "order_lines": my_lines}
    assert {k: set(v) for k, v in _found(location).items()} == {
        k: v for k, v in expected.items() if v
    }


@functools.cache
def _tiny_declaration() -> Declaration:
    """The starter declaration with three collections: customers ← orders ← order_lines."""
    data = yaml.safe_load(
        resources.files("gardien.declaration").joinpath("data", "starter.yaml").read_text()
    )
    data["datastores"] = {"shop": {"url": "memory://", "collections": {
        "customers": {"fields": {"id": {"primary_key": True},
                                 "email": {"identity": "email"}, "team_id": {}}},
        "orders": {"fields": {"id": {"primary_key": True},
                              "customer_id": {"references": {"collection": "customers",
                                                             "field": "id"}}}},
        "order_lines": {"fields": {"id": {"primary_key": True},
                                   "order_id": {"references": {"collection": "orders",
                                                               "field": "id"}}}},
    }}}  # fmt: skip
    path = Path(tempfile.mkdtemp()) / "privacy.yaml"
    path.write_text(yaml.safe_dump(data), "utf-8")
    return load(path)


def _peak_while_locating(tmp_path: Path, rows: int) -> tuple[int, int]:
    """(peak traced bytes, bytes of text read) while locating ``rows`` tickets of 2 kB."""
    import tracemalloc

    from sqlalchemy import create_engine, insert

    database = tmp_path / f"big-{rows}.db"
    engine = create_engine(f"sqlite:///{database}")
    shop.create(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(shop.tickets),
            [{"id": 10 + n, "customer_id": 1, "body": "x" * 2000} for n in range(rows)],
        )
    engine.dispose()
    connector = SqlConnector(f"sqlite:///{database}", name="shop")
    read = 0

    def count(_plan: Any, row: Any) -> None:
        nonlocal read
        read += len(row.get("body") or "")

    try:
        tracemalloc.start()
        location = locate(
            plan_for(_tiny_tickets_declaration()), {"shop": connector},
            {"email": ["alice@example.com"]}, on_row=count,
        )  # fmt: skip
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        connector.close()
    assert location.count(("shop", "tickets")) == rows + 1
    return peak, read


def test_memory_does_not_grow_with_a_persons_rows(tmp_path: Path) -> None:
    """Rows are streamed to the caller, not kept: four times the rows (8 MB → 32 MB of
    text), about the same peak (a batch of rows in flight, and the keys)."""
    small_peak, small_read = _peak_while_locating(tmp_path, 4_000)
    large_peak, large_read = _peak_while_locating(tmp_path, 16_000)
    assert large_read >= 4 * small_read - 4000
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)
    assert large_peak < large_read / 8


@functools.cache
def _tiny_tickets_declaration() -> Declaration:
    data = yaml.safe_load(
        resources.files("gardien.declaration").joinpath("data", "starter.yaml").read_text()
    )
    data["datastores"] = {"shop": {"url": "sqlite:///unused.db", "collections": {
        "customers": {"fields": {"id": {"primary_key": True}, "email": {"identity": "email"}}},
        "tickets": {"fields": {"id": {"primary_key": True}, "body": {},
                               "customer_id": {"references": {"collection": "customers",
                                                              "field": "id"}}}},
    }}}  # fmt: skip
    path = Path(tempfile.mkdtemp()) / "privacy.yaml"
    path.write_text(yaml.safe_dump(data), "utf-8")
    return load(path)


@settings(max_examples=200, deadline=None)
@given(edges=st.lists(st.tuples(st.sampled_from("abcdef"), st.sampled_from("abcdef")), max_size=14))
def test_children_first_whatever_the_references(edges: list[tuple[str, str]]) -> None:
    """Every collection once; a child before its parent unless that reference is set aside."""
    from gardien.connectors.plan import order_children_first

    references: dict[str, list[tuple[str, str]]] = {name: [] for name in "abcdef"}
    for n, (child, parent) in enumerate(edges):
        references[child].append((f"f{n}", parent))
    order = order_children_first(references)
    assert sorted(order.collections) == sorted(references)
    position = {name: i for i, name in enumerate(order.collections)}
    aside = set(order.cycle_references)
    for child, pairs in references.items():
        for fname, parent in pairs:
            if parent != child and (child, fname) not in aside:
                assert position[child] < position[parent], (child, parent, order)
    if not _has_cycle({c: {p for _, p in pairs if p != c} for c, pairs in references.items()}):
        assert aside == set(), "nothing needs setting aside without a cycle"


def _has_cycle(parents: dict[str, set[str]]) -> bool:
    visiting: set[str] = set()
    done: set[str] = set()

    def visit(node: str) -> bool:
        if node in done:
            return False
        if node in visiting:
            return True
        visiting.add(node)
        found = any(visit(parent) for parent in parents[node])
        visiting.discard(node)
        done.add(node)
        return found

    return any(visit(node) for node in parents)


@functools.cache
def _family_declaration() -> Declaration:
    """Accounts ↔ children (a cycle), devices found by account or by their own UUID,
    sessions reached from both children and devices: collections asked by several columns."""
    data = yaml.safe_load(
        resources.files("gardien.declaration").joinpath("data", "starter.yaml").read_text()
    )

    def ref(collection: str) -> dict[str, Any]:
        return {"references": {"collection": collection, "field": "id"}}

    data["datastores"] = {"app": {"url": "memory://", "collections": {
        "accounts": {"fields": {"id": {"primary_key": True}, "email": {"identity": "email"},
                                "phone": {"identity": "phone"},
                                "primary_child_id": ref("children")}},
        "children": {"fields": {"id": {"primary_key": True}, "account_id": ref("accounts")}},
        "devices": {"fields": {"id": {"primary_key": True}, "account_id": ref("accounts"),
                               "uuid": {"identity": "device_id"}}},
        "sessions": {"fields": {"id": {"primary_key": True}, "child_id": ref("children"),
                                "device_id": ref("devices")}},
    }}}  # fmt: skip
    path = Path(tempfile.mkdtemp()) / "privacy.yaml"
    path.write_text(yaml.safe_dump(data), "utf-8")
    return load(path)


def _closure(tables: dict[str, list[dict[str, Any]]], email: str) -> dict[str, set[int]]:
    """The person's rows as a fixpoint, in no particular order: a row is theirs when it
    holds one of their identities, or points at (or is pointed at by) a row of theirs
    along a reference followed down (child → parent's row found: the child is theirs)."""
    identity_columns = {"accounts": ("email", "phone"), "devices": ("uuid",)}
    kinds = {"email": "email", "phone": "phone", "uuid": "device_id"}
    references = [  # (child collection, its field, parent collection)
        ("accounts", "primary_child_id", "children"), ("children", "account_id", "accounts"),
        ("devices", "account_id", "accounts"), ("sessions", "child_id", "children"),
        ("sessions", "device_id", "devices"),
    ]  # fmt: skip
    identities: dict[str, set[Any]] = {"email": {email}}
    found: dict[str, set[int]] = {name: set() for name in tables}
    changed = True
    while changed:
        changed = False
        for name, rows in tables.items():
            for row in rows:
                if row["id"] in found[name]:
                    continue
                by_identity = any(
                    row[column] is not None and row[column] in identities.get(kinds[column], ())
                    for column in identity_columns.get(name, ())
                )
                by_reference = any(
                    child == name and row[field] in found[parent]
                    for child, field, parent in references
                )
                if by_identity or by_reference:
                    found[name].add(row["id"])
                    for column in identity_columns.get(name, ()):
                        if row[column] is not None:
                            identities.setdefault(kinds[column], set()).add(row[column])
                    changed = True
    return {name: ids for name, ids in found.items() if ids}


@settings(max_examples=60, deadline=None)
@given(data=st.data(), batch_size=st.sampled_from([1, 2, 3, 500]))
def test_lookups_joined_in_one_query_find_what_a_fixpoint_finds(
    data: st.DataObject, batch_size: int
) -> None:
    """However the locator groups a collection's lookups (several columns in one query,
    chunks of ``batch_size`` values), it finds exactly the rows a naive fixpoint does."""
    emails = ["a@x.fr", "b@x.fr", "c@x.fr"]
    phones = ["+331", "+332", None]
    accounts = [
        {"id": i, "email": data.draw(st.sampled_from(emails)),
         "phone": data.draw(st.sampled_from(phones)), "primary_child_id": None}
        for i in range(1, data.draw(st.integers(1, 5)) + 1)
    ]  # fmt: skip
    ids = [a["id"] for a in accounts]
    children = [
        {"id": 10 + n, "account_id": data.draw(st.sampled_from(ids))}
        for n in range(data.draw(st.integers(0, 5)))
    ]
    for account in accounts:
        account["primary_child_id"] = data.draw(
            st.sampled_from([None] + [c["id"] for c in children])
        )
    devices = [
        {"id": 100 + n, "account_id": data.draw(st.sampled_from(ids)),
         "uuid": data.draw(st.sampled_from(["u1", "u2", "u3"]))}
        for n in range(data.draw(st.integers(0, 5)))
    ]  # fmt: skip
    sessions = [
        {"id": 1000 + n,
         "child_id": data.draw(st.sampled_from([None] + [c["id"] for c in children])),
         "device_id": data.draw(st.sampled_from([None] + [d["id"] for d in devices]))}
        for n in range(data.draw(st.integers(0, 8)))
    ]  # fmt: skip
    tables = {"accounts": accounts, "children": children, "devices": devices, "sessions": sessions}
    target = data.draw(st.sampled_from(emails))
    location = locate(
        plan_for(_family_declaration()), {"app": MemoryConnector(tables)}, {"email": [target]},
        batch_size=batch_size,
    )  # fmt: skip
    assert {k: set(v) for k, v in _found(location).items()} == _closure(tables, target)


def test_a_collection_reached_by_two_columns_is_asked_once(tmp_path: Path) -> None:
    """Sessions reached from a child and from a device are one query, on SQL too, and a
    session both lead to comes back once."""
    from sqlalchemy import create_engine, text

    url = f"sqlite:///{tmp_path / 'family.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        for statement in (
            "CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT, phone TEXT, "
            "primary_child_id INTEGER)",
            "CREATE TABLE children (id INTEGER PRIMARY KEY, account_id INTEGER)",
            "CREATE TABLE devices (id INTEGER PRIMARY KEY, account_id INTEGER, uuid TEXT)",
            "CREATE TABLE sessions (id INTEGER PRIMARY KEY, child_id INTEGER, device_id INTEGER)",
            "INSERT INTO accounts VALUES (1, 'a@x.fr', NULL, 10), (2, 'b@x.fr', NULL, NULL)",
            "INSERT INTO children VALUES (10, 1), (11, 2)",
            "INSERT INTO devices VALUES (100, 1, 'u1'), (101, 2, 'u2')",
            "INSERT INTO sessions VALUES (1000, 10, 100), (1001, 10, NULL), (1002, NULL, 100),"
            " (1003, 11, 101)",
        ):
            conn.execute(text(statement))
    engine.dispose()
    connector = SqlConnector(url, name="app")
    statements: list[str] = []
    try:
        from sqlalchemy import event

        event.listen(
            connector.engine, "before_cursor_execute",
            lambda *args: statements.append(args[2]) if "FROM sessions" in args[2] else None,
        )  # fmt: skip
        location = locate(
            plan_for(_family_declaration()), {"app": connector}, {"email": ["a@x.fr"]}
        )
    finally:
        connector.close()
    assert location.keys[("app", "sessions")].count(1000) == 1
    assert sorted(location.keys[("app", "sessions")]) == [1000, 1001, 1002]
    assert len(statements) == 1 and " OR " in statements[0]
