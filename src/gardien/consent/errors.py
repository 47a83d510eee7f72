"""Errors of the consent room, as one tree under ``gardien.errors.GardienError``.

    ConsentError               a consent, limit or check cannot be done as asked
    ├── UnknownPurpose         the purpose is not in the declaration (the API answers 422)
    ├── NotConsentBasedError   a consent choice was given for a purpose not based on consent
    ├── ProofError             the proof of a choice is too large or carries a raw IP
    ├── UnknownEventError      no consent event has this id
    └── UnsubscribeTokenError  a one-click unsubscribe token was altered or signed elsewhere

Each message says what to change. Subject ids are opaque, so they may appear in
messages; personal data never does.
"""

from __future__ import annotations

from gardien.errors import GardienError


class ConsentError(GardienError):
    """A consent, a processing limit or a check cannot be done as asked."""


class UnknownPurpose(ConsentError):  # noqa: N818 (the name the API contract uses)
    """The purpose asked for is not declared; a caller mistake, never a "no"."""

    def __init__(self, purpose: str, known: tuple[str, ...]) -> None:
        self.purpose = purpose
        listed = ", ".join(sorted(known)) or "none"
        super().__init__(
            f"purpose {purpose!r} is not in the declaration: use one of {listed}, "
            "or declare it under `purposes` in privacy.yaml"
        )


class NotConsentBasedError(ConsentError):
    """A consent choice was recorded for a purpose whose legal basis is not consent."""


class ProofError(ConsentError):
    """The proof attached to a choice is not small scalar data, or carries a raw IP."""


class UnknownEventError(ConsentError):
    """No consent event has the id asked for."""


class UnsubscribeTokenError(ConsentError):
    """An unsubscribe token does not verify: altered, truncated, or signed with another secret."""
