"""Deadlines (Art. 12(3)): calendar months from receipt, one extension, bounded.

Property tests over any receipt date and any declared durations, and the
month-end cases written out.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gardien.declaration.values import Duration, DurationUnit
from gardien.errors import RequestError
from gardien.requests import due_date, extended_due, extension_bound

ONE_MONTH = Duration(1, DurationUnit.MONTHS)
TWO_MONTHS = Duration(2, DurationUnit.MONTHS)

receipts = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
)
durations = st.builds(
    Duration, st.integers(min_value=1, max_value=24), st.sampled_from(list(DurationUnit))
)


@given(receipts, durations)
def test_due_date_is_never_before_receipt(received: dt.datetime, deadline: Duration) -> None:
    due = due_date(received, deadline)
    assert due > received
    assert due.time() == received.time() and due.tzinfo is not None


@given(receipts)
def test_one_month_is_the_same_day_next_month_or_its_last_day(received: dt.datetime) -> None:
    due = due_date(received, ONE_MONTH)
    assert (due.year * 12 + due.month) - (received.year * 12 + received.month) == 1
    assert due.day == received.day or (due.day < received.day and (due + dt.timedelta(1)).day == 1)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.date(2025, 1, 31), dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), dt.date(2024, 2, 29)),
        (dt.date(2025, 3, 31), dt.date(2025, 4, 30)),
        (dt.date(2025, 12, 15), dt.date(2026, 1, 15)),
        (dt.date(2025, 2, 28), dt.date(2025, 3, 28)),
    ],
)
def test_month_ends_are_clamped(received: dt.date, due: dt.date) -> None:
    at = dt.datetime.combine(received, dt.time(9, 30), dt.UTC)
    assert due_date(at, ONE_MONTH) == dt.datetime.combine(due, dt.time(9, 30), dt.UTC)


@given(receipts, durations, durations)
def test_an_extension_never_passes_its_bound(
    received: dt.datetime, deadline: Duration, extension: Duration
) -> None:
    due = due_date(received, deadline)
    extended = extended_due(due, None, extension)
    assert extended == extension_bound(due, extension) > due
    with pytest.raises(RequestError, match="at most"):
        extended_due(due, None, extension, extended + dt.timedelta(seconds=1))


@given(receipts, st.integers(min_value=1, max_value=59))  # two months are 59 days at least
def test_an_extension_to_a_chosen_date_is_kept(received: dt.datetime, days: int) -> None:
    due = due_date(received, ONE_MONTH)
    until = due + dt.timedelta(days=days)
    assert extended_due(due, None, TWO_MONTHS, until) == until


@given(receipts)
def test_only_one_extension(received: dt.datetime) -> None:
    due = due_date(received, ONE_MONTH)
    once = extended_due(due, None, TWO_MONTHS)
    with pytest.raises(RequestError, match="one extension"):
        extended_due(due, once, TWO_MONTHS)


def test_an_extension_must_move_the_date_forward() -> None:
    due = dt.datetime(2025, 2, 28, 9, 0, tzinfo=dt.UTC)
    with pytest.raises(RequestError, match="after the current due date"):
        extended_due(due, None, TWO_MONTHS, due)
