"""What a recorded choice carries as proof (GDPR Art. 7(1): the controller must show consent).

Proof is built so that it proves without collecting more: the user agent is
kept as a SHA-256, the IP address is truncated to its network (/24 for IPv4,
/48 for IPv6) so it shows where from without singling out a device, and how
the choice was collected is one of a closed list (``CollectionMethod``), never
free text a caller could fill with a name. The ``extra`` dict only takes a
few small scalar values and refuses anything that reads as an IP address;
values a caller sends through the API are sealed under the person's own data
key (``Proof.sealed``), so that erasing the person shreds them too.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Final

from gardien.errors import ProofError, shown

Scalar = str | int | float | bool | None

MAX_EXTRA_KEYS: Final = 16
MAX_KEY_LENGTH: Final = 64
MAX_TEXT_LENGTH: Final = 256
MAX_EXTRA_BYTES: Final = 2048


class CollectionMethod(StrEnum):
    """How a choice was collected: what a consent receipt says, from a closed list."""

    CHECKBOX = "checkbox"
    BUTTON = "button"
    TOGGLE = "toggle"
    FORM = "form"
    DOUBLE_OPT_IN = "double_opt_in"
    SIGNED_PAPER = "signed_paper"
    VERBAL = "verbal"
    EMAIL_REPLY = "email_reply"
    BROWSER_SIGNAL = "browser_signal"
    ONE_CLICK_UNSUBSCRIBE = "one_click_unsubscribe"
    LIFETIME_ENDED = "lifetime_ended"
    API = "api"


#: How a receipt describes each method, in French and English.
COLLECTION_METHODS: Mapping[CollectionMethod, tuple[str, str]] = {
    CollectionMethod.CHECKBOX: ("case cochée par la personne", "box ticked by the person"),
    CollectionMethod.BUTTON: ("bouton choisi par la personne", "button chosen by the person"),
    CollectionMethod.TOGGLE: ("interrupteur par finalité", "per-purpose switch"),
    CollectionMethod.FORM: ("formulaire envoyé", "form submitted"),
    CollectionMethod.DOUBLE_OPT_IN: (
        "confirmation par un lien reçu par e-mail",
        "confirmed through a link sent by e-mail",
    ),
    CollectionMethod.SIGNED_PAPER: ("formulaire papier signé", "signed paper form"),
    CollectionMethod.VERBAL: (
        "déclaration orale consignée par notre personnel",
        "spoken, recorded by our staff",
    ),
    CollectionMethod.EMAIL_REPLY: ("réponse par e-mail", "reply by e-mail"),
    CollectionMethod.BROWSER_SIGNAL: (
        "signal du navigateur (Global Privacy Control)",
        "browser signal (Global Privacy Control)",
    ),
    CollectionMethod.ONE_CLICK_UNSUBSCRIBE: (
        "lien de désinscription en un clic (RFC 8058)",
        "one-click unsubscribe link (RFC 8058)",
    ),
    CollectionMethod.LIFETIME_ENDED: (
        "fin de la durée de validité du choix",
        "the choice's lifetime ended",
    ),
    CollectionMethod.API: ("enregistré par notre système", "recorded by our system"),
}


def parse_method(value: CollectionMethod | str) -> CollectionMethod:
    try:
        return CollectionMethod(value)
    except ValueError:
        allowed = ", ".join(m.value for m in CollectionMethod)
        raise ProofError(
            f"collection method {shown(value)} is not one gardien knows: use one of {allowed} "
            "(free text is refused: it is kept for years and could name the person)"
        ) from None


def describe_method(stored: str, lang: str) -> str:
    """A stored method in words; a value stored before the closed list is shown as it is."""
    try:
        french, english = COLLECTION_METHODS[CollectionMethod(stored)]
    except ValueError:
        return stored
    return french if lang == "fr" else english


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
        raise ProofError(f"channel {shown(value)} is not known: use one of {allowed}") from None


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
                f"proof field {shown(key)} holds a {type(value).__name__}: give a string, "
                "number, boolean or null"
            )
        if isinstance(value, str):
            if len(value) > MAX_TEXT_LENGTH:
                raise ProofError(
                    f"proof field {shown(key)} is {len(value)} characters long: keep it under "
                    f"{MAX_TEXT_LENGTH}, or store a hash of it"
                )
            if _looks_like_ip(value):
                raise ProofError(
                    f"proof field {shown(key)} holds a raw IP address: pass it as `ip` so it "
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

    collection_method: CollectionMethod
    user_agent_hash: str | None = None
    ip_prefix: str | None = None
    extra: Mapping[str, Scalar] = field(default_factory=dict)
    #: ``extra`` as the caller sent it, sealed under the person's data key (``sealed``).
    sealed_extra: bytes | None = field(default=None, repr=False)

    @classmethod
    def collect(
        cls,
        collection_method: CollectionMethod | str,
        *,
        user_agent: str | None = None,
        ip: str | None = None,
        extra: Mapping[str, Scalar] | None = None,
    ) -> Proof:
        """Minimise raw request facts into a proof: UA hashed, IP truncated, extra checked."""
        proof = cls(
            collection_method=parse_method(collection_method),
            user_agent_hash=hash_user_agent(user_agent) if user_agent else None,
            ip_prefix=truncate_ip(ip) if ip else None,
            extra=dict(extra or {}),
        )
        proof.extra_json()
        return proof

    def sealed(self, seal: Callable[[bytes], bytes]) -> Proof:
        """This proof with its ``extra`` sealed by ``seal`` (the vault, under the person's
        data key) instead of stored in clear; erasing the person makes it unreadable."""
        if not self.extra:
            return self
        data = self.extra_json().encode("utf-8")
        return replace(self, extra={}, sealed_extra=seal(data))

    def extra_json(self) -> str:
        """The free fields as canonical JSON, after checking size and content."""
        parse_method(self.collection_method)
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
            "ip_prefix is not a truncated network: build the proof with "
            "Proof.collect(ip=...), which keeps the /24 (IPv4) or /48 (IPv6) only"
        )
