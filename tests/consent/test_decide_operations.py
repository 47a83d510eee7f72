"""Art. 21 objection follows each operation's legal basis: a contract purpose with an
operation on legitimate interest can be objected to (the check answers per purpose, so
the objection then stops the whole purpose, on the person's side); without such an
operation it cannot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from consent_helpers import NOW

from gardien.consent import LimitKind, ProcessingLimit, decide
from gardien.declaration import Declaration

SUBJECT = "0123456789abcdef0123456789abcdef"
OBJECTION = ProcessingLimit(
    id=7,
    subject_id=SUBJECT,
    purpose=None,
    kind=LimitKind("objection"),
    channel="web",
    declaration_version="v",
    created_at=NOW - dt.timedelta(days=1),
    lifted_at=None,
)


def _operations(*bases: str) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        data["purposes"]["service"]["operations"] = [
            {
                "name": {"fr": f"opération {b}", "en": f"{b} operation"},
                "legal_basis": b,
                **(
                    {"legitimate_interest": {"fr": "améliorer", "en": "improving"}}
                    if b == "legitimate_interest"
                    else {}
                ),
            }
            for b in bases
        ]

    return mutate


def test_an_operation_on_legitimate_interest_opens_the_purpose_to_objection(
    variant: Callable[[Callable[[dict[str, Any]], None]], Declaration],
) -> None:
    declaration = variant(_operations("contract", "legitimate_interest"))
    assert declaration.purposes["service"].objection_allowed
    decision = decide(declaration, "service", None, [OBJECTION], gpc=False, now=NOW)
    assert (decision.allowed, decision.explanation.rule) == (False, "objection")


def test_contract_operations_alone_are_not_stopped_by_an_objection(
    variant: Callable[[Callable[[dict[str, Any]], None]], Declaration],
) -> None:
    declaration = variant(_operations("contract", "contract"))
    assert not declaration.purposes["service"].objection_allowed
    decision = decide(declaration, "service", None, [OBJECTION], gpc=False, now=NOW)
    assert (decision.allowed, decision.explanation.rule) == (True, "basis.contract")
