"""An approved request put straight into gardien's store, for tests of its execution.

The workflow (intake, verification, approval) has tests of its own; the
tests of the executor start from what approval leaves: an ``approved`` row
with sealed, verified identities and a queued ``request.execute`` job.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Any

from gardien.declaration import Declaration, declaration_version
from gardien.jobs import enqueue
from gardien.requests.decisions import REQUEST_EXECUTE
from gardien.requests.identities import RequestIdentities
from gardien.requests.sealing import DETAILS_FIELD, IDENTITIES_FIELD, Sealer
from gardien.requests.tables import requests
from gardien.requests.vocabulary import RequestState, RequestType
from gardien.store import Store
from gardien.vault import Vault

RECEIVED = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def approved_request(
    store: Store,
    vault: Vault,
    declaration: Declaration,
    kind: RequestType,
    identities: Mapping[str, str],
    *,
    details: Mapping[str, Any] | None = None,
    language: str = "fr",
    channel: str = "agent",
) -> str:
    """Queue the execution of an approved request of ``kind``; its id."""
    request_id = secrets.token_hex(16)
    sealer = Sealer(vault)
    given = RequestIdentities.normalised(dict(identities))
    verified = given.verifying(*given.given)
    with store.engine.begin() as conn:
        conn.execute(
            requests.insert().values(
                id=request_id,
                type=kind.value,
                state=RequestState.APPROVED.value,
                channel=channel,
                language=language,
                identities_sealed=sealer.seal(request_id, IDENTITIES_FIELD, verified.to_json()),
                details_sealed=sealer.seal(request_id, DETAILS_FIELD, dict(details or {})),
                verification_method="id_document",
                status_token_hashes="[]",
                code_attempts=0,
                code_sends=0,
                received_at=RECEIVED,
                due_at=RECEIVED + dt.timedelta(days=30),
                declaration_version=declaration_version(declaration),
            )
        )
        enqueue(conn, REQUEST_EXECUTE, {"request_id": request_id})
    return request_id
