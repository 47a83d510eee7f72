"""The audit room's error."""

from __future__ import annotations

from gardien.errors import GardienError


class AuditError(GardienError):
    """An audit entry cannot be written or read as asked.

    Raised, for instance, when an event's details look personal (an e-mail
    address, a phone or card number): the audit trail must hold none in clear.
    """
