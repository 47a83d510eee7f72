"""What a recorded choice carries as proof (GDPR Art. 7(1): the controller must show consent).

Proof is built so that it proves without collecting more: the user agent is
kept as a SHA-256, the IP address is truncated to its network (/24 for IPv4,
/48 for IPv6) so it shows where from without singling out a device, and the
free ``extra`` dict only takes a few small scalar values and refuses anything
that reads as an IP address, so a raw IP cannot slip in by another name.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from gardien.errors import ProofError

Scalar = str | int | float | bool | None

MAX_EXTRA_KEYS: Final = 16
MAX_KEY_LENGTH: Final = 64
MAX_TEXT_LENGTH: Final = 256
MAX_EXTRA_BYTES: Final = 2048
MAX_METHOD_LENGTH: Final = 200


class Channel(StrEnum):
    """Where a choice or limit was expressed."""

    WEB = "web"
    APP = "app"
    EMAIL = "email"
    API = "api"
    PAPER = "paper"
    PHONE = "phone"
    IN_PERSON = "in_person"
    COOKIE_BANNER = "cookie_banner"
    PRIVACY_CENTER = "privacy_center"
    SYSTEM = "system"


def parse_channel(value: str) -> Channel:
    try:
        return Channel(value)
    except ValueError:
        allowed = ", ".join(c.value for c in Channel)
        raise ProofError(f"channel {value!r} is not known: use one of {allowed}") from None


def truncate_ip(address: str) -> str:
    """The network of ``address``: 203.0.113.7 → 203.0.113.0/24, IPv6 → its /48."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        raise ProofError(
            "the IP address given as proof is not an IPv4 or IPv6 address: pass the "
            "request's client address as text, or leave it out"
        ) from None
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def hash_user_agent(user_agent: str) -> str:
    return hashlib.sha256(user_agent.encode("utf-8")).hexdigest()


def _looks_like_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value.strip())
    except ValueError:
        return False
    return True


def _check_extra(extra: Mapping[str, Scalar]) -> str:
    if len(extra) > MAX_EXTRA_KEYS:
        raise ProofError(f"proof has {len(extra)} extra fields: keep at most {MAX_EXTRA_KEYS}")
    for key, value in extra.items():
        if not isinstance(key, str) or not 0 < len(key) <= MAX_KEY_LENGTH:
            raise ProofError(f"proof field names are text of 1 to {MAX_KEY_LENGTH} characters")
        if value is not None and not isinstance(value, str | int | float | bool):
            raise ProofError(
                f"proof field {key!r} holds a {type(value).__name__}: give a string, "
                "number, boolean or null"
            )
        if isinstance(value, str):
            if len(value) > MAX_TEXT_LENGTH:
                raise ProofError(
                    f"proof field {key!r} is {len(value)} characters long: keep it under "
                    f"{MAX_TEXT_LENGTH}, or store a hash of it"
                )
            if _looks_like_ip(value):
                raise ProofError(
                    f"proof field {key!r} holds a raw IP address: pass it as `ip` so it "
                    "is truncated, never in the free fields"
                )
    encoded = json.dumps(dict(extra), sort_keys=True, ensure_ascii=False)
    if len(encoded.encode("utf-8")) > MAX_EXTRA_BYTES:
        raise ProofError(f"proof fields take more than {MAX_EXTRA_BYTES} bytes: keep them small")
    return encoded


@dataclass(frozen=True)
class Proof:
    """Evidence of how a choice was collected, already minimised.

    Build it with ``Proof.collect``, which hashes and truncates; the fields
    hold only what is stored.
    """

    collection_method: str
    user_agent_hash: str | None = None
    ip_prefix: str | None = None
    extra: Mapping[str, Scalar] = field(default_factory=dict)

    @classmethod
    def collect(
        cls,
        collection_method: str,
        *,
        user_agent: str | None = None,
        ip: str | None = None,
        extra: Mapping[str, Scalar] | None = None,
    ) -> Proof:
        """Minimise raw request facts into a proof: UA hashed, IP truncated, extra checked."""
        proof = cls(
            collection_method=collection_method,
            user_agent_hash=hash_user_agent(user_agent) if user_agent else None,
            ip_prefix=truncate_ip(ip) if ip else None,
            extra=dict(extra or {}),
        )
        proof.extra_json()
        return proof

    def extra_json(self) -> str:
        """The free fields as canonical JSON, after checking size and content."""
        method = self.collection_method.strip()
        if not 0 < len(method) <= MAX_METHOD_LENGTH:
            raise ProofError(
                "say how the choice was collected (e.g. 'newsletter checkbox on signup "
                f"form'), in at most {MAX_METHOD_LENGTH} characters"
            )
        if self.ip_prefix is not None:
            _check_ip_prefix(self.ip_prefix)
        return _check_extra(self.extra)


def _check_ip_prefix(value: str) -> None:
    """Accept a truncated network (at most /24 or /48) or a SHA-256, never a whole address."""
    if len(value) == 64 and all(c in "0123456789abcdef" for c in value):
        return
    try:
        network = ipaddress.ip_network(value, strict=True)
    except ValueError:
        network = None
    limit = 24 if network is not None and network.version == 4 else 48
    if network is None or network.prefixlen > limit:
        raise ProofError(
            f"ip_prefix {value!r} is not a truncated network: build the proof with "
            "Proof.collect(ip=...), which keeps the /24 (IPv4) or /48 (IPv6) only"
        )
