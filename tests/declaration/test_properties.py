"""Property tests: whatever the input, loading answers with problems, never a crash."""

from __future__ import annotations

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
