"""User handles are personal data (issue 16: they leaked). The sentences are
written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gardien.redact import Analyzer, RecognizerRegistry
from gardien.redact.recognizers.email import EmailRecognizer
from gardien.redact.recognizers.handle import HandleRecognizer


def _found(text: str) -> list[tuple[str, str]]:
    registry = RecognizerRegistry()
    registry.register(EmailRecognizer())
    registry.register(HandleRecognizer())
    return [(s.label, s.text) for s in Analyzer(registry).analyze(text, "en")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("merci @odile.vsr pour le lien !", [("PERSON", "@odile.vsr")]),
        ("Thanks @KimT_88, see you", [("PERSON", "@KimT_88")]),
        ("cc @ops.lead.", [("PERSON", "@ops.lead")]),
        # The "@" of an e-mail address, a price or a stray sign is no handle.
        ("Write to kim.t@mail.example.org now", [("EMAIL", "kim.t@mail.example.org")]),
        ("Two coffees @ 3 euros", []),
        ("see you@home", []),
    ],
)
def test_handles(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


@given(name=st.from_regex(r"[A-Za-z][A-Za-z0-9_]{1,14}", fullmatch=True))
def test_no_letter_of_a_handle_is_left(name: str) -> None:
    text = f"ping @{name} asap"
    registry = RecognizerRegistry()
    registry.register(HandleRecognizer())
    (span,) = Analyzer(registry).analyze(text, "en")
    assert (span.start, span.end) == (5, 6 + len(name))
