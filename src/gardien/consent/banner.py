"""The cookie banner's side of the ledger: which purposes it asks about, and a visitor's choice.

A banner purpose is a purpose resting on consent that at least one cookie
not marked ``essential`` serves; essential cookies are shown, never asked
about. A purpose is refused without asking when the browser sends Global
Privacy Control and the purpose is one GPC opts out of: the same
``gpc_sensitive`` the processing check uses (``consent/policy.py``: a sale,
sharing, advertising or marketing data use, or direct marketing), so the
banner and the check never disagree.

A visitor is anonymous: the banner's script draws a random id, and the web
layer registers it with the vault as the identity ``banner_visitor``. The
ledger sees only the vault's subject id, as for anyone else; the visitor's
address is kept truncated (``Proof``), never in clear.

``record_banner_choice`` checks every choice before it writes any, then
appends one event per purpose, in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection

from gardien.audit import Actor
from gardien.consent.ledger import ConsentEvent, EventKind, check_choice, record_consent
from gardien.consent.lifetime import COOKIE_CHANNEL, choice_lifetime
from gardien.consent.policy import policy_for
from gardien.consent.proof import CollectionMethod, Proof
from gardien.declaration import Declaration
from gardien.declaration.models import Cookie, LegalBasis
from gardien.declaration.values import Duration, DurationUnit
from gardien.errors import ConsentError, shown

#: The identity kind a banner visitor's random id is registered under in the vault.
VISITOR_IDENTITY = "banner_visitor"
#: Whole days a cookie's Max-Age counts per unit: never more than the ledger's calendar
#: months and years, so the browser forgets a choice no later than the ledger does.
_MAX_AGE_DAYS = {
    DurationUnit.DAYS: 1,
    DurationUnit.WEEKS: 7,
    DurationUnit.MONTHS: 30,
    DurationUnit.YEARS: 365,
}


class BannerMethod(StrEnum):
    """Which control of the banner made the choice."""

    ACCEPT_ALL = "accept_all"
    REFUSE_ALL = "refuse_all"
    CHOOSE = "choose"
    GPC = "gpc"

    @property
    def collection_method(self) -> CollectionMethod:
        if self is BannerMethod.CHOOSE:
            return CollectionMethod.TOGGLE
        if self is BannerMethod.GPC:
            return CollectionMethod.BROWSER_SIGNAL
        return CollectionMethod.BUTTON


@dataclass(frozen=True)
class BannerPurpose:
    """A purpose the banner asks about, with the cookies that serve it."""

    id: str
    cookies: tuple[tuple[str, Cookie], ...]
    #: Refused without asking when the browser sends Global Privacy Control.
    gpc: bool


def banner_purposes(declaration: Declaration) -> list[BannerPurpose]:
    """The consent purposes that cookies not marked essential serve, in declaration order."""
    policy = policy_for(declaration)
    found = []
    for pid, purpose in declaration.purposes.items():
        if purpose.legal_basis is not LegalBasis.CONSENT:
            continue
        cookies = tuple(
            (name, cookie)
            for name, cookie in declaration.cookies.items()
            if cookie.purpose == pid and not cookie.essential
        )
        if cookies:
            found.append(BannerPurpose(pid, cookies, policy.purpose(pid).gpc_sensitive))
    return found


def essential_cookies(declaration: Declaration) -> list[tuple[str, Cookie]]:
    return [(name, c) for name, c in declaration.cookies.items() if c.essential]


def remembered_for(declaration: Declaration) -> Duration:
    """How long the banner's cookie keeps a choice: ``banner.remember``, or less when a
    banner purpose's choice lives less in the ledger (its ``consent.lifetime``)."""
    policy = policy_for(declaration)
    shortest = declaration.banner.remember
    for purpose in banner_purposes(declaration):
        lifetime = choice_lifetime(policy.purpose(purpose.id), COOKIE_CHANNEL)[0]
        if max_age_seconds(lifetime) < max_age_seconds(shortest):
            shortest = lifetime
    return shortest


def max_age_seconds(duration: Duration) -> int:
    """``duration`` as a cookie's Max-Age, never longer than the calendar duration."""
    return duration.amount * _MAX_AGE_DAYS[duration.unit] * 86_400


@dataclass(frozen=True)
class CheckedBannerChoice:
    """A visitor's choice, checked against the declaration: what will be appended."""

    #: Per purpose: the kind of event and how it was collected.
    events: tuple[tuple[str, EventKind, CollectionMethod], ...]
    #: The purposes refused because of the GPC signal (whatever the visitor sent for them).
    gpc_refused: tuple[str, ...]


def check_banner_choice(
    declaration: Declaration,
    choices: Mapping[str, bool],
    method: BannerMethod,
    *,
    gpc: bool,
    lang: str,
) -> CheckedBannerChoice:
    """Refuse what cannot be recorded, before anything is: a purpose the banner does not
    ask about, or an empty choice. With GPC, its purposes are refused by the signal."""
    purposes = {p.id: p for p in banner_purposes(declaration)}
    if not choices:
        raise ConsentError("the choice names no purpose: send at least one of the banner's")
    unknown = [pid for pid in choices if pid not in purposes]
    if unknown:
        asked = ", ".join(sorted(purposes)) or "none"
        raise ConsentError(
            f"purpose {shown(unknown[0])} is not one the banner asks about (it asks about: "
            f"{asked}); reload the banner's configuration"
        )
    if method is BannerMethod.GPC and not gpc:
        raise ConsentError("method 'gpc' needs the Global Privacy Control signal (Sec-GPC: 1)")
    events = []
    gpc_refused = []
    for pid, given in choices.items():
        if gpc and purposes[pid].gpc:
            events.append((pid, EventKind.REFUSED, CollectionMethod.BROWSER_SIGNAL))
            gpc_refused.append(pid)
            continue
        kind = EventKind.GIVEN if given else EventKind.REFUSED
        events.append((pid, kind, method.collection_method))
    for pid, kind, _method in events:
        check_choice(declaration, pid, kind, channel=COOKIE_CHANNEL, lang=lang)
    return CheckedBannerChoice(tuple(events), tuple(gpc_refused))


def record_banner_choice(
    conn: Connection,
    declaration: Declaration,
    subject_id: str,
    checked: CheckedBannerChoice,
    *,
    proof_for: Callable[[CollectionMethod], Proof],
    lang: str,
    actor: Actor,
    now: dt.datetime | None = None,
) -> list[ConsentEvent]:
    """Append one event per purpose of a checked choice (channel ``cookie_banner``)."""
    events = []
    for pid, kind, method in checked.events:
        event = record_consent(
            conn, declaration, subject_id, pid, kind, channel=COOKIE_CHANNEL,
            proof=proof_for(method), lang=lang, now=now, actor=actor,
        )  # fmt: skip
        events.append(event)
    return events
