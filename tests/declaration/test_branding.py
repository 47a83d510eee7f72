"""The declared branding: colours read as WCAG reads them, and a pair that fails AA refused."""

from __future__ import annotations

import copy
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gardien.declaration import declaration_version, load, validate
from gardien.declaration.branding import AA_TEXT_CONTRAST, contrast_ratio, long_form, rgb
from gardien.declaration.source import parse_yaml


def _starter() -> dict[str, Any]:
    """The starter declaration as plain data (read here: hypothesis runs without fixtures)."""
    text = resources.files("gardien.declaration").joinpath("data", "starter.yaml").read_text()
    return copy.deepcopy(dict(parse_yaml(text, "starter.yaml").data))


colours = st.from_regex(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", fullmatch=True)


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#777777", "#ffffff", 4.48),
     ("#767676", "#ffffff", 4.54)],
)  # fmt: skip
def test_known_contrast_ratios(first: str, second: str, ratio: float) -> None:
    # #767676 is the well-known lightest grey that passes AA on white; #777777 just fails.
    assert contrast_ratio(first, second) == pytest.approx(ratio, abs=0.01)


@given(colours, colours)
def test_contrast_is_symmetric_and_between_1_and_21(first: str, second: str) -> None:
    ratio = contrast_ratio(first, second)
    assert 1.0 <= ratio <= 21.0 + 1e-9
    assert ratio == pytest.approx(contrast_ratio(second, first))
    assert contrast_ratio(first, first) == pytest.approx(1.0)


@given(colours)
def test_short_and_long_forms_are_the_same_colour(colour: str) -> None:
    assert rgb(long_form(colour)) == rgb(colour)
    assert long_form(colour) == long_form(colour.upper())


def test_a_declaration_without_branding_is_valid_and_keeps_its_version(
    write_declaration: Callable[..., Path],
) -> None:
    path = write_declaration()
    assert validate(path).ok
    declaration = load(path)
    assert declaration.branding is None
    # branding is optional: declarations written before it keep their version hash.
    assert "branding" not in declaration.model_dump(exclude_unset=True)
    assert declaration_version(declaration) == declaration_version(load(path))


# Each example validates a whole declaration: no deadline on a shared, busy machine.
@settings(deadline=None, max_examples=60)
@given(primary=colours, text=colours)
def test_validate_refuses_exactly_the_pairs_below_aa(
    tmp_path_factory: pytest.TempPathFactory, primary: str, text: str
) -> None:
    data = _starter()
    data["branding"] = {"primary_colour": primary, "text_colour": text}
    path = tmp_path_factory.mktemp("branding") / "privacy.yaml"
    path.write_text(yaml.safe_dump(data), "utf-8")
    report = validate(path)
    failing = contrast_ratio(primary, text) < AA_TEXT_CONTRAST
    messages = [e.message for e in report.errors if "branding" in e.message]
    assert bool(messages) == failing
    if failing:
        [message] = messages
        assert f"text_colour {text.lower()} on primary_colour {primary.lower()}" in message
        assert "WCAG 2.1 AA" in message and "4.5:1" in message


def test_the_error_names_the_line_and_a_colour_that_reads(
    write_declaration: Callable[..., Path],
) -> None:
    path = write_declaration(lambda d: d.update(branding={"primary_colour": "#7fd"}))
    [error] = validate(path).errors
    line = next(
        n for n, text in enumerate(path.read_text().splitlines(), 1) if "primary_colour" in text
    )
    assert error.line == line
    assert "choose text_colour #000000" in error.message


@pytest.mark.parametrize("bad", ["blue", "#12", "#1234567", "0b5d3b", "#ggg"])
def test_a_colour_gardien_cannot_read_is_refused_with_how_to_write_it(
    write_declaration: Callable[..., Path], bad: str
) -> None:
    path = write_declaration(lambda d: d.update(branding={"primary_colour": bad}))
    [error] = validate(path).errors
    assert "write it #rrggbb or #rgb" in error.message
    assert error.message.startswith("branding.primary_colour")
