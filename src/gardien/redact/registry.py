"""The explicit registry of recognizers, keyed by their ``name``.

Built-ins are registered the same way a third party's recognizer would be:
``registry.register(MyRecognizer())``. Nothing is discovered by walking
subclasses, so what runs is exactly what this module lists.
"""

from __future__ import annotations

from collections.abc import Iterator

from gardien.errors import RedactionError
from gardien.redact.recognizers.address import AddressRecognizer
from gardien.redact.recognizers.base import Recognizer
from gardien.redact.recognizers.credit_card import CreditCardRecognizer
from gardien.redact.recognizers.cues import (
    LocationCueRecognizer,
    OrganizationCueRecognizer,
    PersonCueRecognizer,
)
from gardien.redact.recognizers.date import DateRecognizer
from gardien.redact.recognizers.email import EmailRecognizer
from gardien.redact.recognizers.first_name import FirstNameRecognizer
from gardien.redact.recognizers.fr_id_document import FrIdDocumentRecognizer
from gardien.redact.recognizers.fr_nir import FrNirRecognizer, FrNirUncheckedRecognizer
from gardien.redact.recognizers.fr_siren import FrSirenRecognizer
from gardien.redact.recognizers.handle import HandleRecognizer
from gardien.redact.recognizers.iban import IbanRecognizer
from gardien.redact.recognizers.ip import IpRecognizer
from gardien.redact.recognizers.ner import SpacyNerRecognizer
from gardien.redact.recognizers.organization import OrganizationRecognizer
from gardien.redact.recognizers.phone import PhoneRecognizer
from gardien.redact.recognizers.titled_person import TitledPersonRecognizer
from gardien.redact.recognizers.uk_nino import UkNinoRecognizer
from gardien.redact.recognizers.unknown_name import UnknownNameRecognizer
from gardien.redact.recognizers.url import UrlRecognizer
from gardien.redact.recognizers.us_ssn import UsSsnRecognizer

BUILTIN_RECOGNIZERS: tuple[type[Recognizer], ...] = (
    EmailRecognizer,
    HandleRecognizer,
    UrlRecognizer,
    IpRecognizer,
    IbanRecognizer,
    CreditCardRecognizer,
    PhoneRecognizer,
    DateRecognizer,
    FrNirRecognizer,
    FrNirUncheckedRecognizer,
    FrSirenRecognizer,
    FrIdDocumentRecognizer,
    UsSsnRecognizer,
    UkNinoRecognizer,
    AddressRecognizer,
    OrganizationRecognizer,
    TitledPersonRecognizer,
    LocationCueRecognizer,
    OrganizationCueRecognizer,
    PersonCueRecognizer,
    SpacyNerRecognizer,
    FirstNameRecognizer,
    UnknownNameRecognizer,
)


class RecognizerRegistry:
    """Recognizers by name; the analyzer runs every one registered."""

    def __init__(self) -> None:
        self._recognizers: dict[str, Recognizer] = {}

    def register(self, recognizer: Recognizer) -> None:
        """Add ``recognizer``; its ``name`` must not be taken yet."""
        if recognizer.name in self._recognizers:
            raise RedactionError(
                f"a recognizer named {recognizer.name!r} is already registered: "
                "give yours another name or remove the existing one first"
            )
        self._recognizers[recognizer.name] = recognizer

    def remove(self, name: str) -> None:
        """Take the recognizer called ``name`` out of the registry."""
        if self._recognizers.pop(name, None) is None:
            raise RedactionError(f"no recognizer named {name!r}; known: {', '.join(self)}")

    def __getitem__(self, name: str) -> Recognizer:
        return self._recognizers[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._recognizers)

    def __len__(self) -> int:
        return len(self._recognizers)

    def recognizers(self) -> list[Recognizer]:
        """The registered recognizers, in registration order."""
        return list(self._recognizers.values())


def default_registry() -> RecognizerRegistry:
    """A fresh registry holding every built-in recognizer."""
    registry = RecognizerRegistry()
    for cls in BUILTIN_RECOGNIZERS:
        registry.register(cls())
    return registry
