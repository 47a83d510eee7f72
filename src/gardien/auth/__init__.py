"""The auth room: API keys, roles and the role matrix, and throttling of failed keys."""

from __future__ import annotations

from gardien.auth.keys import (
    ApiKey,
    NewApiKey,
    authenticate,
    create_key,
    list_keys,
    parse_token,
    revoke_key,
)
from gardien.auth.roles import ROLE_PERMISSIONS, Permission, Role, allows, roles_with
from gardien.auth.shared import StoreCounters
from gardien.auth.throttle import (
    FailureCounters,
    FailureThrottle,
    MemoryCounters,
    Refusal,
    Source,
    SourceKind,
    address_source,
    key_source,
)
from gardien.errors import AuthError

__all__ = [
    "ROLE_PERMISSIONS",
    "ApiKey",
    "AuthError",
    "FailureCounters",
    "FailureThrottle",
    "MemoryCounters",
    "NewApiKey",
    "Permission",
    "Refusal",
    "Role",
    "Source",
    "SourceKind",
    "StoreCounters",
    "address_source",
    "allows",
    "authenticate",
    "create_key",
    "key_source",
    "list_keys",
    "parse_token",
    "revoke_key",
    "roles_with",
]
