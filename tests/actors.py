"""Who the tests act as: the ``Actor`` every room's write function takes.

``ACTOR`` names subjects by a stable digest (rooms without a vault, such as
the consent room, only need a blind id to be deterministic); ``actor_of``
names them as a server would, through the vault's own blind ids, for tests
that read the audit trail back.
"""

from __future__ import annotations

import hashlib

from gardien.audit import Actor
from gardien.vault import Vault


def _digest(subject_id: str) -> str:
    return hashlib.sha256(b"gardien-tests:" + subject_id.encode("ascii")).hexdigest()[:32]


ACTOR = Actor("test:suite", "admin", None, blind=_digest)


def actor_of(vault: Vault, role: str = "admin") -> Actor:
    return Actor("test:suite", role, None, blind=vault.blind_id)
