"""A person found in one datastore by e-mail is reached in another that has no e-mail column.

The CRM holds customers (e-mail, customer id); billing knows them by customer id only.
A request names the e-mail: the executor's ``identities`` step carries the customer id
found in the CRM to billing, so an erasure leaves the person in neither, and nobody
else is touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, create_engine, select

from gardien.audit import Actor
from gardien.declaration import declaration_version, load
from gardien.jobs import DEFAULT_LEASE, claim, job_steps, run_job
from gardien.jobs.tables import JobStatus
from gardien.requests.decisions import REQUEST_EXECUTE
from gardien.requests.execution import ExecutionSettings, execution_handler
from gardien.requests.vocabulary import RequestType
from gardien.store import Store
from gardien.vault import MasterKey, Vault
from request_orders import approved_request

PEOPLE = [(1, "ana@example.org"), (2, "ben@example.org"), (3, "chloe@example.org")]


def _crm(url: str) -> None:
    metadata = MetaData()
    customers = Table(
        "customers", metadata,
        Column("id", Integer, primary_key=True), Column("email", String(100), nullable=False),
        Column("name", String(100)),
    )  # fmt: skip
    engine = create_engine(url)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            customers.insert(), [{"id": i, "email": e, "name": e.split("@")[0]} for i, e in PEOPLE]
        )
    engine.dispose()


def _billing(url: str) -> None:
    metadata = MetaData()
    Table("accounts", metadata, Column("customer_id", Integer, primary_key=True),
          Column("iban", String(40)))  # fmt: skip
    lines = Table(
        "lines", metadata,
        Column("id", Integer, primary_key=True),
        Column("customer_id", Integer, ForeignKey("accounts.customer_id"), nullable=False),
        Column("label", String(100)),
    )  # fmt: skip
    engine = create_engine(url)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            metadata.tables["accounts"].insert(),
            [{"customer_id": i, "iban": f"FR76 0000 {i:04d}"} for i, _ in PEOPLE],
        )
        conn.execute(
            lines.insert(),
            [{"id": 10 * i + n, "customer_id": i, "label": f"line {n}"} for i, _ in PEOPLE
             for n in range(3)],
        )  # fmt: skip
    engine.dispose()


def _rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as conn:
        rows = {t.name: sorted(conn.execute(select(t)).all()) for t in metadata.sorted_tables}
    engine.dispose()
    return rows


@pytest.fixture
def company(tmp_path: Path, write_declaration: Callable[..., Path]) -> tuple[Path, str, str]:
    crm, billing = f"sqlite:///{tmp_path / 'crm.db'}", f"sqlite:///{tmp_path / 'billing.db'}"
    _crm(crm)
    _billing(billing)

    def add(data: dict[str, Any]) -> None:
        data["datastores"] = {
            "crm": {"url": crm, "collections": {"customers": {"erasure": "delete_row", "fields": {
                "id": {"primary_key": True, "identity": "customer_id"},
                "email": {"categories": ["user.contact.email"], "identity": "email"},
                "name": {"categories": ["user.name"]},
            }}}},
            "billing": {"url": billing, "collections": {
                "accounts": {"erasure": "delete_row", "fields": {
                    "customer_id": {"primary_key": True, "identity": "customer_id"},
                    "iban": {"categories": ["user.financial.bank_account"]},
                }},
                "lines": {"erasure": "delete_row", "fields": {
                    "id": {"primary_key": True},
                    "customer_id": {"references": {"collection": "accounts",
                                                   "field": "customer_id"}},
                    "label": {"categories": ["user.behavior.purchase_history"]},
                }},
            }},
        }  # fmt: skip

    return write_declaration(add), crm, billing


def test_an_erasure_by_email_reaches_the_datastore_that_knows_only_the_customer_id(
    store: Store, company: tuple[Path, str, str], tmp_path: Path
) -> None:
    path, crm, billing = company
    declaration = load(path)
    vault = Vault(store, MasterKey.generate())
    actor = Actor("worker", "admin", declaration_version(declaration), blind=vault.blind_id)
    before_crm, before_billing = _rows(crm), _rows(billing)
    approved_request(store, vault, declaration, RequestType.ERASURE, {"email": "ben@example.org"})
    handler = execution_handler(
        store, vault, declaration, actor,
        ExecutionSettings(tmp_path / "packages", dt.timedelta(days=7), "https://x.test", {}),
        redactor=lambda text, keep: "[redacted]",
    )  # fmt: skip
    job = claim(store, "w1", [REQUEST_EXECUTE], DEFAULT_LEASE)
    assert job is not None
    assert run_job(store, job, handler, lease=DEFAULT_LEASE) == JobStatus.DONE
    after_crm, after_billing = _rows(crm), _rows(billing)
    assert after_crm["customers"] == [r for r in before_crm["customers"] if r[0] != 2]
    assert after_billing["accounts"] == [r for r in before_billing["accounts"] if r[0] != 2]
    assert after_billing["lines"] == [r for r in before_billing["lines"] if r[1] != 2]
    with store.engine.connect() as conn:
        steps = set(
            conn.execute(select(job_steps.c.name).where(job_steps.c.job_id == job.id)).scalars()
        )
    assert steps == {"identities", "erase:crm", "erase:billing", "vault", "complete"}
