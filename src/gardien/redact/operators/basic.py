"""The three operators that need no key: remove, mask and typed placeholder."""

from __future__ import annotations

from gardien.redact.operators.base import Operator, normalize


class RemoveOperator(Operator):
    """Deletes the value: "Call Jean" → "Call "."""

    name = "redact"

    def replace(self, value: str, label: str, same_as: str | None = None) -> str:
        return ""


class MaskOperator(Operator):
    """Hides every character but spaces: "06 12" → "** **"; the shape stays."""

    name = "mask"
    CHAR = "*"

    def replace(self, value: str, label: str, same_as: str | None = None) -> str:
        return "".join(c if c.isspace() else self.CHAR for c in value)


class PlaceholderOperator(Operator):
    """Typed, numbered placeholders: the first person is ``<PERSON_1>``, the
    same person again is ``<PERSON_1>`` again (by surname alone too, when
    ``same_as`` names the full name), the next one ``<PERSON_2>``."""

    name = "placeholder"

    def __init__(self, key: bytes | str | None = None) -> None:
        super().__init__(key)
        self.numbers: dict[tuple[str, str], int] = {}
        self.counts: dict[str, int] = {}

    def replace(self, value: str, label: str, same_as: str | None = None) -> str:
        ident = (label, normalize(same_as or value, label))
        number = self.numbers.get(ident)
        if number is None:
            number = self.counts.get(label, 0) + 1
            self.counts[label] = number
            self.numbers[ident] = number
        return f"<{label}_{number}>"
