"""How long a recorded choice lasts before the person is asked again.

CNIL defaults (see docs/consent.md for the sources):

- a choice, consent or refusal alike, is remembered for **6 months** when the
  declaration sets no ``consent.lifetime``; refusing must not be asked again
  sooner than accepting would be;
- a consent to cookies or trackers never lives more than **13 months**, even
  if the declaration asks for longer.

Months are calendar months (31 January + 1 month = 28 or 29 February), so
the date shown to the person is the one they would compute.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Final

from gardien.consent.policy import PurposePolicy
from gardien.declaration.values import Duration, DurationUnit

DEFAULT_CHOICE_LIFETIME: Final = Duration(6, DurationUnit.MONTHS)
COOKIE_CONSENT_CAP: Final = Duration(13, DurationUnit.MONTHS)
COOKIE_CHANNEL: Final = "cookie_banner"


def add_duration(start: dt.datetime, duration: Duration) -> dt.datetime:
    """``start`` plus ``duration``, months and years in calendar terms."""
    if duration.unit is DurationUnit.DAYS:
        return start + dt.timedelta(days=duration.amount)
    if duration.unit is DurationUnit.WEEKS:
        return start + dt.timedelta(weeks=duration.amount)
    months = duration.amount * (12 if duration.unit is DurationUnit.YEARS else 1)
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


def choice_lifetime(purpose: PurposePolicy, channel: str) -> tuple[Duration, str]:
    """The lifetime of a choice on ``purpose`` and the rule that set it, for explanations."""
    lifetime, rule = (
        (purpose.lifetime, "declared consent.lifetime")
        if purpose.lifetime is not None
        else (DEFAULT_CHOICE_LIFETIME, "CNIL default: a choice is remembered 6 months")
    )
    capped = purpose.cookie or channel == COOKIE_CHANNEL
    if capped and lifetime.in_days() > COOKIE_CONSENT_CAP.in_days():
        return COOKIE_CONSENT_CAP, "CNIL cap: a cookie consent lives at most 13 months"
    return lifetime, rule


def choice_expires_at(
    purpose: PurposePolicy, occurred_at: dt.datetime, channel: str
) -> dt.datetime:
    """When a consent or refusal made at ``occurred_at`` stops counting."""
    return add_duration(occurred_at, choice_lifetime(purpose, channel)[0])
