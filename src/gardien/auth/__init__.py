"""The auth room: API keys, roles and the role matrix, throttling of failed keys, and the
console's staff accounts (argon2 passwords, lockout) and server-side sessions."""

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
from gardien.auth.passwords import check_password
from gardien.auth.roles import ROLE_PERMISSIONS, Permission, Role, allows, roles_with
from gardien.auth.sessions import (
    SessionPolicy,
    StaffSession,
    current_session,
    end_session,
    open_session,
)
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
from gardien.auth.users import (
    STAFF_ROLES,
    SignIn,
    SignInOutcome,
    SignInPolicy,
    StaffUser,
    create_user,
    disable_user,
    find_user,
    list_users,
    reset_password,
    sign_in,
)
from gardien.errors import AuthError, PasswordRejectedError, StaffAccountError

__all__ = [
    "ROLE_PERMISSIONS",
    "STAFF_ROLES",
    "ApiKey",
    "AuthError",
    "FailureCounters",
    "FailureThrottle",
    "MemoryCounters",
    "NewApiKey",
    "PasswordRejectedError",
    "Permission",
    "Refusal",
    "Role",
    "SessionPolicy",
    "SignIn",
    "SignInOutcome",
    "SignInPolicy",
    "Source",
    "SourceKind",
    "StaffAccountError",
    "StaffSession",
    "StaffUser",
    "StoreCounters",
    "address_source",
    "allows",
    "authenticate",
    "check_password",
    "create_key",
    "create_user",
    "current_session",
    "disable_user",
    "end_session",
    "find_user",
    "key_source",
    "list_keys",
    "list_users",
    "open_session",
    "parse_token",
    "reset_password",
    "revoke_key",
    "roles_with",
    "sign_in",
]
