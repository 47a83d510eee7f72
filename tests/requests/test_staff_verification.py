"""Staff verifying a person another way than the e-mailed code (``verify_by_staff``)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from actors import actor_of
from gardien.declaration import load_valid
from gardien.errors import IllegalTransitionError, RequestError
from gardien.requests import RequestChannel, RequestState, RequestType, VerificationMethod
from gardien.requests.identities import RequestIdentities
from gardien.requests.intake import CodePolicy, Submission, submit
from gardien.requests.sealing import IDENTITIES_FIELD, NOTE_FIELD, Sealer
from gardien.requests.staff_verification import verify_by_staff
from gardien.requests.tables import request_events, requests
from gardien.requests.verification import verify
from gardien.settings import Settings
from gardien.store import Store
from gardien.vault import Vault


def _waiting(store: Store, vault: Vault, settings: Settings) -> tuple[str, str]:
    """A public request waiting for its code: its id and status token."""
    submission = Submission(RequestType.ACCESS, {"email": f"p{uuid.uuid4().hex[:6]}@example.com"})
    with store.engine.begin() as conn:
        receipt = submit(conn, vault, load_valid(settings.config), submission,
                         channel=RequestChannel.PUBLIC, actor=actor_of(vault),
                         codes=CodePolicy())  # fmt: skip
    return receipt.id, receipt.status_token


def _row(store: Store, request_id: str) -> object:
    with store.engine.connect() as conn:
        return conn.execute(select(requests).where(requests.c.id == request_id)).one()


def test_staff_verify_a_waiting_request_with_how_and_a_sealed_note(
    store: Store, vault: Vault, settings: Settings
) -> None:
    request_id, token = _waiting(store, vault, settings)
    actor = actor_of(vault, "agent")
    with store.engine.begin() as conn:
        status = verify_by_staff(conn, vault, request_id, VerificationMethod.IN_PERSON,
                                 "  Passport seen at the desk.  ", actor=actor)  # fmt: skip
    assert status.state is RequestState.VERIFIED
    row = _row(store, request_id)
    sealer = Sealer(vault)
    assert row.verification_method == "in_person" and row.verified_at is not None  # type: ignore[attr-defined]
    note = sealer.open(request_id, NOTE_FIELD, row.verification_note_sealed)  # type: ignore[attr-defined]
    assert note == "Passport seen at the desk."
    identities = RequestIdentities.from_json(
        sealer.open(request_id, IDENTITIES_FIELD, row.identities_sealed)  # type: ignore[attr-defined]
    )
    assert identities.verified == ("email",)
    assert row.code_hash is None  # type: ignore[attr-defined]
    with store.engine.connect() as conn:
        notes = conn.execute(select(request_events.c.note).where(
            request_events.c.request_id == request_id)).scalars().all()  # fmt: skip
    assert notes[-1] == "verified by staff: in_person"
    # The code e-mailed before no longer verifies anything.
    with store.engine.begin() as conn:
        outcome = verify(conn, vault, request_id, token, "000000", actor=actor)
    assert outcome.refusal is None and outcome.status.state is RequestState.VERIFIED


@pytest.mark.parametrize(
    ("method", "note", "error", "said"),
    [
        (VerificationMethod.EMAIL_CODE, "typed it for them", RequestError, "person's to type"),
        (VerificationMethod.ID_DOCUMENT, "   ", RequestError, "note is required"),
        (VerificationMethod.ID_DOCUMENT, "x" * 2001, RequestError, "longer than 2000"),
    ],
)
def test_a_refused_verification_writes_nothing(
    store: Store, vault: Vault, settings: Settings,
    method: VerificationMethod, note: str, error: type[Exception], said: str,
) -> None:  # fmt: skip
    request_id, _ = _waiting(store, vault, settings)
    before = _row(store, request_id)
    with pytest.raises(error, match=said), store.engine.begin() as conn:
        verify_by_staff(conn, vault, request_id, method, note, actor=actor_of(vault))
    assert _row(store, request_id) == before


def test_only_a_request_not_yet_verified_can_be_verified_by_staff(
    store: Store, vault: Vault, settings: Settings
) -> None:
    request_id, _ = _waiting(store, vault, settings)
    with store.engine.begin() as conn:
        verify_by_staff(conn, vault, request_id, VerificationMethod.POSTAL_MAIL, "Letter signed.",
                        actor=actor_of(vault))  # fmt: skip
    before = _row(store, request_id)
    with pytest.raises(IllegalTransitionError), store.engine.begin() as conn:
        verify_by_staff(conn, vault, request_id, VerificationMethod.IN_PERSON, "Again.",
                        actor=actor_of(vault))  # fmt: skip
    assert _row(store, request_id) == before
