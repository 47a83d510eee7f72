"""The demo companies by the name ``gardien demo --company`` takes, in the seeds' order."""

from __future__ import annotations

from gardien.demo import activeviam, ai_feedback, amikeo, komin, viky
from gardien.demo.company import Company
from gardien.errors import DemoError

COMPANIES: dict[str, Company] = {
    company.name: company
    for company in (
        viky.COMPANY,
        ai_feedback.COMPANY,
        amikeo.COMPANY,
        activeviam.COMPANY,
        komin.COMPANY,
    )
}


def company_named(name: str) -> Company:
    """The company called ``name``, or a ``DemoError`` listing the ones there are."""
    try:
        return COMPANIES[name]
    except KeyError:
        raise DemoError(
            f"there is no demo company {name!r}: choose one of {', '.join(COMPANIES)}"
        ) from None
