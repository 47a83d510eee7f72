"""``ConsentPolicy``: what the consent room needs from a declaration, computed once.

The check runs on every request of the company's product, so nothing in it
may hash a wording or walk the taxonomy. A policy holds, per purpose, the
hashes of the current wording (both languages), a fingerprint of what the
purpose does, and whether a Global Privacy Control signal stops it. Policies
are cached per declaration object: a declaration is immutable once loaded.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from gardien.declaration import Declaration, declaration_version
from gardien.declaration.models import LegalBasis, Purpose
from gardien.declaration.values import Duration
from gardien.errors import UnknownPurpose

LANGUAGES: Final = ("fr", "en")

# GPC is an opt-out of sale, sharing and targeted advertising (privacycg/gpc-spec):
# these Fides data uses are what "sale or sharing" means in a declaration.
_GPC_USE_PREFIXES: Final = ("marketing", "third_party_sharing")
_GPC_USE_PATTERN: Final = re.compile(r"(^personalize\..*profil)|advertis")
# GPC never stops what the person's contract or the law requires.
_GPC_EXEMPT_BASES: Final = frozenset(
    {LegalBasis.CONTRACT, LegalBasis.LEGAL_OBLIGATION, LegalBasis.VITAL_INTEREST}
)


def wording_hash(text: str) -> str:
    """SHA-256 (hex) of the exact wording shown, UTF-8 encoded, not normalised."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def purpose_fingerprint(purpose: Purpose) -> str:
    """SHA-256 of what a purpose does, so a consent given for another processing is seen.

    Covered: the data use, the categories, the recipients, the legal basis and
    whether it is direct marketing. Left out on purpose: names and
    descriptions, whose editorial fixes must not send every subject a
    renewal request; a change of meaning there should come with a new wording.
    """
    material = {
        "data_use": purpose.data_use,
        "legal_basis": purpose.legal_basis.value,
        "categories": sorted(purpose.categories),
        "optional_categories": sorted(purpose.optional_categories),
        "recipients": sorted(purpose.recipients),
        "direct_marketing": purpose.direct_marketing,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode("utf-8")).hexdigest()


def is_gpc_sensitive(purpose: Purpose) -> bool:
    """Whether a GPC signal opts the person out of this purpose."""
    if purpose.legal_basis in _GPC_EXEMPT_BASES:
        return False
    if purpose.direct_marketing:
        return True
    use = purpose.data_use or ""
    return use.split(".", 1)[0] in _GPC_USE_PREFIXES or bool(_GPC_USE_PATTERN.search(use))


@dataclass(frozen=True)
class PurposePolicy:
    """One purpose, reduced to what choices, expiry and checks read."""

    id: str
    legal_basis: LegalBasis
    consent_based: bool
    wording_hashes: MappingProxyType[str, str]
    purpose_hash: str
    gpc_sensitive: bool
    objection_allowed: bool
    direct_marketing: bool
    lifetime: Duration | None
    cookie: bool

    @property
    def current_hashes(self) -> frozenset[str]:
        return frozenset(self.wording_hashes.values())

    def is_current(self, stored_wording_hash: str, stored_purpose_hash: str) -> bool:
        """A choice made on either language's current wording, for the same processing."""
        return (
            stored_wording_hash in self.wording_hashes.values()
            and stored_purpose_hash == self.purpose_hash
        )


@dataclass(frozen=True)
class ConsentPolicy:
    """Per-declaration lookups of the consent room; build with ``policy_for``."""

    declaration: Declaration
    version: str
    purposes: MappingProxyType[str, PurposePolicy]

    def purpose(self, purpose_id: str) -> PurposePolicy:
        try:
            return self.purposes[purpose_id]
        except KeyError:
            raise UnknownPurpose(purpose_id, tuple(self.purposes)) from None


def build_policy(declaration: Declaration) -> ConsentPolicy:
    cookie_purposes = {cookie.purpose for cookie in declaration.cookies.values()}
    purposes: dict[str, PurposePolicy] = {}
    for key, purpose in declaration.purposes.items():
        hashes = (
            {lang: wording_hash(purpose.consent.wording[lang]) for lang in LANGUAGES}
            if purpose.consent is not None
            else {}
        )
        purposes[key] = PurposePolicy(
            id=key,
            legal_basis=purpose.legal_basis,
            consent_based=purpose.legal_basis is LegalBasis.CONSENT,
            wording_hashes=MappingProxyType(hashes),
            purpose_hash=purpose_fingerprint(purpose),
            gpc_sensitive=is_gpc_sensitive(purpose),
            objection_allowed=purpose.objection_allowed,
            direct_marketing=purpose.direct_marketing,
            lifetime=purpose.consent.lifetime if purpose.consent is not None else None,
            cookie=key in cookie_purposes,
        )
    return ConsentPolicy(declaration, declaration_version(declaration), MappingProxyType(purposes))


_CACHE_SIZE: Final = 8
_cache: OrderedDict[int, ConsentPolicy] = OrderedDict()
_lock = threading.Lock()


def policy_for(declaration: Declaration) -> ConsentPolicy:
    """The policy of ``declaration``, built once and then read from a small cache.

    Keyed by object identity (a declaration holds dicts, so it has no usable
    hash); the cached policy keeps its declaration alive, so an id cannot be
    reused by another object while its entry exists.
    """
    key = id(declaration)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached.declaration is declaration:
            _cache.move_to_end(key)
            return cached
    policy = build_policy(declaration)
    with _lock:
        _cache[key] = policy
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return policy
