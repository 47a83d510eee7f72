"""Retention sweeps on SQLite and PostgreSQL, on a clock the tests set: one second either side
of each limit, children with their parent, holds, archives, anonymisation, open requests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from gardien.audit import audit_log, verify
from gardien.declaration import Declaration
from gardien.requests.vocabulary import RequestType
from gardien.store import Store
from gardien.vault import Vault
from request_orders import approved_request
from retention_sweeper import DONE, Sweeper, tables


def test_one_second_before_the_limit_stays_one_second_after_goes(
    declared: Declaration, sweeper: Sweeper, crm_url: str
) -> None:
    assert sweeper.run(declared) == DONE
    after = tables(crm_url)
    assert 2 in after["accounts"]  # Bob: last contact 3 years minus one second ago
    assert 3 not in after["accounts"]  # Carol: 3 years and one second
    assert 31 in after["logins"] and 30 not in after["logins"]
    assert 61 in after["invoices"]  # issued a day short of a year ago


def test_children_follow_their_parent_and_a_reference_not_followed_is_detached(
    declared: Declaration, sweeper: Sweeper, crm_url: str
) -> None:
    before = tables(crm_url)
    sweeper.run(declared)
    after = tables(crm_url)
    # Carol's orders, their lines and her login went with her.
    assert {11, 12} & set(after["orders"]) == set()
    assert {101, 102} & set(after["order_lines"]) == set()
    assert 32 not in after["logins"]
    # Her team stays (follow: none), without its owner.
    assert after["teams"][1] == (1, None, "blue")
    # Nobody else's rows changed (Alice's order went with her, below).
    for table in ("orders", "order_lines"):
        for key in set(before[table]) - {10, 11, 12, 100, 101, 102}:
            assert after[table][key] == before[table][key]
    assert after["accounts"][4] == before["accounts"][4]
    assert after["teams"][2] == before["teams"][2]
    totals = sweeper.totals("crm.accounts:delete")
    assert totals["deleted"] == 1 and totals["cascaded"] >= 5


def test_a_row_under_a_legal_hold_stays_and_keeps_its_parent_emptied(
    declared: Declaration, sweeper: Sweeper, crm_url: str
) -> None:
    """Alice is due, but her payment is kept 10 years (Commercial Code): the payment stays
    with its kept date, her account stays emptied, her order (not held) goes."""
    sweeper.run(declared)
    after = tables(crm_url)
    assert after["payments"][50][2] is not None and after["payments"][50][1] == 1
    assert after["payments"][50][3] is None  # the payer's name is not under the hold
    assert after["accounts"][1][1:3] == (None, None)  # e-mail and name cleared
    assert 10 not in after["orders"] and 100 not in after["order_lines"]
    assert "alice" not in repr(after).lower()


def test_archive_then_delete_when_the_archive_phase_ends(
    declared: Declaration, sweeper: Sweeper, crm_url: str
) -> None:
    before = tables(crm_url)
    sweeper.run(declared)
    after = tables(crm_url)
    # Invoice 60 (a year and a day old) moved to the archive, detached from Carol.
    assert 60 not in after["invoices"]
    assert after["invoices_archive"][60] == (60, None, before["invoices"][60][2], 120)
    # In the archive, 11 years and a day is over; 11 years less a day is not.
    assert 5 not in after["invoices_archive"] and 6 in after["invoices_archive"]
    assert sweeper.totals("crm.invoices:archive")["archived"] == 1
    assert sweeper.totals("crm.invoices_archive:purge-archive")["deleted"] == 1


def test_named_fields_are_anonymised_once_and_the_row_stays(
    declared: Declaration, sweeper: Sweeper, crm_url: str
) -> None:
    sweeper.run(declared)
    after = tables(crm_url)
    assert after["notes"][40][2:4] == ("[redacted]", None)
    assert after["notes"][41][2] == "Dan Roux called back"  # a second short of a year
    sweeper.batches.clear()
    sweeper.run(declared)
    assert sweeper.totals("crm.notes:anonymise").get("changed", 0) == 0


def test_a_second_run_finds_nothing_more(
    declared: Declaration, sweeper: Sweeper, crm_url: str
) -> None:
    sweeper.run(declared)
    once = tables(crm_url)
    sweeper.batches.clear()
    assert sweeper.run(declared) == DONE  # the same moment: nothing new is due
    assert tables(crm_url) == once
    assert all(
        counts.get("deleted", 0) == 0 and counts.get("archived", 0) == 0
        for _, _, counts in sweeper.batches
    )


def test_a_declared_legal_hold_suspends_the_sweeps_of_the_data_it_covers(
    write_crm: Callable[..., Declaration], sweeper: Sweeper, crm_url: str, store: Store
) -> None:
    def hold(data: dict[str, Any]) -> None:
        data["legal_holds"] = {
            "litigation": {
                "reason": {"fr": "Litige en cours", "en": "Pending litigation"},
                "categories": ["user.contact.email"],
                "until": "2027-01-01",
            }
        }

    before = tables(crm_url)
    sweeper.run(write_crm(hold))
    after = tables(crm_url)
    assert after["accounts"] == before["accounts"]  # accounts hold e-mails
    assert after["notes"] == before["notes"]  # notes hold the author's e-mail
    assert 30 not in after["logins"]  # logins hold no e-mail: swept
    with store.engine.connect() as conn:
        held = (
            conn.execute(select(audit_log.c.details).where(audit_log.c.action == "retention.held"))
            .scalars()
            .all()
        )
    assert len(held) == 2 and all("litigation" in str(details) for details in held)


def test_an_open_access_request_keeps_the_persons_rows_until_it_completes(
    declared: Declaration, sweeper: Sweeper, crm_url: str, store: Store, vault: Vault
) -> None:
    approved_request(store, vault, declared, RequestType.ACCESS, {"email": "carol@example.com"})
    sweeper.run(declared)
    after = tables(crm_url)
    assert 3 in after["accounts"] and 11 in after["orders"]
    assert sweeper.totals("crm.accounts:delete")["kept_for_requests"] == 1
    assert 30 not in after["logins"]  # Dan has no request: his old login goes


def test_each_batch_is_audited_with_counts_and_no_value_and_the_chain_verifies(
    declared: Declaration, sweeper: Sweeper, store: Store
) -> None:
    sweeper.run(declared, batch_rows=1)
    with store.engine.connect() as conn:
        entries = (
            conn.execute(select(audit_log.c.details).where(audit_log.c.action == "retention.batch"))
            .scalars()
            .all()
        )
        result = verify(conn)
    assert result.ok
    text = repr(entries)
    assert len(entries) == len(sweeper.batches) >= 6
    for value in ("carol", "alice", "192.0.2", "Dan Roux", "teapot"):
        assert value not in text
