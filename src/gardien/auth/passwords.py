"""Staff passwords: what is accepted, and their argon2id hashes.

A password is refused, with the reason, when it is shorter than
``MIN_LENGTH`` characters, longer than ``MAX_LENGTH`` (argon2 would take it,
but nobody types 200 characters; the bound keeps a sign-in's cost fixed),
made of one repeated character or a run such as ``123456789012``, one of a
few very common passwords, or contains the account's e-mail name. Length is
what makes a password strong (NIST SP 800-63B §5.1.1.2): no rule about
character classes.

Hashes are argon2id, with argon2-cffi's parameters of the day (RFC 9106's
second recommended option: 64 MiB, 3 passes). ``needs_rehash`` says when a
stored hash was made under other parameters: the sign-in that proves the
password then stores a new hash (``users.sign_in``).
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from gardien.errors import PasswordRejectedError

MIN_LENGTH = 12
MAX_LENGTH = 128
#: Passwords people choose most often, as they would pass the length rule.
COMMON = frozenset(
    {
        "passwordpassword",
        "password1234",
        "motdepasse123",
        "azertyuiop123",
        "qwertyuiop123",
        "administrator",
        "changeme1234",
        "iloveyou1234",
        "welcome12345",
        "bienvenue123",
    }
)
_RUNS = ("0123456789" * 14, "abcdefghijklmnopqrstuvwxyz" * 5, "azertyuiopqsdfghjklmwxcvbn" * 5,
         "qwertyuiopasdfghjklzxcvbnm" * 5)  # fmt: skip


@cache
def hasher() -> PasswordHasher:
    """The argon2id hasher of this gardien (its parameters are argon2-cffi's defaults)."""
    return PasswordHasher()


def check_password(password: str, email: str = "") -> str:
    """``password`` if acceptable, else ``PasswordRejectedError`` saying why and what to do."""
    if len(password) < MIN_LENGTH:
        raise PasswordRejectedError(
            f"the password has {len(password)} characters: choose one of at least {MIN_LENGTH} "
            "(a few unrelated words make a strong one)"
        )
    if len(password) > MAX_LENGTH:
        raise PasswordRejectedError(f"the password is longer than {MAX_LENGTH} characters")
    lowered = password.lower()
    if len(set(lowered)) <= 2 or any(lowered in run for run in _RUNS):
        raise PasswordRejectedError(
            "the password is a repeated character or a run of the keyboard: choose another"
        )
    if lowered in COMMON:
        raise PasswordRejectedError("the password is one of the most common ones: choose another")
    name = email.split("@")[0].lower()
    if len(name) >= 4 and name in lowered:
        raise PasswordRejectedError("the password contains the account's e-mail: choose another")
    return password


def hash_password(password: str) -> str:
    return hasher().hash(password)


def password_matches(stored: str, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` was made from (argon2 compares in constant
    time); a stored value that is not an argon2 hash matches nothing."""
    try:
        return hasher().verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether ``stored`` was made under parameters other than this gardien's."""
    try:
        return hasher().check_needs_rehash(stored)
    except InvalidHashError:
        return True


@cache
def decoy_hash() -> str:
    """A hash no password is known for, checked when an e-mail names no account, so that
    the answer takes as long as for a wrong password."""
    import secrets

    return hash_password(secrets.token_urlsafe(24))
