"""The company's colours in the privacy center (``branding:``), and their contrast.

A colour is written ``#rrggbb`` or ``#rgb``. ``text_colour`` is written on
``primary_colour`` (the header band and the buttons), so the pair must keep
text readable: a contrast ratio of at least 4.5:1, WCAG 2.1 level AA for
normal text (success criterion 1.4.3). The ratio is WCAG's, from the
relative luminance of each colour in sRGB.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Final

from pydantic import BeforeValidator, Field

from gardien.declaration.values import StrictModel

#: WCAG 2.1 SC 1.4.3 (AA), normal text.
AA_TEXT_CONTRAST: Final = 4.5
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def _check_colour(value: Any) -> Any:
    if isinstance(value, str) and not _HEX.fullmatch(value.strip()):
        raise ValueError(
            f"{value!r} is not a colour gardien reads: write it #rrggbb or #rgb (e.g. #0b5d3b)"
        )
    return value.strip().lower() if isinstance(value, str) else value


Colour = Annotated[str, BeforeValidator(_check_colour)]


def rgb(colour: str) -> tuple[int, int, int]:
    """``#0b5`` or ``#00bb55`` as its three 0-255 channels."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def long_form(colour: str) -> str:
    """The colour as ``#rrggbb``, lower case."""
    return "#" + "".join(f"{channel:02x}" for channel in rgb(colour))


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance, 0 (black) to 1 (white)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two colours, 1 to 21, in either order."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


class Branding(StrictModel):
    """How the privacy center shows the company: its colour, and the name in its header."""

    #: The header band's and the buttons' colour.
    primary_colour: Colour
    #: The text written on ``primary_colour``; white unless declared.
    text_colour: Colour = "#ffffff"
    #: What the header shows instead of the controller's name (a brand name).
    logo_text: str | None = Field(default=None, min_length=1, max_length=60)
