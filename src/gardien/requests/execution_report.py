"""What a request's execution did, per datastore collection, as staff read it: counts only.

The per-collection counts come from the execution's recorded steps (the
``request.execute`` job's ``package``, ``erase:<datastore>`` and
``rectify:<datastore>`` results: rows found, deleted, changed), and, once
retention removed the finished job, from the request's outcome (an access or
portability package lists its rows per collection; an erasure keeps only its
totals and what legal holds kept). Never a value: the steps and the outcome
hold none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from gardien.jobs.steps import recorded_steps
from gardien.requests.decisions import REQUEST_EXECUTE

#: The recorded steps that touch the company's datastores.
_STEP_PREFIXES = ("package", "erase:", "rectify:")


@dataclass(frozen=True)
class CollectionCount:
    """One collection's rows in a request's execution."""

    collection: str
    rows: int
    deleted: int | None = None
    changed: int | None = None


def collection_counts(
    conn: Connection, request_id: str, outcome: dict[str, Any] | None
) -> list[CollectionCount]:
    """The rows each collection gave or lost in ``request_id``'s execution."""
    steps = recorded_steps(conn, REQUEST_EXECUTE, f"request:{request_id}")
    listed: list[Any] = []
    for name, result in steps.items():
        if name.startswith(_STEP_PREFIXES) and isinstance(result, dict):
            found = result.get("collections")
            listed.extend(found if isinstance(found, list) else [])
    if not listed and outcome:
        listed = list(outcome.get("collections") or [])
    counts = []
    for entry in listed:
        if not isinstance(entry, dict) or "collection" not in entry:
            continue
        counts.append(
            CollectionCount(
                collection=str(entry["collection"]),
                rows=int(entry.get("rows") or 0),
                deleted=int(entry["deleted"]) if "deleted" in entry else None,
                changed=int(entry["changed"]) if "changed" in entry else None,
            )
        )
    return counts
