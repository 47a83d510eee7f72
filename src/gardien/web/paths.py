"""Path parameters that only match well-formed ids, so a wrong path is 404 or 405, never 422.

A route such as ``GET /subjects/{subject_id}`` would otherwise also match
``GET /subjects/lookup`` (a POST-only path) and answer 422 for an id that is
not one. With the ``hex32`` convertor the router itself tells "no such
resource" (404) from "not with this method" (405). Starlette keeps
convertors in a registry that route definitions read when they are created,
so this module registers it when imported, before any router module builds
its routes; registering twice is harmless.
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor


class Hex32Convertor(Convertor[str]):
    """32 lower-case hexadecimal digits: a subject id or a consent receipt id."""

    regex = "[0-9a-f]{32}"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("hex32", Hex32Convertor())
