"""The privacy notice (GDPR Art. 13 and 14) and the Art. 30 register of processing.

Both are derived from the declaration alone, in French, English and German, so that
what the company publishes is what it declared.
"""

from __future__ import annotations

from gardien.notice.items import ART_13_14_ITEMS, NoticeItem
from gardien.notice.labels import fallback_label, label
from gardien.notice.notice import notice_version, published_language, render_notice
from gardien.notice.register import COLUMNS
from gardien.notice.register_formats import export_register

__all__ = [
    "ART_13_14_ITEMS",
    "COLUMNS",
    "NoticeItem",
    "export_register",
    "fallback_label",
    "label",
    "notice_version",
    "published_language",
    "render_notice",
]
