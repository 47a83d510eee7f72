"""What the cookie banner shows: its configuration document, built from the declaration.

``/privacy-center/consent-config.json`` is this document. It holds, in French
and English, the banner's texts, each purpose it asks about (name,
description, the exact consent wording, its cookies with their provider and
lifetime, whether Global Privacy Control refuses it), the essential cookies
(shown, never asked about: the banner's own choice cookie among them), the
links to the notice, and how long a choice is remembered (the cookie's
``Max-Age``).

Its ``version`` is a digest of everything the person reads (links aside): a
choice is recorded only against the version in force, and the script asks
again when the version it remembered is no longer the one served.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from gardien.consent.banner import (
    banner_purposes,
    essential_cookies,
    max_age_seconds,
    remembered_for,
)
from gardien.declaration import Declaration
from gardien.declaration.models import Cookie
from gardien.declaration.values import Duration, in_lang
from gardien.web.pages import LANGUAGES, french_duration

#: The first-party cookie the script keeps the visitor's choice in.
CHOICE_COOKIE = "gardien_consent"

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Vos choix sur les cookies",
        "intro": (
            "{company} souhaite déposer des cookies et traceurs sur votre appareil pour les "
            "finalités ci-dessous. Ils ne sont déposés qu’avec votre accord. Vous pouvez tout "
            "accepter, tout refuser ou choisir finalité par finalité ; refuser n’a aucune "
            "conséquence sur votre accès au site. Votre choix est conservé {remember}, et vous "
            "pouvez le modifier à tout moment."
        ),
        "accept": "Tout accepter",
        "refuse": "Tout refuser",
        "choose": "Choisir",
        "save": "Enregistrer mes choix",
        "close": "Fermer",
        "purposes": "Finalités soumises à votre accord",
        "essential": "Cookies strictement nécessaires",
        "essential_note": (
            "Toujours actifs, ils sont exemptés de consentement (article 82 de la loi "
            "Informatique et Libertés) : ils sont strictement nécessaires au fonctionnement du "
            "site ou à la conservation de vos choix."
        ),
        "cookie": "{name} : {description} Durée de vie : {lifetime}.",
        "provider": "Déposé par {provider}.",
        "notice": "En savoir plus dans notre politique de confidentialité",
        "gpc": (
            "Votre navigateur envoie le signal Global Privacy Control : nous l’avons respecté en "
            "refusant pour vous : {purposes}. Ce refus vaut tant que votre navigateur envoie ce "
            "signal."
        ),
        "gpc_switch": "Refusé par le signal Global Privacy Control de votre navigateur",
        "failed": "Votre choix n’a pas pu être enregistré. Réessayez dans un instant.",
        "choice_cookie": "Conserve vos choix sur les cookies.",
    },
    "en": {
        "title": "Your choices about cookies",
        "intro": (
            "{company} would like to place cookies and trackers on your device for the purposes "
            "below. They are placed only with your consent. You may accept all, refuse all or "
            "choose purpose by purpose; refusing does not affect your access to the site. Your "
            "choice is kept for {remember}, and you may change it at any time."
        ),
        "accept": "Accept all",
        "refuse": "Refuse all",
        "choose": "Choose",
        "save": "Save my choices",
        "close": "Close",
        "purposes": "Purposes that need your consent",
        "essential": "Strictly necessary cookies",
        "essential_note": (
            "Always active, they are exempt from consent (Article 82 of the French Data "
            "Protection Act): they are strictly necessary for the site to work or to keep your "
            "choices."
        ),
        "cookie": "{name}: {description} Lifetime: {lifetime}.",
        "provider": "Set by {provider}.",
        "notice": "Read more in our privacy notice",
        "gpc": (
            "Your browser sends the Global Privacy Control signal: we honoured it by refusing "
            "on your behalf: {purposes}. This refusal holds as long as your browser sends the "
            "signal."
        ),
        "gpc_switch": "Refused by your browser's Global Privacy Control signal",
        "failed": "Your choice could not be recorded. Try again in a moment.",
        "choice_cookie": "Keeps your choices about cookies.",
    },
}


def spoken_duration(duration: Duration, lang: str) -> str:
    if lang == "fr":
        return french_duration(str(duration))
    return str(duration)


def _sentence(text: str) -> str:
    """A declared description as a sentence: it is followed by the cookie's lifetime."""
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?", "…")) else text + "."


def _provider(declaration: Declaration, provider: str | None, lang: str) -> str | None:
    if provider is None:
        return None
    recipient = declaration.recipients.get(provider)
    return in_lang(recipient.name, lang) if recipient is not None else provider


def _cookie(declaration: Declaration, name: str, cookie: Cookie) -> dict[str, Any]:
    return {
        "name": name,
        "lifetime": {lang: spoken_duration(cookie.lifetime, lang) for lang in LANGUAGES},
        "description": {
            lang: _sentence(in_lang(cookie.description, lang) if cookie.description else "")
            for lang in LANGUAGES
        },
        "provider": {lang: _provider(declaration, cookie.provider, lang) for lang in LANGUAGES},
    }


def _content(declaration: Declaration) -> dict[str, Any]:
    """Everything the person reads, without links: what the version is a digest of."""
    remember = remembered_for(declaration)
    company = declaration.controller.name
    purposes = []
    for banner_purpose in banner_purposes(declaration):
        purpose = declaration.purposes[banner_purpose.id]
        assert purpose.consent is not None  # a consent purpose declares its wording
        purposes.append(
            {
                "id": banner_purpose.id,
                "gpc": banner_purpose.gpc,
                "name": {lang: purpose.name[lang] for lang in LANGUAGES},
                "description": {lang: purpose.description[lang] for lang in LANGUAGES},
                "wording": {lang: purpose.consent.wording[lang] for lang in LANGUAGES},
                "cookies": [
                    _cookie(declaration, name, cookie) for name, cookie in banner_purpose.cookies
                ],
            }
        )
    own = {
        "name": CHOICE_COOKIE,
        "lifetime": {lang: spoken_duration(remember, lang) for lang in LANGUAGES},
        "description": {lang: TEXTS[lang]["choice_cookie"] for lang in LANGUAGES},
        "provider": dict.fromkeys(LANGUAGES),
    }
    texts = {
        lang: {
            key: text.replace("{company}", company).replace(
                "{remember}", spoken_duration(remember, lang)
            )
            for key, text in TEXTS[lang].items()
        }
        for lang in LANGUAGES
    }
    return {
        "company": company,
        "cookie": {"name": CHOICE_COOKIE, "max_age": max_age_seconds(remember)},
        "purposes": purposes,
        "essential": [own]
        + [_cookie(declaration, name, cookie) for name, cookie in essential_cookies(declaration)],
        "texts": texts,
    }


def banner_version(declaration: Declaration) -> str:
    """A digest (16 hex) of what the banner shows for ``declaration``."""
    canonical = json.dumps(_content(declaration), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def banner_config(declaration: Declaration) -> dict[str, Any]:
    """The configuration document the script reads. Without ``notice.url``, the notice's
    links are gardien's own paths: the script resolves them against its own address."""
    notice = {lang: declaration.notice.url or f"/notice/{lang}" for lang in LANGUAGES}
    return {
        "version": banner_version(declaration),
        **_content(declaration),
        "notice": notice,
    }
