"""Reading a YAML file into plain data while remembering where each value stood.

PyYAML's composer gives every node a position; this module turns the node tree
into dicts, lists and scalars (with YAML 1.2-like scalars: ``no`` and ``on``
stay strings) and a ``Positions`` map from each path (``("purposes",
"newsletter", "legal_basis")``) to its line and column, so that every error
found later can be reported as ``FILE:LINE:COL``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gardien.declaration.yaml_hints import syntax_hint
from gardien.errors import DeclarationFileError, Problem

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    line: int
    column: int


@dataclass
class Positions:
    """Where each value, and each mapping key, stands in the source file."""

    file: str
    values: dict[PathKey, Position] = field(default_factory=dict)
    keys: dict[PathKey, Position] = field(default_factory=dict)
    #: Mappings written in flow style, ``{fr: …, en: …}``: there a comma ends a value.
    flow: set[PathKey] = field(default_factory=set)

    def of(self, path: PathKey, *, key: bool = False) -> Position:
        """Position of ``path``, or of its nearest ancestor that has one.

        A mapping or list written as a block starts on the line after its key;
        the key's line is where a reader looks, so it is preferred then.
        """
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            value, key_position = self.values.get(prefix), self.keys.get(prefix)
            if key_position is not None and (
                key or value is None or value.line != key_position.line
            ):
                return key_position
            if value is not None:
                return value
        return Position(1, 1)

    def problem(
        self, path: PathKey, message: str, *, key: bool = False, severity: str = "error"
    ) -> Problem:
        where = self.of(path, key=key)
        return Problem(self.file, where.line, where.column, message, severity)


@dataclass(frozen=True)
class SourceDocument:
    data: Any
    positions: Positions


class _Loader(yaml.SafeLoader):
    """Safe loader with YAML 1.2 booleans: only true and false are booleans."""


# YAML 1.1 reads `no` (Norway's country code), `on` and `yes` as booleans.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    _Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), [_first]
    )


def read_yaml(path: Path) -> SourceDocument:
    """Read ``path``; a missing file, unreadable file or bad YAML is one clear error."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DeclarationFileError(
            name, "no such file: check the path, or create one with `gardien init`"
        ) from None
    except IsADirectoryError:
        raise DeclarationFileError(
            name, "this is a directory: give the path of its privacy.yaml"
        ) from None
    except PermissionError:
        raise DeclarationFileError(name, "permission denied: this file cannot be read") from None
    except UnicodeDecodeError as exc:
        raise DeclarationFileError(
            name, f"not UTF-8 text (byte {exc.start}): save the file as UTF-8"
        ) from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> SourceDocument:
    positions = Positions(name)
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        raise _bad_character(name, text, exc) from None
    try:
        root = loader.get_single_node()
        data = _to_data(loader, root, (), positions) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        hint = syntax_hint(exc, text)
        raise DeclarationFileError(name, hint.message, hint.line, hint.column) from None
    except yaml.reader.ReaderError as exc:
        raise _bad_character(name, text, exc) from None
    except yaml.YAMLError as exc:
        raise DeclarationFileError(name, f"YAML syntax error: {exc}") from None
    finally:
        loader.dispose()
    if data is None:
        raise DeclarationFileError(name, "the file is empty: start from `gardien init`")
    if not isinstance(data, Mapping):
        raise DeclarationFileError(
            name,
            "the top level must be a mapping of sections (controller:, purposes:, …): "
            "write each section's name at the start of a line, followed by a colon and "
            "a space or a line break",
        )
    return SourceDocument(data, positions)


def _code_point(character: str | int) -> int:
    return ord(character) if isinstance(character, str) else character


def _bad_character(name: str, text: str, exc: yaml.reader.ReaderError) -> DeclarationFileError:
    before = text[: exc.position]
    line, column = before.count("\n") + 1, exc.position - before.rfind("\n")
    return DeclarationFileError(
        name,
        f"character U+{_code_point(exc.character):04X} is not allowed in YAML: remove it "
        "(a control character, often pasted with the text from another program)",
        line,
        column,
    )


def _to_data(loader: _Loader, node: yaml.Node, path: PathKey, positions: Positions) -> Any:
    positions.values[path] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        if node.flow_style:
            positions.flow.add(path)
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int) or isinstance(key, bool):
                raise DeclarationFileError(
                    positions.file,
                    f"mapping keys must be text, not {type(key).__name__}",
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
            key = str(key)
            child = (*path, key)
            if key in result:
                raise DeclarationFileError(
                    positions.file,
                    f"duplicate key {key!r}: each key may appear once in a mapping",
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
            positions.keys[child] = Position(
                key_node.start_mark.line + 1, key_node.start_mark.column + 1
            )
            result[key] = _to_data(loader, value_node, child, positions)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_data(loader, item, (*path, index), positions)
            for index, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)
