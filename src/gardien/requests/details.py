"""What each type of request says besides who asks: its details, checked against the declaration.

One checker per type, registered in ``CHECKERS`` (a type without an entry
takes no details). Each returns the details as the executor will read them,
or raises ``RequestError`` saying which key was wrong and how to fix it;
values the person typed are never echoed (they may be personal).

    rectification  changes: {<data category or datastore.collection.field>: new value}
    portability    destination: https URL (optional)
    objection      purposes: [declared purpose, …]
    withdrawal     purposes: [declared purpose based on consent, …]
    restriction    ground: Art. 18(1) (a)–(d); purposes (optional)
    post_mortem    instructions: text ≤ 10,000 characters; trustees: 1–5 {name, email}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from gardien.connectors import rectification_targets
from gardien.connectors.webhooks import check_url
from gardien.declaration import Declaration
from gardien.declaration.jurisdiction import takes_post_mortem_directives
from gardien.declaration.models import LegalBasis
from gardien.errors import ConnectorError, IdentityError, RequestError, shown
from gardien.requests.vocabulary import RequestType, RestrictionGround
from gardien.vault.identities import normalise

MAX_CHANGES = 50
MAX_VALUE_CHARS = 1000
MAX_INSTRUCTIONS = 10_000
MAX_TRUSTEES = 5
MAX_NAME = 200

Checker = Callable[[Declaration, Mapping[str, Any]], dict[str, Any]]


def check_details(
    declaration: Declaration, request_type: RequestType, details: Mapping[str, Any]
) -> dict[str, Any]:
    """The details of ``request_type``, checked; ``RequestError`` naming what is wrong."""
    if not isinstance(details, Mapping):
        raise RequestError("details must be an object")
    checker = CHECKERS.get(request_type)
    if checker is None:
        _only(request_type, details, set())
        return {}
    return checker(declaration, details)


def _only(request_type: RequestType, details: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(str(key) for key in details if key not in allowed)
    if unknown:
        names = ", ".join(shown(key) for key in unknown)
        expected = ", ".join(sorted(allowed)) or "none"
        raise RequestError(
            f"details of a {request_type.value} request do not take {names}: expected {expected}"
        )


def _rectification(declaration: Declaration, details: Mapping[str, Any]) -> dict[str, Any]:
    _only(RequestType.RECTIFICATION, details, {"changes"})
    changes = details.get("changes")
    if not isinstance(changes, Mapping) or not changes:
        raise RequestError(
            "a rectification request needs details.changes: an object of what to correct "
            '(a data category or datastore.collection.field) to its new value, e.g. {"user.name": '
            '"…"}'
        )
    if len(changes) > MAX_CHANGES:
        raise RequestError(f"details.changes holds {len(changes)} changes: at most {MAX_CHANGES}")
    for name, value in changes.items():
        if value is not None and not isinstance(value, str | int | float | bool):
            raise RequestError(
                f"details.changes[{shown(str(name))}] must be text, a number or null"
            )
        if isinstance(value, str) and len(value) > MAX_VALUE_CHARS:
            raise RequestError(
                f"details.changes[{shown(str(name))}] is longer than {MAX_VALUE_CHARS} characters"
            )
    try:
        rectification_targets(declaration, changes)
    except ConnectorError as exc:
        raise RequestError(f"details.changes: {exc.message}") from None
    return {"changes": dict(changes)}


def _portability(_declaration: Declaration, details: Mapping[str, Any]) -> dict[str, Any]:
    _only(RequestType.PORTABILITY, details, {"destination"})
    destination = details.get("destination")
    if destination is None:
        return {}
    if not isinstance(destination, str) or len(destination) > 2000:
        raise RequestError("details.destination must be an https:// URL")
    try:
        if urlsplit(destination).scheme != "https" or not urlsplit(destination).hostname:
            raise ConnectorError("not https")
        check_url(destination)
    except (ConnectorError, ValueError):
        raise RequestError(
            "details.destination must be an https:// URL (the data goes there encrypted in "
            "transit, or not at all)"
        ) from None
    return {"destination": destination}


def _purposes(
    declaration: Declaration,
    details: Mapping[str, Any],
    request_type: RequestType,
    *,
    required: bool,
    consent_only: bool,
) -> list[str]:
    purposes = details.get("purposes")
    if purposes is None and not required:
        return []
    if not isinstance(purposes, list) or not purposes or len(purposes) > 100:
        raise RequestError(
            f"a {request_type.value} request needs details.purposes: a list of declared "
            f"purposes (one of {', '.join(sorted(declaration.purposes))})"
        )
    checked: list[str] = []
    for purpose in purposes:
        declared = declaration.purposes.get(purpose) if isinstance(purpose, str) else None
        if declared is None:
            raise RequestError(
                f"details.purposes: {shown(str(purpose))} is not a declared purpose; use one of "
                + ", ".join(sorted(declaration.purposes))
            )
        if consent_only and declared.legal_basis is not LegalBasis.CONSENT:
            consent_based = sorted(
                p for p, d in declaration.purposes.items() if d.legal_basis is LegalBasis.CONSENT
            )
            raise RequestError(
                f"details.purposes: {purpose!r} does not rest on consent, so there is no "
                "consent to withdraw (object to it instead); consent-based purposes: "
                + (", ".join(consent_based) or "none")
            )
        if purpose not in checked:
            checked.append(purpose)
    return checked


def _objection(declaration: Declaration, details: Mapping[str, Any]) -> dict[str, Any]:
    _only(RequestType.OBJECTION, details, {"purposes"})
    kind = RequestType.OBJECTION
    return {"purposes": _purposes(declaration, details, kind, required=True, consent_only=False)}


def _withdrawal(declaration: Declaration, details: Mapping[str, Any]) -> dict[str, Any]:
    _only(RequestType.WITHDRAWAL, details, {"purposes"})
    kind = RequestType.WITHDRAWAL
    return {"purposes": _purposes(declaration, details, kind, required=True, consent_only=True)}


def _restriction(declaration: Declaration, details: Mapping[str, Any]) -> dict[str, Any]:
    _only(RequestType.RESTRICTION, details, {"ground", "purposes"})
    try:
        ground = RestrictionGround(str(details.get("ground")))
    except ValueError:
        raise RequestError(
            "a restriction request needs details.ground, the case of Art. 18(1): "
            + ", ".join(g.value for g in RestrictionGround)
        ) from None
    kind = RequestType.RESTRICTION
    purposes = _purposes(declaration, details, kind, required=False, consent_only=False)
    return {"ground": ground.value, **({"purposes": purposes} if purposes else {})}


def _post_mortem(declaration: Declaration, details: Mapping[str, Any]) -> dict[str, Any]:
    _only(RequestType.POST_MORTEM, details, {"instructions", "trustees"})
    if not takes_post_mortem_directives(declaration):
        raise RequestError(
            "this company does not take post-mortem directives: they are a right of French law "
            "(loi n° 78-17, art. 85), and its declaration switches them off "
            "(rights.post_mortem_directives: false) or its controller is not in France"
        )
    instructions = details.get("instructions")
    if not isinstance(instructions, str) or not instructions.strip():
        raise RequestError("a post_mortem request needs details.instructions: your directive")
    if len(instructions) > MAX_INSTRUCTIONS:
        raise RequestError(
            f"details.instructions is {len(instructions)} characters long: at most "
            f"{MAX_INSTRUCTIONS}"
        )
    trustees = details.get("trustees")
    if not isinstance(trustees, list) or not 1 <= len(trustees) <= MAX_TRUSTEES:
        raise RequestError(
            f"a post_mortem request needs details.trustees: 1 to {MAX_TRUSTEES} people, each "
            '{"name": …, "email": …}, who will receive the directive'
        )
    checked = []
    for number, trustee in enumerate(trustees, start=1):
        if not isinstance(trustee, Mapping) or set(trustee) != {"name", "email"}:
            raise RequestError(
                f"details.trustees[{number}] must be {{name, email}} and nothing else"
            )
        name = trustee["name"]
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
            raise RequestError(
                f"details.trustees[{number}].name must be 1 to {MAX_NAME} characters"
            )
        try:
            email = normalise("email", trustee["email"]).value
        except IdentityError:
            raise RequestError(
                f"details.trustees[{number}].email is not an e-mail address: expected "
                "name@domain.tld"
            ) from None
        checked.append({"name": name.strip(), "email": email})
    return {"instructions": instructions, "trustees": checked}


#: The checker of each type that takes details; the others take none.
CHECKERS: Mapping[RequestType, Checker] = {
    RequestType.RECTIFICATION: _rectification,
    RequestType.PORTABILITY: _portability,
    RequestType.OBJECTION: _objection,
    RequestType.WITHDRAWAL: _withdrawal,
    RequestType.RESTRICTION: _restriction,
    RequestType.POST_MORTEM: _post_mortem,
}
