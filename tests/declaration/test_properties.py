"""Property tests: whatever the input, loading answers with problems, never a crash."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gardien.declaration import validate
from gardien.declaration.source import parse_yaml
from gardien.declaration.values import Duration, DurationUnit
from gardien.errors import DeclarationFileError, Problem

UNITS = st.sampled_from(list(DurationUnit))


@given(st.integers(min_value=0, max_value=10_000), UNITS)
def test_duration_text_round_trips(amount: int, unit: DurationUnit) -> None:
    duration = Duration(amount, unit)
    assert Duration.parse(str(duration)) == duration


@given(st.text(max_size=200))
def test_any_text_is_either_a_document_or_one_located_problem(text: str) -> None:
    problems: tuple[Problem, ...] = ()
    try:
        parse_yaml(text, "x.yaml")
    except DeclarationFileError as exc:
        problems = exc.problems
    # Any other exception escapes and fails the test.
    assert len(problems) in (0, 1)
    assert all(p.file == "x.yaml" and p.line >= 1 for p in problems)


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["controller", "purposes", "name", "legal_basis", "fr", "en", "x"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None)
@given(JSONISH)
def test_any_structure_validates_to_located_problems(
    tmp_path_factory: pytest.TempPathFactory, data: object
) -> None:
    directory = tmp_path_factory.mktemp("h")
    path = directory / "privacy.yaml"
    path.write_text(yaml.safe_dump(data), "utf-8")
    report = validate(path)
    assert not report.ok
    for problem in report.problems:
        assert problem.file == str(path) and problem.line >= 1 and problem.column >= 1
        assert problem.message


@given(
    start=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2200, 12, 31)),
    amount=st.integers(min_value=0, max_value=240),
    unit=st.sampled_from(["months", "years"]),
)
def test_calendar_months_end_on_the_same_day_or_the_months_last(
    start: dt.date, amount: int, unit: str
) -> None:
    end = Duration.parse(f"{amount} {unit}").after(start)
    months = amount * (12 if unit == "years" else 1)
    assert (end.year - start.year) * 12 + end.month - start.month == months
    last = calendar.monthrange(end.year, end.month)[1]
    assert end.day == min(start.day, last)
    assert end >= start


@given(
    start=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2200, 12, 31)),
    days=st.integers(min_value=0, max_value=5000),
)
def test_days_and_weeks_are_exact(start: dt.date, days: int) -> None:
    assert Duration.parse(f"{days} days").after(start) - start == dt.timedelta(days=days)
    assert Duration.parse(f"{days} weeks").after(start) - start == dt.timedelta(weeks=days)


def test_the_examples_regulation_1182_71_gives() -> None:
    one_month = Duration.parse("1 month")
    assert one_month.after(dt.date(2027, 1, 31)) == dt.date(2027, 2, 28)
    assert one_month.after(dt.date(2028, 1, 31)) == dt.date(2028, 2, 29)
    assert one_month.after(dt.date(2027, 3, 15)) == dt.date(2027, 4, 15)
    assert Duration.parse("10 years").after(dt.date(2024, 2, 29)) == dt.date(2034, 2, 28)
