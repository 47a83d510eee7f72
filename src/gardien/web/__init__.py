"""The web room: the JSON API under /api/v1, public pages, problem documents.

Thin: each endpoint authenticates, validates, calls a room in one
transaction with its audit entry, and formats the answer.
"""

from __future__ import annotations

from gardien.web.app import API_PREFIX, create_app
from gardien.web.runtime import Runtime, build_runtime

__all__ = ["API_PREFIX", "Runtime", "build_runtime", "create_app"]
