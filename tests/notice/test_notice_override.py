"""A company's template directory is searched before the shipped templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from gardien.declaration.models import Declaration
from gardien.errors import RenderError
from gardien.notice import render_notice


def test_language_and_format_specific_template_wins(
    declaration: Declaration, tmp_path: Path
) -> None:
    (tmp_path / "notice.fr.html.j2").write_text(
        '{% extends "notice.html.j2" %}{% block style %}<link rel="stylesheet" href="/maison.css">'
        "{% endblock %}",
        encoding="utf-8",
    )
    french = render_notice(declaration, "fr", "html", template_dir=tmp_path)
    assert '<link rel="stylesheet" href="/maison.css">' in french
    assert "Responsable du traitement" in french
    english = render_notice(declaration, "en", "html", template_dir=tmp_path)
    assert "maison.css" not in english


def test_prose_template_can_be_replaced(declaration: Declaration, tmp_path: Path) -> None:
    shipped = Path(__file__).parents[2] / "src/gardien/notice/templates/sections.en.j2"
    text = shipped.read_text(encoding="utf-8").replace(
        "You can exercise your rights:", "Our privacy team answers you:"
    )
    (tmp_path / "sections.en.j2").write_text(text, encoding="utf-8")
    rendered = render_notice(declaration, "en", "md", template_dir=tmp_path)
    assert "Our privacy team answers you:" in rendered
    assert "You can exercise your rights" not in rendered


def test_broken_override_is_a_render_error(declaration: Declaration, tmp_path: Path) -> None:
    (tmp_path / "notice.md.j2").write_text("{{ view.no_such_fact }}", encoding="utf-8")
    with pytest.raises(RenderError, match="template"):
        render_notice(declaration, "fr", "md", template_dir=tmp_path)


def test_missing_directory_is_a_render_error(declaration: Declaration, tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="does not exist"):
        render_notice(declaration, "fr", "md", template_dir=tmp_path / "absent")
