"""Identity normalisation per kind: one table of accepted spellings, one of refusals."""

from __future__ import annotations

import pytest

from gardien.vault import Identity, IdentityError, normalise

ACCEPTED = [
    ("email", "Alice@Example.COM ", "alice@example.com"),
    ("email", "\tbob.smith+news@mail.example.co.uk\n", "bob.smith+news@mail.example.co.uk"),
    ("phone", "+33 6 12 34 56 78", "+33612345678"),
    ("phone", "06.12.34.56.78", "0612345678"),
    ("phone", "(555) 010-0199", "5550100199"),
    ("device_id", "123E4567-E89B-12D3-A456-426614174000", "123e4567-e89b-12d3-a456-426614174000"),
    ("device_id", "123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456-426614174000"),
    ("user_id", " Case Kept ", " Case Kept "),
    ("crm_id", "CRM-0042", "CRM-0042"),
]

REFUSED = [
    ("email", "alice", "not an e-mail address"),
    ("email", "alice@localhost", "not an e-mail address"),
    ("email", "a b@example.com", "not an e-mail address"),
    ("email", "a@@example.com", "not an e-mail address"),
    ("phone", "+33 6 12 34 56 7a", "not a phone number"),
    ("phone", "123", "not a phone number"),
    ("phone", "+1234567890123456", "not a phone number"),
    ("phone", "٠٦١٢٣٤٥٦٧٨", "not a phone number"),
    ("device_id", "not-a-uuid", "not a UUID"),
    ("user_id", "", "is empty"),
    ("user_id", "  ", "is empty"),
    ("user_id", "x" * 1001, "longer than 1000 characters"),
    ("user_id", "a\x00b", "NUL character"),
    ("user_id", "\ud800", "not valid Unicode"),
    ("Email", "a@example.com", "lower-case letters"),
    ("1kind", "x", "lower-case letters"),
    ("kind-with-dash", "x", "lower-case letters"),
    ("k" * 41, "x", "at most 40 characters"),
]


@pytest.mark.parametrize(("kind", "value", "expected"), ACCEPTED)
def test_accepted(kind: str, value: str, expected: str) -> None:
    assert normalise(kind, value) == Identity(kind, expected)


@pytest.mark.parametrize(("kind", "value", "message"), REFUSED)
def test_refused_without_showing_the_value(kind: str, value: str, message: str) -> None:
    with pytest.raises(IdentityError, match=message) as caught:
        normalise(kind, value)
    if len(value.strip()) > 3:
        assert value not in str(caught.value)


def test_identity_repr_hides_the_value() -> None:
    identity = normalise("email", "alice@example.com")
    assert "alice" not in repr(identity) and "[secure]" in repr(identity)
