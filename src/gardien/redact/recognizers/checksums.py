"""Check-digit algorithms shared by recognizers: Luhn, ISO 7064 mod 97-10, NIR key."""

from __future__ import annotations


def digits_only(value: str) -> str:
    """``value`` without separators (spaces, dots, dashes)."""
    return "".join(c for c in value if c.isalnum())


def luhn_valid(number: str) -> bool:
    """True when the digit string passes the Luhn check (cards, SIREN, SIRET)."""
    if not number.isdigit():
        return False
    total = 0
    for i, char in enumerate(reversed(number)):
        d = int(char)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_valid(compact: str) -> bool:
    """ISO 13616 check: move the first four characters to the end, letters to
    numbers (A=10 … Z=35), and the whole must be 1 modulo 97."""
    if len(compact) < 15 or not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    try:
        number = int("".join(str(int(c, 36)) for c in rearranged.upper()))
    except ValueError:
        return False
    return number % 97 == 1


def nir_key(body: str) -> int:
    """The 2-digit key of a 13-character French NIR body.

    Corsican departments 2A and 2B are replaced by 19 and 18 before the
    computation, as the INSEE specifies.
    """
    body = body.upper().replace("2A", "19").replace("2B", "18")
    return 97 - int(body) % 97
