"""Reading policies from files: formats, offsets in the text as read, and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_helpers import Lint

import gardien.policylint as lint_package
from gardien.errors import PolicyLintError
from gardien.policylint import read_policy
from gardien.policylint.reader import html_to_text


def test_markdown_is_read_as_is(tmp_path: Path) -> None:
    path = tmp_path / "policy.md"
    path.write_text("# Policy\n\nWe keep data **3 years**.\n", "utf-8")
    policy = read_policy(path)
    assert policy.format == "md"
    assert policy.text == path.read_text("utf-8")


def test_html_is_converted_to_lines_of_text(tmp_path: Path) -> None:
    path = tmp_path / "policy.html"
    path.write_text(
        "<html><head><title>x</title><script>var a = 1;</script></head><body>"
        "<h1>Privacy</h1><p>We keep data&nbsp;3&nbsp;years &amp; more.</p>"
        "<ul><li>Access</li><li>Erasure</li></ul></body></html>",
        "utf-8",
    )
    policy = read_policy(path)
    assert policy.format == "html"
    assert policy.text == "Privacy\n\nWe keep data 3 years & more.\n\n- Access\n\n- Erasure\n"


def test_html_is_recognised_by_its_content() -> None:
    assert html_to_text("<!DOCTYPE html><p>Bonjour</p>") == "Bonjour\n"


def test_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "policy.txt"
    path.write_bytes("\ufeffPolicy".encode())
    assert read_policy(path).text == "Policy"


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "empty"), (b"\x00\x01", "binary"), ("é".encode("latin-1"), "not UTF-8")],
)
def test_unreadable_files_raise_policy_lint_error(
    tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "policy.txt"
    path.write_bytes(content)
    with pytest.raises(PolicyLintError, match=words) as raised:
        read_policy(path)
    assert raised.value.exit_code == 2


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(PolicyLintError, match="no such file"):
        read_policy(tmp_path / "absent.md")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Vos données sont conservées pendant trois ans.", "fr"),
        ("Your data is kept for three years.", "en"),
    ],
)
def test_language_detection(lint: Lint, text: str, lang: str) -> None:
    assert lint(text).language == lang


def test_exported_members() -> None:
    assert set(lint_package.__all__) >= {"lint_policy", "read_policy", "LintReport", "PolicyText"}
    for name in lint_package.__all__:
        assert hasattr(lint_package, name)


def test_empty_text_is_refused() -> None:
    with pytest.raises(PolicyLintError):
        lint_package.lint_policy("   ")
