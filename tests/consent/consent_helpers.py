"""Shared values of the consent room's tests.

``declaration`` is the starter declaration plus purposes that exercise every
rule: a cookie-based audience measure (declared lifetime 2 years, capped at
13 months), a legitimate-interest partner sharing (GPC-sensitive), a
legitimate-interest direct marketing, a personalisation by profiling with a
declared lifetime, and a public-task purpose.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from gardien.consent import Proof

NOW = dt.datetime(2026, 3, 15, 12, 0, tzinfo=dt.UTC)
PROOF = Proof.collect(
    "checkbox",
    user_agent="Mozilla/5.0 (X11; Linux x86_64)",
    ip="203.0.113.77",
    extra={"form": "signup-v3", "double_opt_in": True},
)


def _purpose(basis: str, data_use: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": {"fr": f"Finalité {data_use}", "en": f"Purpose {data_use}"},
        "description": {"fr": f"Traitement {data_use}.", "en": f"Processing for {data_use}."},
        "data_use": data_use,
        "legal_basis": basis,
        "subjects": ["customer"],
        "categories": ["user.contact.email"],
        **extra,
    }


def extend(data: dict[str, Any]) -> None:
    interest = {"fr": "Faire connaître nos offres.", "en": "Promoting our offers."}
    purposes = data["purposes"]
    purposes["audience"] = _purpose(
        "consent",
        "analytics.reporting",
        consent={
            "wording": {
                "fr": "J'accepte la mesure d'audience.",
                "en": "I accept audience measurement.",
            },
            "lifetime": "2 years",
        },
        recipients=["hosting"],
    )
    purposes["partners"] = _purpose(
        "legitimate_interest", "third_party_sharing", legitimate_interest=interest
    )
    purposes["offers"] = _purpose(
        "legitimate_interest",
        "marketing.communications.email",
        direct_marketing=True,
        legitimate_interest=interest,
    )
    purposes["profiling"] = _purpose(
        "consent",
        "personalize.profiling",
        consent={
            "wording": {"fr": "J'accepte la personnalisation.", "en": "I accept personalisation."},
            "lifetime": "3 months",
        },
    )
    purposes["census"] = _purpose(
        "public_task", "essential.legal_obligation", legal_reference={"fr": "Loi X", "en": "Law X"}
    )
    data["cookies"]["measure"] = {"purpose": "audience", "lifetime": "13 months"}
    data["controller"]["website"] = "https://example.com"


def new_subject() -> str:
    return uuid.uuid4().hex
