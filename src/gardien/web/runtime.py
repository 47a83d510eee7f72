"""What a running server holds: settings, store, the declaration in force, the vault.

Built once in ``create_app`` (never at import time) and reached by endpoints
through ``runtime_of(request)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fastapi import Request

from gardien.audit import SUBJECT_NAME, Actor
from gardien.auth import FailureCounters, FailureThrottle, MemoryCounters, StoreCounters
from gardien.declaration import Declaration, load_valid
from gardien.settings import Settings
from gardien.store import Store, apply_declaration, is_postgresql, open_store
from gardien.web.clients import ClientAddresses

if TYPE_CHECKING:
    from gardien.vault import Vault
    from gardien.web.security import KeyCache, Principal


@dataclass
class Runtime:
    settings: Settings = field(repr=False)
    store: Store
    declaration: Declaration = field(repr=False)
    declaration_version: str
    vault: Vault
    throttle: FailureThrottle = field(repr=False)
    key_cache: KeyCache = field(repr=False)
    clients: ClientAddresses = field(repr=False)
    #: Requests made without a key, and calls to a request's public side, per address.
    intake_throttle: FailureThrottle = field(repr=False)
    verify_throttle: FailureThrottle = field(repr=False)

    def close(self) -> None:
        self.store.dispose()

    def actor(self, principal: Principal) -> Actor:
        """The caller as the audit trail records them, under the declaration in force."""
        return Actor(
            principal.actor,
            principal.role.value,
            self.declaration_version,
            blind=self.vault.blind_id,
        )

    def subject_actor(self) -> Actor:
        """A data subject acting through a link gardien signed (no API key)."""
        return Actor(
            SUBJECT_NAME, SUBJECT_NAME, self.declaration_version, blind=self.vault.blind_id
        )


#: The vault secret under which the shared failure counters name their sources.
THROTTLE_SECRET = "auth_throttle"
INTAKE_THROTTLE_SECRET = "request_intake_throttle"
VERIFY_THROTTLE_SECRET = "request_verify_throttle"

#: The server itself, when it puts the declaration in force at start-up.
SERVER_ACTOR = Actor("server", "admin", None)


def build_runtime(settings: Settings, store: Store | None = None) -> Runtime:
    """Load the declaration (it must be valid), record it, and open the vault."""
    from gardien.vault import Vault, load_master_key
    from gardien.web.security import KeyCache

    declaration = load_valid(settings.config)
    store = store or open_store(settings)
    from gardien.notifications import renewals_on_new_version

    record = apply_declaration(
        store,
        declaration,
        str(settings.config),
        renewals_on_new_version(declaration),
        actor=SERVER_ACTOR,
    )
    vault = Vault(store, load_master_key(settings))

    # Servers on one PostgreSQL store share their failure counters; a SQLite store
    # has one server, which counts in memory.
    def counters_for(secret: str) -> FailureCounters:
        # Each throttle names its sources under a secret of its own, so that its counts
        # never mix with another's in the shared table.
        if is_postgresql(store.engine):
            return StoreCounters(store.engine, lambda: vault.derived_secret(secret))
        return MemoryCounters()

    return Runtime(
        settings=settings,
        store=store,
        declaration=declaration,
        declaration_version=record.version,
        vault=vault,
        throttle=FailureThrottle(settings.auth_failure_limit, counters_for(THROTTLE_SECRET)),
        intake_throttle=FailureThrottle(
            settings.request_intake_limit, counters_for(INTAKE_THROTTLE_SECRET)
        ),
        verify_throttle=FailureThrottle(
            settings.request_verify_limit, counters_for(VERIFY_THROTTLE_SECRET)
        ),
        key_cache=KeyCache(),
        clients=ClientAddresses(settings.trusted_proxies or ()),
    )


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime
