"""The public API of ``gardien.notice``: what the CLI and the runtime call."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import gardien.notice
from gardien.declaration import declaration_version, load
from gardien.declaration.models import Declaration, NoticeSettings
from gardien.errors import RenderError
from gardien.notice import export_register, notice_version, render_notice
from gardien.notice.wording import format_date

# ai-feedback-as-published.yaml is invalid on purpose: it is the policy as published.
EXAMPLES = sorted(
    p
    for p in (Path(__file__).parents[2] / "examples").glob("*.yaml")
    if p.stem != "ai-feedback-as-published"
)


def test_exported_members() -> None:
    assert sorted(gardien.notice.__all__) == [
        "ART_13_14_ITEMS",
        "COLUMNS",
        "NoticeItem",
        "export_register",
        "fallback_label",
        "label",
        "notice_version",
        "published_language",
        "render_notice",
    ]
    for name in gardien.notice.__all__:
        assert hasattr(gardien.notice, name)


def test_declared_version_and_date_are_used(declaration: Declaration) -> None:
    assert notice_version(declaration) == "2.1"
    assert "Version 2.1, en vigueur au 1er mars 2025" in render_notice(declaration, "fr", "md")


def test_arguments_override_the_declaration(declaration: Declaration) -> None:
    text = render_notice(declaration, "en", "md", version="3.0", date=dt.date(2026, 1, 15))
    assert "Version 3.0, effective 15 January 2026" in text


def test_without_version_the_hash_of_the_declaration_is_used(declaration: Declaration) -> None:
    bare = declaration.model_copy(update={"notice": NoticeSettings()})
    expected = declaration_version(bare)[:12]
    assert notice_version(bare) == expected
    assert len(expected) == 12
    text = render_notice(bare, "fr", "md")
    assert f"Version identifiée par la référence {expected}" in text
    # Without a declared effective date, the notice states none: the day it was
    # generated is not the day it takes effect.
    assert "en vigueur" not in text
    assert format_date(dt.date.today(), "fr") not in text


def test_a_hash_version_with_a_declared_date_reads_as_a_date(declaration: Declaration) -> None:
    dated = declaration.model_copy(
        update={"notice": NoticeSettings(effective_date=dt.date(2025, 3, 1))}
    )
    expected = notice_version(dated)
    text = render_notice(dated, "fr", "md")
    assert f"Version en vigueur au 1er mars 2025 (référence {expected})" in text
    english = render_notice(dated, "en", "md")
    assert f"Version effective 1 March 2025 (reference {expected})" in english


def test_version_hash_changes_with_the_declaration(declaration: Declaration) -> None:
    bare = declaration.model_copy(update={"notice": NoticeSettings()})
    controller = bare.controller.model_copy(update={"name": "Autre SAS"})
    assert notice_version(bare) != notice_version(
        bare.model_copy(update={"controller": controller})
    )


@pytest.mark.parametrize(("lang", "fmt"), [("de", "md"), ("fr", "pdf")])
def test_bad_language_or_format_is_a_render_error(
    declaration: Declaration, lang: str, fmt: str
) -> None:
    with pytest.raises(RenderError, match="choose"):
        render_notice(declaration, lang, fmt)  # type: ignore[arg-type]


def test_purpose_without_retention_is_a_render_error(declaration: Declaration) -> None:
    purpose = declaration.purposes["account"].model_copy(update={"retention": None})
    changed = declaration.model_copy(
        update={"purposes": {**declaration.purposes, "account": purpose}}
    )
    with pytest.raises(RenderError, match='purpose "account" has no retention rule'):
        render_notice(changed, "fr", "md")


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_declarations_render(path: Path) -> None:
    declaration = load(path)
    for lang in ("fr", "en"):
        for fmt in ("md", "html"):
            assert render_notice(declaration, lang, fmt).strip()  # type: ignore[arg-type]
    for register_format in ("csv", "md", "xlsx", "json"):
        assert export_register(declaration, register_format)  # type: ignore[arg-type]
