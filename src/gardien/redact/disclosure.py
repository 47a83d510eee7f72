"""Redaction for a declared recipient: what the declaration allows to leave.

A privacy notice promising that "the AI provider only receives anonymised
text" is kept only if every text sent there goes through an operator that
leaves no way back. The declaration says, per recipient, which form it
receives (``receives``: identified, pseudonymised, anonymised) and, per
purpose, which recipients it has. Before redacting for a recipient, the
caller names it (and the purpose, when known); this module checks that the
disclosure is declared and that the operator gives the declared form.

What counts as which form (GDPR Art. 4(5) and Recital 26):

- ``placeholder``, ``redact``, ``mask`` keep nothing that links the output
  back to the values: they may feed an *anonymised* recipient.
- ``pseudonymize`` (a keyed hash: whoever holds the key recomputes a guessed
  value's pseudonym) and ``reversible`` (a sealed mapping back to the values)
  are pseudonymisation: a *pseudonymised* or *identified* recipient only.
- Every label is redacted for an anonymised or pseudonymised recipient: a
  ``labels`` filter would let the other kinds of values through as they are;
  and only the terms the declaration keeps (``redaction.keep``) are exempted,
  not terms a caller adds.

Anonymisation here is of what the recognizers detect: a value they miss is
sent as it is (docs/redaction.md states their measured recall).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gardien.declaration.models import DataForm, Declaration
from gardien.errors import (
    OperatorNotAllowedError,
    UndeclaredDisclosureError,
    UnknownDisclosurePurposeError,
    UnknownRecipientError,
)
from gardien.redact.span import LABELS

#: Operators whose output keeps no way back to the values.
ANONYMISING = frozenset({"placeholder", "redact", "mask"})
#: Operators allowed for each declared form of a recipient.
ALLOWED_OPERATORS: dict[DataForm, frozenset[str]] = {
    DataForm.ANONYMISED: ANONYMISING,
    DataForm.PSEUDONYMISED: ANONYMISING | {"pseudonymize", "reversible"},
    DataForm.IDENTIFIED: ANONYMISING | {"pseudonymize", "reversible"},
}


@dataclass(frozen=True, slots=True)
class Disclosure:
    """A checked disclosure: to whom, under which purpose, in which declared form."""

    recipient: str
    purpose: str | None
    form: DataForm


def _undeclared(kind: str, name: str, declared: Iterable[str]) -> str:
    known = sorted(declared)
    close = difflib.get_close_matches(name, known, n=1)
    suggestion = f"did you mean {close[0]!r}? " if close else ""
    return (
        f"{kind} {name!r} is not in the declaration ({suggestion}declared: "
        f"{', '.join(known) or 'none'}): name a declared {kind}, or declare it under "
        f"`{kind}s` in privacy.yaml"
    )


def check_disclosure(
    declaration: Declaration,
    recipient: str,
    purpose: str | None,
    operator: str,
    labels: Sequence[str] | None = None,
    keep: Sequence[str] = (),
) -> Disclosure:
    """The disclosure of text redacted with ``operator`` to ``recipient``
    under ``purpose``, if the declaration allows it; else an error saying what
    to change (in the request or in privacy.yaml)."""
    declared = declaration.recipients.get(recipient)
    if declared is None:
        raise UnknownRecipientError(_undeclared("recipient", recipient, declaration.recipients))
    if purpose is not None:
        declared_purpose = declaration.purposes.get(purpose)
        if declared_purpose is None:
            raise UnknownDisclosurePurposeError(
                _undeclared("purpose", purpose, declaration.purposes)
            )
        if recipient not in declared_purpose.recipients:
            raise UndeclaredDisclosureError(
                f"purpose {purpose!r} does not list recipient {recipient!r}, so the privacy "
                "notice does not announce this disclosure: add the recipient to the purpose's "
                "`recipients` in privacy.yaml, or send the text under a purpose that lists it"
            )
    form = declared.receives
    if operator not in ALLOWED_OPERATORS[form]:
        allowed = ", ".join(sorted(ALLOWED_OPERATORS[form]))
        raise OperatorNotAllowedError(
            f"recipient {recipient!r} is declared to receive {form.value} data, and operator "
            f"{operator!r} keeps a way back to the values (pseudonymisation, GDPR Recital 26): "
            f"use {allowed}, or declare `receives: pseudonymised` for it in privacy.yaml"
        )
    if labels is not None and set(LABELS) - set(labels) and form is not DataForm.IDENTIFIED:
        raise OperatorNotAllowedError(
            f"recipient {recipient!r} is declared to receive {form.value} data, so every kind "
            "of personal data is redacted for it: drop `labels`"
        )
    if keep and form is not DataForm.IDENTIFIED:
        raise OperatorNotAllowedError(
            f"recipient {recipient!r} is declared to receive {form.value} data, so only the "
            "terms privacy.yaml declares under `redaction.keep` are left as they are: drop "
            "`keep`, or add the terms to the declaration"
        )
    return Disclosure(recipient=recipient, purpose=purpose, form=form)
