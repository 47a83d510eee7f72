"""Operators turn a detected value into what replaces it; the registry
:data:`OPERATORS` maps each operator's ``name`` to its class."""

from __future__ import annotations

from gardien.redact.operators.base import Operator
from gardien.redact.operators.basic import MaskOperator, PlaceholderOperator, RemoveOperator
from gardien.redact.operators.pseudonymize import PseudonymizeOperator
from gardien.redact.operators.reversible import ReversibleOperator

#: Every operator, by the name the API and the CLI accept.
OPERATORS: dict[str, type[Operator]] = {
    cls.name: cls
    for cls in (
        RemoveOperator,
        MaskOperator,
        PlaceholderOperator,
        PseudonymizeOperator,
        ReversibleOperator,
    )
}

__all__ = [
    "OPERATORS",
    "MaskOperator",
    "Operator",
    "PlaceholderOperator",
    "PseudonymizeOperator",
    "RemoveOperator",
    "ReversibleOperator",
]
