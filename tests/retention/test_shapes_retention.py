"""Retention with the shapes real policies declare: an event of the company's own, data
kept without limit, and ``until`` with ``duration`` ("whichever comes first"), swept on
SQLite and PostgreSQL like any other rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gardien.declaration import Declaration
from gardien.retention import sweeps
from retention_sweeper import DONE, Sweeper, tables

REASON = {
    "fr": "ces journaux forment la preuve de l'historique des connexions",
    "en": "these logs are the record of past sign-ins",
}


def _session_event(data: dict[str, Any]) -> None:
    data["retention_events"] = {
        "session_closed": {"label": {"fr": "la fin de la session", "en": "the session ends"}}
    }


def test_a_rule_kept_without_limit_is_never_swept(
    write_crm: Callable[..., Declaration], sweeper: Sweeper, crm_url: str
) -> None:
    def indefinitely(data: dict[str, Any]) -> None:
        data["retention"]["logs"] = {"indefinitely": REASON}

    declared = write_crm(indefinitely)
    assert not [s for s in sweeps(declared) if s.rule_id == "logs"]
    before = tables(crm_url)
    assert sweeper.run(declared) == DONE
    after = tables(crm_url)
    # Login 30 is more than a year old: under `logs: 1 year` it went; kept without limit,
    # it stays, and the notes bound to the same rule are not anonymised.
    assert after["logins"][30] == before["logins"][30]
    assert after["notes"] == before["notes"]


def test_a_company_event_runs_from_the_anchor_that_records_it(
    write_crm: Callable[..., Declaration], sweeper: Sweeper, crm_url: str
) -> None:
    """``until: session_closed`` bound to the column recording when it happened: every row
    whose session has ended is due at once, like a built-in ``until`` event."""

    def until_closed(data: dict[str, Any]) -> None:
        _session_event(data)
        data["retention"]["logs"] = {"until": "session_closed"}

    declared = write_crm(until_closed)
    assert sweeper.run(declared) == DONE
    after = tables(crm_url)
    assert {30, 31, 32} & set(after["logins"]) == set()


def test_until_with_a_duration_enforces_the_duration_from_the_anchor(
    write_crm: Callable[..., Declaration], sweeper: Sweeper, crm_url: str
) -> None:
    """ "Until the session ends, for no longer than 1 year after collection": the year is
    counted from the binding's anchor (login 30, a year and a second old, goes; 31 stays).
    The event's own date is not read by the sweep (docs/declaration.md says so)."""

    def whichever_first(data: dict[str, Any]) -> None:
        _session_event(data)
        data["retention"]["logs"] = {
            "until": "session_closed",
            "duration": "1 year",
            "after": "collection",
        }

    declared = write_crm(whichever_first)
    assert sweeper.run(declared) == DONE
    after = tables(crm_url)
    assert 30 not in after["logins"] and 31 in after["logins"]
