"""A request's identities as sealed: which were given, and which were verified.

A person asking through the public form proves one identity, the e-mail
address the code went to; any other identity they give is only a claim, kept
for staff but never handed to the executor (else anyone could ask for the
data of a ``user_id`` they merely typed). An agent records how they verified
the person: every identity given is then verified.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gardien.vault.identities import normalise


@dataclass(frozen=True)
class RequestIdentities:
    """Normalised identities by kind, and the kinds verified. The repr shows no value."""

    given: Mapping[str, str]
    verified: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"RequestIdentities(kinds={sorted(self.given)}, verified={list(self.verified)})"

    @classmethod
    def normalised(cls, identities: Mapping[str, str]) -> RequestIdentities:
        """Every identity in normal form (``IdentityError`` naming the kind, never the value)."""
        given: dict[str, str] = {}
        for kind, value in identities.items():
            identity = normalise(kind, value)
            given[identity.kind] = identity.value
        return cls(given)

    @property
    def email(self) -> str | None:
        return self.given.get("email")

    def verifying(self, *kinds: str) -> RequestIdentities:
        """The same identities, with ``kinds`` verified too."""
        verified = tuple(sorted(set(self.verified) | {k for k in kinds if k in self.given}))
        return RequestIdentities(self.given, verified)

    def verified_only(self) -> dict[str, tuple[str, ...]]:
        """What the executor may search with: the verified identities only."""
        return {kind: (self.given[kind],) for kind in self.verified if kind in self.given}

    def to_json(self) -> dict[str, Any]:
        return {"given": dict(self.given), "verified": list(self.verified)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RequestIdentities:
        return cls(dict(data["given"]), tuple(data.get("verified", ())))
