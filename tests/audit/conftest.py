"""Helpers for the audit room's tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from audit_helpers import VERSION

from gardien.audit import AuditEntry, ConsentRecorded, SubjectRead, append
from gardien.store import Store


@pytest.fixture
def fill(store: Store) -> Callable[[int], list[AuditEntry]]:
    """Append ``n`` entries, alternating reads and consents, one transaction each."""

    def fill_(n: int) -> list[AuditEntry]:
        written = []
        for i in range(n):
            event = (
                SubjectRead(subject_blind_id=f"s_{i % 3}", purpose="support", fields=("email",))
                if i % 2 == 0
                else ConsentRecorded(
                    subject_blind_id=f"s_{i % 3}", purpose="newsletter", granted=True
                )
            )
            with store.engine.begin() as conn:
                written.append(
                    append(
                        conn, event, actor="gk_abc123", role="admin", declaration_version=VERSION
                    )
                )
        return written

    return fill_
