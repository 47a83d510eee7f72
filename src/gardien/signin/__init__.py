"""The sign-in room: a person proves their e-mail with a code, and gets a short session.

It owns ``person_signins`` and ``person_sessions`` (``tables.py``) and the
functions of ``sessions.py``; the privacy center's pages call them. Like a
request's verification, nothing here tells whether the company knows the
person: the same code, e-mail and answers for any address.
"""

from __future__ import annotations

from gardien.signin.sessions import (
    CODES_PER_ADDRESS,
    IDLE,
    LONGEST,
    MAX_ATTEMPTS,
    CodeCheck,
    PersonSession,
    Started,
    check_code,
    end,
    normalised_email,
    purge,
    session,
    start,
)

__all__ = [
    "CODES_PER_ADDRESS",
    "IDLE",
    "LONGEST",
    "MAX_ATTEMPTS",
    "CodeCheck",
    "PersonSession",
    "Started",
    "check_code",
    "end",
    "normalised_email",
    "purge",
    "session",
    "start",
]
