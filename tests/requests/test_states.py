"""The state table: every move it allows, every move it refuses, and how it refuses."""

from __future__ import annotations

import itertools

import pytest

from gardien.errors import IllegalTransitionError, RequestGoneError
from gardien.requests import FINAL_STATES, TRANSITIONS, RequestState, check_transition

S = RequestState

#: The workflow of the issue, written out: the table must be exactly this.
EXPECTED = {
    (S.RECEIVED, S.AWAITING_VERIFICATION),
    (S.RECEIVED, S.VERIFIED),
    (S.AWAITING_VERIFICATION, S.VERIFIED),
    (S.VERIFIED, S.APPROVED),
    (S.APPROVED, S.IN_PROGRESS),
    (S.IN_PROGRESS, S.BLOCKED),
    (S.BLOCKED, S.IN_PROGRESS),
    (S.IN_PROGRESS, S.COMPLETED),
    (S.RECEIVED, S.REJECTED),
    (S.AWAITING_VERIFICATION, S.REJECTED),
    (S.VERIFIED, S.REJECTED),
    (S.AWAITING_VERIFICATION, S.EXPIRED),
    *((state, S.WITHDRAWN) for state in S if state not in FINAL_STATES),
}


def test_the_table_is_the_workflow() -> None:
    assert set(TRANSITIONS) == set(S)
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == EXPECTED


def test_final_states_are_final() -> None:
    assert all(not TRANSITIONS[state] for state in FINAL_STATES)
    assert {S.COMPLETED, S.REJECTED, S.WITHDRAWN, S.EXPIRED} == FINAL_STATES


@pytest.mark.parametrize(
    ("current", "target"),
    [(a, b) for a, b in itertools.product(S, S) if (a, b) not in EXPECTED],
    ids=lambda s: s.value,
)
def test_every_other_move_is_refused_clearly(current: S, target: S) -> None:
    expected = RequestGoneError if current in (S.EXPIRED, S.WITHDRAWN) else IllegalTransitionError
    with pytest.raises(expected) as raised:
        check_transition(current, target)
    assert current.value in raised.value.message


def test_an_illegal_move_says_where_it_can_go() -> None:
    with pytest.raises(IllegalTransitionError, match="approved, rejected, withdrawn"):
        check_transition(S.VERIFIED, S.COMPLETED)
    assert IllegalTransitionError.problem.status == 409
    assert RequestGoneError.problem.status == 410
