"""Roles and what each may do: the role matrix of the API.

Each endpoint requires one permission; each role holds a fixed set of
permissions. ``docs/roles.md`` shows the matrix and a test keeps it in step
with this module and with every route of the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # runs gardien: keys, everything
    DPO = "dpo"  # the privacy lead: reads everything, erases, answers the authority
    AGENT = "agent"  # support staff working requests on a person's behalf
    SERVICE = "service"  # the company's product calling the API


class Permission(StrEnum):
    SUBJECTS_WRITE = "subjects:write"
    #: Find a subject's id from an identity the caller already holds (reveals no data).
    SUBJECTS_LOOKUP = "subjects:lookup"
    #: Read a subject's decrypted identities and attributes.
    SUBJECTS_READ = "subjects:read"
    SUBJECTS_ERASE = "subjects:erase"
    CONSENTS_WRITE = "consents:write"
    CONSENTS_READ = "consents:read"
    LIMITS_WRITE = "limits:write"
    #: Lift a restriction (Art. 18(3)): a decision about the person, not a product's.
    LIMITS_LIFT = "limits:lift"
    CHECKS = "checks"
    REDACT = "redact"
    AUDIT_READ = "audit:read"
    #: Make a data-subject request on a person's behalf, recording how they were verified.
    REQUESTS_CREATE = "requests:create"
    #: Read the request queue and a request's detail (its identities need subjects:read too).
    REQUESTS_READ = "requests:read"
    #: Approve, reject, extend a request; release a post-mortem directive.
    REQUESTS_DECIDE = "requests:decide"
    #: Tell gardien an event a retention rule runs from happened for a person (an account
    #: deletion): the product does, as it deletes the account.
    RETENTION_EVENTS_WRITE = "retention-events:write"
    #: Create and revoke API keys in the console (admin only: every other role lacks it).
    KEYS_MANAGE = "keys:manage"
    #: No key needed: the person's own side of a request (code, status, withdrawal), which
    #: their status token opens. Every role holds it; a key sent is not looked at.
    PUBLIC = "public"


# Least privilege: the product's service key records and checks; it never reads a
# person's decrypted identities (it could otherwise harvest every e-mail it can
# name), and it cannot lift a restriction. Ids that cross the API (subject ids,
# receipt ids) are random, so no key can enumerate them. Requests are staff's work: a
# service key neither reads nor decides them (people make their own without a key).
ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.DPO: frozenset(
        {
            Permission.SUBJECTS_LOOKUP,
            Permission.SUBJECTS_READ,
            Permission.SUBJECTS_ERASE,
            Permission.CONSENTS_READ,
            Permission.LIMITS_WRITE,
            Permission.LIMITS_LIFT,
            Permission.AUDIT_READ,
            Permission.REDACT,
            Permission.REQUESTS_CREATE,
            Permission.REQUESTS_READ,
            Permission.REQUESTS_DECIDE,
            Permission.PUBLIC,
        }
    ),
    Role.AGENT: frozenset(
        {
            Permission.SUBJECTS_LOOKUP,
            Permission.SUBJECTS_READ,
            Permission.CONSENTS_READ,
            Permission.CONSENTS_WRITE,
            Permission.LIMITS_WRITE,
            Permission.REQUESTS_CREATE,
            Permission.REQUESTS_READ,
            Permission.PUBLIC,
        }
    ),
    Role.SERVICE: frozenset(
        {
            Permission.SUBJECTS_WRITE,
            Permission.SUBJECTS_LOOKUP,
            Permission.CONSENTS_WRITE,
            Permission.CONSENTS_READ,
            Permission.LIMITS_WRITE,
            Permission.CHECKS,
            Permission.REDACT,
            Permission.RETENTION_EVENTS_WRITE,
            Permission.PUBLIC,
        }
    ),
}


def allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


def roles_with(permission: Permission) -> list[Role]:
    return [role for role in Role if allows(role, permission)]
