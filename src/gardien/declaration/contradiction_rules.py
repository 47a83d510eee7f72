"""Contradictions inside a declaration, which ``validate`` used to accept silently.

Each rule is registered in ``rules.RULES`` like every other, with its code,
article and summary, and reports each problem at the line where it stands:

- ``retention-basis``: a purpose that does not rest on consent kept "until
  consent is withdrawn" (or for a period after it): there is no consent to
  withdraw, so the end the notice promises never comes;
- ``zero-period``: a period of zero (``0 days``, any unit) for something that is
  kept: a retention rule, an archive phase, a consent, a legal hold, a cookie;
- ``retention-events``: a retention rule that runs from and until the same event;
- ``consent-requirement`` (warning): data given on consent declared required.
"""

from __future__ import annotations

from collections.abc import Iterator

from gardien.declaration.models import LegalBasis, RetentionEvent
from gardien.declaration.rules import RuleContext, rule
from gardien.declaration.source import PathKey
from gardien.declaration.values import Duration
from gardien.errors import Problem

#: Retention events that exist only for a consent: data kept "until consent is withdrawn"
#: rests on consent, whatever basis the purpose declares.
CONSENT_EVENTS = frozenset({RetentionEvent.CONSENT_WITHDRAWAL})


@rule(
    "retention-basis",
    "Art. 6(1), Art. 7(3), Art. 17(1)(b)",
    "only a consent purpose keeps data until consent is withdrawn",
)
def _retention_basis(ctx: RuleContext) -> Iterator[Problem]:
    declaration = ctx.loaded.declaration
    for pid, purpose in declaration.purposes.items():
        if purpose.legal_basis is LegalBasis.CONSENT or purpose.retention is None:
            continue
        rule_ = declaration.retention.get(purpose.retention)
        if rule_ is None:
            continue
        events = {e for e in (rule_.after, rule_.until) if e in CONSENT_EVENTS}
        if not events:
            continue
        basis = purpose.legal_basis.value.replace("_", " ")
        instead = {
            LegalBasis.LEGITIMATE_INTEREST: "a period after an event of its own, such as "
            "duration: 3 years with after: last_contact (an objection under Art. 21 ends "
            "it sooner)",
            LegalBasis.LEGAL_OBLIGATION: "the period the law sets (duration, after: the "
            "event the law counts from)",
        }.get(purpose.legal_basis, "a period after an event such as contract_end")
        yield ctx.error(
            ("purposes", pid, "retention"),
            f'purpose "{pid}" rests on {basis}, not consent, but its retention rule '
            f'"{purpose.retention}" runs {"until" if rule_.until in events else "from"} '
            "consent_withdrawal: there is no consent to withdraw, so the notice would promise "
            f"a date that never comes; give the rule {instead}, or rest the purpose on "
            "consent if it really does",
        )


def _periods(ctx: RuleContext) -> Iterator[tuple[PathKey, str, Duration]]:
    """Every period the declaration gives that keeps something: its path, what it is."""
    declaration = ctx.loaded.declaration
    for rid, retention in declaration.retention.items():
        if retention.duration is not None:
            yield ("retention", rid, "duration"), f'retention rule "{rid}"', retention.duration
        if retention.archive is not None:
            yield (
                ("retention", rid, "archive", "duration"),
                f'retention rule "{rid}": its archive phase',
                retention.archive.duration,
            )
    for pid, purpose in declaration.purposes.items():
        if purpose.consent is not None and purpose.consent.lifetime is not None:
            yield (
                ("purposes", pid, "consent", "lifetime"),
                f'purpose "{pid}": its consent',
                purpose.consent.lifetime,
            )
    for sid, store in declaration.datastores.items():
        for cname, collection in store.collections.items():
            if collection.legal_hold is not None:
                yield (
                    ("datastores", sid, "collections", cname, "legal_hold", "duration"),
                    f"datastores.{sid}: {cname}'s legal hold",
                    collection.legal_hold.duration,
                )
    for name, cookie in declaration.cookies.items():
        yield ("cookies", name, "lifetime"), f'cookie "{name}"', cookie.lifetime


@rule(
    "zero-period",
    "Art. 5(1)(e), Art. 13(2)(a)",
    "a period that keeps something is longer than zero",
)
def _zero_periods(ctx: RuleContext) -> Iterator[Problem]:
    for path, what, period in _periods(ctx):
        if period.amount > 0:
            continue
        if path[0] == "cookies":
            fix = (
                "if it is a session cookie, give the longest a session lasts (e.g. 1 day); "
                "else its real lifetime"
            )
        elif path[-2:] == ("archive", "duration"):
            fix = "give the period the law requires archiving for, or remove archive"
        elif path[0] == "retention":
            fix = (
                "give the period the data is needed for, or `until: EVENT` (the event that "
                "ends its use, such as account_deletion)"
            )
        else:
            fix = "give the period it lasts"
        yield ctx.error(
            path,
            f"{what} lasts {period}: nothing can be kept for no time, and the notice would "
            f"print it as a period; {fix}",
        )


@rule(
    "retention-events",
    "Art. 5(1)(e)",
    "a retention rule does not run from and until the same event",
)
def _same_event(ctx: RuleContext) -> Iterator[Problem]:
    for rid, retention in ctx.loaded.declaration.retention.items():
        if retention.until is not None and str(retention.until) == str(retention.after):
            yield ctx.error(
                ("retention", rid, "until"),
                f'retention rule "{rid}" runs from {retention.after} until '
                f"{retention.until}: it would end when it starts; keep `until` for the "
                "event that ends the active phase and `after` for the one its duration "
                "counts from (e.g. after: collection)",
            )


@rule(
    "consent-requirement",
    "Art. 7(4), Art. 13(2)(e)",
    "data given on consent is not declared required",
)
def _consent_required(ctx: RuleContext) -> Iterator[Problem]:
    for pid, purpose in ctx.loaded.declaration.purposes.items():
        requirement = purpose.requirement
        if purpose.legal_basis is not LegalBasis.CONSENT or requirement is None:
            continue
        if requirement.value == "voluntary":
            continue
        yield ctx.warning(
            ("purposes", pid, "requirement"),
            f'purpose "{pid}" rests on consent but declares its data {requirement.value}: '
            "consent is freely given only if nothing depends on it (Art. 7(4)), and the "
            "notice would tell people they must give it; write requirement: voluntary, or "
            "rest the purpose on the basis that makes the data required",
        )
