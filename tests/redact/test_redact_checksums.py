"""Check-digit algorithms, table-driven with valid and invalid values."""

from __future__ import annotations

import pytest

from gardien.redact.recognizers.checksums import iban_valid, luhn_valid, nir_key


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("4111111111111111", True),
        ("4111111111111112", False),
        ("378282246310005", True),  # Amex test number
        ("378282246310006", False),
        ("732829320", True),  # SIREN
        ("732829321", False),
        ("73282932000074", True),  # SIRET
        ("73282932000075", False),
        ("", False),
        ("12a4", False),
    ],
)
def test_luhn(number: str, valid: bool) -> None:
    assert luhn_valid(number) is valid


@pytest.mark.parametrize(
    ("iban", "valid"),
    [
        ("FR7630006000011234567890189", True),
        ("FR7630006000011234567890188", False),
        ("GB82WEST12345698765432", True),
        ("GB82WEST12345698765433", False),
        ("DE89370400440532013000", True),
        ("BE68539007547034", True),
        ("BE68539007547035", False),
        ("FR76", False),
    ],
)
def test_iban(iban: str, valid: bool) -> None:
    assert iban_valid(iban) is valid


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("1850375112345", 97 - 1850375112345 % 97),
        ("2690149123456", 97 - 2690149123456 % 97),
        # Corsica: 2A counts as 19 and 2B as 18 in the key computation.
        ("185012A123456", 97 - 1850119123456 % 97),
        ("285032B123456", 97 - 2850318123456 % 97),
    ],
)
def test_nir_key(body: str, key: int) -> None:
    assert nir_key(body) == key
