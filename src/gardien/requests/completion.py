"""What the person is told when their request is done, in French and English.

Plain sentences built from the outcome: where the data was found, what was
erased, what was kept and why (the legal hold's declared reason and its end),
which recipients were told (Art. 19), and the download link of a package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from gardien.declaration import Declaration
from gardien.requests.mailing import PersonMessage

_TYPE_NAMES = {
    "fr": {
        "access": "d'accès",
        "portability": "de portabilité",
        "rectification": "de rectification",
        "erasure": "d'effacement",
        "restriction": "de limitation",
        "objection": "d'opposition",
        "withdrawal": "de retrait du consentement",
        "post_mortem": "de directives post mortem",
    },
    "en": {
        "access": "access",
        "portability": "portability",
        "rectification": "rectification",
        "erasure": "erasure",
        "restriction": "restriction",
        "objection": "objection",
        "withdrawal": "consent withdrawal",
        "post_mortem": "post-mortem directives",
    },
}


_MONTHS_FR = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def spoken_date(iso: str, language: str) -> str:
    """``2034-12-31`` as a sentence writes it: « 31 décembre 2034 », "31 December 2034"."""
    day = dt.date.fromisoformat(iso[:10])
    if language == "fr":
        return f"{'1er' if day.day == 1 else day.day} {_MONTHS_FR[day.month - 1]} {day.year}"
    return f"{day.day} {day.strftime('%B')} {day.year}"


def completion_message(
    declaration: Declaration,
    language: str,
    request_type: str,
    *,
    link: str | None = None,
    link_expires: str | None = None,
    kept: Sequence[Mapping[str, Any]] = (),
    recipients: Sequence[str] = (),
    changed_rows: int | None = None,
) -> PersonMessage:
    lang = "fr" if language == "fr" else "en"
    kind = _TYPE_NAMES[lang].get(request_type, request_type)
    controller = declaration.controller.name
    names = [declaration.recipients[r].name for r in recipients if r in declaration.recipients]
    lines: list[str] = []
    if lang == "fr":
        subject = f"Votre demande {kind} a été traitée"
        lines.append("Bonjour,")
        lines.append(f"Nous avons traité votre demande {kind}.")
        if link:
            lines.append(
                "Vos données sont disponibles au lien suivant, utilisable une seule fois"
                + (f" jusqu'au {spoken_date(link_expires, 'fr')}" if link_expires else "")
                + f" :\n{link}"
            )
        if changed_rows is not None and request_type == "erasure":
            lines.append(f"Enregistrements effacés ou rendus anonymes : {changed_rows}.")
        for hold in kept:
            lines.append(
                f"Nous conservons certaines données ({hold['collection']}) jusqu'au "
                f"{spoken_date(hold['until'], 'fr')}. Motif : {hold['reason']['fr']}"
            )
        if names:
            lines.append(
                "Nous avons informé de votre demande les destinataires suivants de vos "
                "données : " + ", ".join(names) + "."
            )
        lines.append(controller)
    else:
        subject = f"Your {kind} request has been handled"
        lines.append("Hello,")
        lines.append(f"We have handled your {kind} request.")
        if link:
            lines.append(
                "Your data is available at the following link, which works once"
                + (f" until {spoken_date(link_expires, 'en')}" if link_expires else "")
                + f":\n{link}"
            )
        if changed_rows is not None and request_type == "erasure":
            lines.append(f"Records erased or made anonymous: {changed_rows}.")
        for hold in kept:
            lines.append(
                f"We keep some data ({hold['collection']}) until "
                f"{spoken_date(hold['until'], 'en')}. Reason: {hold['reason']['en']}"
            )
        if names:
            lines.append(
                "We have told the following recipients of your data about your request: "
                + ", ".join(names)
                + "."
            )
        lines.append(controller)
    return PersonMessage(subject, "\n\n".join(lines) + "\n")
