"""The privacy notice (GDPR Art. 13 and 14) and the Art. 30 register of processing.

Both are derived from the declaration alone, in French and English, so that
what the company publishes is what it declared.
"""

from __future__ import annotations

from gardien.notice.notice import notice_version, render_notice

__all__ = ["notice_version", "render_notice"]
