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
from gardien.declaration.values import in_lang
from gardien.notice.labels import category_label
from gardien.notice.vocabulary import Lang
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


_PHRASES: Mapping[str, Mapping[str, str]] = {
    "fr": {
        "subject": "Votre demande {kind} a été traitée",
        "hello": "Bonjour,",
        "done": "Nous avons traité votre demande {kind}.",
        "link": "Vos données sont disponibles au lien suivant, utilisable une seule "
        "fois{until} :\n{link}",
        "until": " jusqu'au {date}",
        "erased": "Enregistrements effacés ou rendus anonymes : {rows}.",
        "kept": "Nous conservons les données suivantes jusqu'au {date} : {data}. Motif : {reason}",
        "told": "Nous avons informé de votre demande les destinataires suivants de vos "
        "données : {names}.",
    },
    "en": {
        "subject": "Your {kind} request has been handled",
        "hello": "Hello,",
        "done": "We have handled your {kind} request.",
        "link": "Your data is available at the following link, which works once{until}:\n{link}",
        "until": " until {date}",
        "erased": "Records erased or made anonymous: {rows}.",
        "kept": "We keep the following data until {date}: {data}. Reason: {reason}",
        "told": "We have told the following recipients of your data about your request: {names}.",
    },
}


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
    """The e-mail telling the person their request was carried out, in their language."""
    lang: Lang = "fr" if language == "fr" else "en"
    say = _PHRASES[lang]
    kind = _TYPE_NAMES[lang].get(request_type, request_type)
    lines = [say["hello"], say["done"].format(kind=kind)]
    if link:
        until = say["until"].format(date=spoken_date(link_expires, lang)) if link_expires else ""
        lines.append(say["link"].format(until=until, link=link))
    if changed_rows is not None and request_type == "erasure":
        lines.append(say["erased"].format(rows=changed_rows))
    for hold in kept:
        lines.append(
            say["kept"].format(
                date=spoken_date(hold["until"], lang),
                data=_kept_data(declaration, hold, lang),
                reason=hold["reason"][lang],
            )
        )
    names = [
        in_lang(declaration.recipients[r].name, lang)
        for r in recipients
        if r in declaration.recipients
    ]
    if names:
        lines.append(say["told"].format(names=", ".join(names)))
    lines.append(declaration.controller.name)
    return PersonMessage(say["subject"].format(kind=kind), "\n\n".join(lines) + "\n")


def _kept_data(declaration: Declaration, hold: Mapping[str, Any], lang: Lang) -> str:
    """What was kept, in words: the labels of the kept fields' data categories."""
    datastore, _, collection = str(hold["collection"]).partition(".")
    fields = declaration.datastores[datastore].collections[collection].fields
    labels: list[str] = []
    for name in hold.get("fields", ()):
        for category in fields[name].categories if name in fields else ():
            text = _in_sentence(category_label(category, lang, declaration))
            if text not in labels:
                labels.append(text)
    return ", ".join(labels) or collection


def _in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: « Nom » → « nom », but « IBAN » stays."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label
