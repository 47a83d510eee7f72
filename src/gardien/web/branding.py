"""The company's colours (``branding:`` in the declaration) as a stylesheet every page links.

Written from the declaration, never inline (the Content-Security-Policy
allows no inline style), and named by a digest of its content
(``/privacy-center/brand.css?v=<digest>``) so that it may be cached for a
year. Without ``branding`` it is a comment only, and the pages keep
gardien's own colours.
"""

from __future__ import annotations

import hashlib
from functools import cache

from gardien.declaration.branding import Branding, long_form

BRAND_PATH = "/privacy-center/brand.css"


@cache
def brand_css(branding: Branding | None) -> str:
    """The stylesheet of ``branding``: the header band and the buttons in its colours."""
    if branding is None:
        return "/* no branding declared: gardien's own colours */\n"
    primary, text = long_form(branding.primary_colour), long_form(branding.text_colour)
    return (
        "/* the company's colours, from branding: in privacy.yaml */\n"
        f"header.site {{ background: {primary}; color: {text}; }}\n"
        f"header.site a, header.site .brand {{ color: {text}; }}\n"
        f"header.site a:focus-visible {{ outline-color: {text}; }}\n"
        f"button {{ background: {primary}; border-color: {primary}; color: {text}; }}\n"
        f"button.secondary {{ background: #ffffff; border-color: {primary}; color: #1b1f24; }}\n"
        f".notice {{ border-left-color: {primary}; }}\n"
        f"main h1 {{ border-bottom: 4px solid {primary}; padding-bottom: 0.25rem; }}\n"
    )


def brand_version(branding: Branding | None) -> str:
    return hashlib.sha256(brand_css(branding).encode()).hexdigest()[:16]


def brand_url(branding: Branding | None) -> str:
    return f"{BRAND_PATH}?v={brand_version(branding)}"
