"""Loading ``privacy.yaml`` into a ``Declaration``, every error at once with its position.

Shape errors come from pydantic; this module rewrites each one as
``FILE:LINE:COL: path: message`` in words a DPO can act on (unknown keys get a
"did you mean"). Datastores may import their collections from a Fides dataset
file, which is read here too.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from gardien.declaration.fides import import_fides_datasets
from gardien.declaration.models import Declaration
from gardien.declaration.source import PathKey, Positions, read_yaml
from gardien.declaration.taxonomy import suggestion
from gardien.declaration.values import Text
from gardien.errors import DeclarationError, Problem


@dataclass(frozen=True)
class LoadedDeclaration:
    """A valid declaration with the positions of its entries in the source file."""

    declaration: Declaration
    positions: Positions
    path: Path


def load(path: str | Path) -> Declaration:
    """Load and shape-check ``path``; raise ``DeclarationError`` listing every problem."""
    return load_with_positions(path).declaration


def load_with_positions(path: str | Path) -> LoadedDeclaration:
    path = Path(path)
    document = read_yaml(path)
    data = dict(document.data)
    problems = import_fides_datasets(data, document.positions, path.parent)
    try:
        declaration = Declaration.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            problem = _problem_from_error(error, data, document.positions)
            if problem is not None:
                problems.append(problem)
        raise DeclarationError(_sorted(_once(problems))) from None
    if problems:
        raise DeclarationError(_sorted(problems))
    return LoadedDeclaration(declaration, document.positions, path)


def _once(problems: list[Problem]) -> list[Problem]:
    """Each problem once: two pydantic errors can tell the same thing at the same place
    (the words of one text cut by commas; both arms of a union)."""
    return list(dict.fromkeys(problems))


_TYPE_ERRORS = frozenset({"string_type", "model_type", "dict_type", "model_attributes_type"})


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.line, p.column))


def _data_path(loc: tuple[str | int, ...], data: Any) -> PathKey:
    """The part of pydantic's ``loc`` that names real places in the data.

    pydantic inserts the name of a union arm (``EnvRef``, ``str``) or a
    validator into ``loc``; those are not keys of the YAML and are dropped.
    """
    path: list[str | int] = []
    current = data
    for part in loc:
        if _contains(current, part):
            path.append(part)
            current = current[part]
        elif _is_arm(part):
            continue
        elif isinstance(current, Mapping | list):
            # A key that is missing or unknown: keep it so the message can name it.
            path.append(part)
            break
    return tuple(path)


#: How pydantic names the arm of a union in an error's ``loc``: ``Text``, ``EnvRef``,
#: ``constrained-str``, ``function-after[…]``; never a key of privacy.yaml (lower case).
_ARM = re.compile(r"^([A-Z]\w*|str|int|constrained-str|function-\w+\[.*\])$")


def _is_arm(part: str | int) -> bool:
    return isinstance(part, str) and bool(_ARM.match(part))


def _contains(container: Any, part: str | int) -> bool:
    if isinstance(container, Mapping):
        return part in container
    return isinstance(container, list) and isinstance(part, int) and 0 <= part < len(container)


def _model_at(path: PathKey) -> type[BaseModel] | None:
    """The model class that describes the mapping at ``path`` of the declaration."""
    annotation: Any = Declaration
    for part in path:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            fields = {f.alias or name: f for name, f in annotation.model_fields.items()}
            if not isinstance(part, str) or part not in fields:
                return None
            annotation = fields[part].annotation
        elif typing.get_origin(annotation) in (dict, tuple, list):
            annotation = typing.get_args(annotation)[
                -1 if typing.get_origin(annotation) is dict else 0
            ]
        else:
            return None
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _field_annotation(path: PathKey) -> Any:
    """The annotation of the field at ``path`` (its model's), or None."""
    model = _model_at(path[:-1]) if path else None
    if model is None or not isinstance(path[-1], str):
        return None
    fields = {f.alias or name: f for name, f in model.model_fields.items()}
    field = fields.get(path[-1])
    return field.annotation if field is not None else None


def _unwrap(annotation: Any) -> Any:
    """Strip ``Optional``, ``Annotated`` and unions down to the first model or container."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            arms = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in arms if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else arms[0]
        else:
            return annotation


def _dotted(path: PathKey) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _allowed_values(error: ErrorDetails) -> list[str]:
    expected = str(error.get("ctx", {}).get("expected", ""))
    return [item.strip(" '") for item in expected.replace(" or ", ",").split(",") if item.strip()]


def _problem_from_error(error: ErrorDetails, data: Any, positions: Positions) -> Problem | None:
    path = _data_path(tuple(error["loc"]), data)
    kind = error["type"]
    where = _dotted(path) or "the file"
    value = error.get("input")
    if any(map(_is_arm, error["loc"])) and kind in _TYPE_ERRORS:
        if kind == "string_type" and isinstance(value, Mapping):
            return None  # the mapping arm of the union says what is wrong with the mapping
        # Both arms of a union failed on a value that is neither: one message for both.
        arms = repr(_field_annotation(path))
        if "EnvRef" in arms:
            return positions.problem(
                path,
                f"{where}: expected text, or a reference to an environment variable "
                f"{{$env: VARIABLE_NAME}}; got {_kind(value)}",
            )
        if "Text" in arms:
            return positions.problem(
                path,
                f"{where}: expected a name as plain text (shown as is in every language) or a "
                f"text in each language the notice publishes, {{fr: …, en: …}}; got {_kind(value)}",
            )
    if kind == "extra_forbidden" and value is None and path[:-1] in positions.flow:
        cut = _cut_by_comma(path, data, positions)
        if cut is not None:
            return cut
    if kind == "extra_forbidden":
        model = _model_at(path[:-1])
        known = [f.alias or n for n, f in model.model_fields.items()] if model else []
        hint = suggestion(str(path[-1]), known) if known else ""
        allowed = f"; allowed here: {', '.join(sorted(known))}" if known and not hint else ""
        if model is Text and path[:-1] in positions.flow and not hint:
            # {fr: Nom, prénom: …, en: …}: the rest of a text cut by a comma.
            allowed += (
                "; if it is the rest of the text before it, cut by a comma, put that whole "
                'text in quotes (fr: "Nom, prénom")'
            )
        return positions.problem(path, f"{where}: unknown key{hint}{allowed}", key=True)
    if kind == "missing":
        parent = _dotted(path[:-1]) or "the top level"
        return positions.problem(
            path[:-1],
            f"{where}: this key is required but missing; add {path[-1]}: … under {parent}",
        )
    if kind == "enum" and isinstance(value, list):
        hint = (
            ": a purpose has exactly one legal basis (Art. 6(1)); split it into one purpose "
            "per basis"
            if path and path[-1] == "legal_basis"
            else ""
        )
        return positions.problem(path, f"{where}: takes one value, not a list{hint}")
    if kind == "enum":
        choices = _allowed_values(error)
        hint = suggestion(str(value), choices)
        message = f"{where}: {value!r} is not allowed{hint}; use one of: {', '.join(choices)}"
        return positions.problem(path, message)
    if kind == "string_too_short":
        return positions.problem(
            path,
            f"{where}: must not be empty; write its value, or remove the key if it is optional",
        )
    if kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length")
        return positions.problem(
            path, f"{where}: is too long; shorten it to {limit} characters at most"
        )
    if kind == "too_long":
        limit = error.get("ctx", {}).get("max_length")
        return positions.problem(path, f"{where}: lists too many entries; keep {limit} at most")
    if kind in ("too_short",):
        return positions.problem(
            path,
            f"{where}: must list at least one entry; write [first, second] or one - entry per line",
        )
    if kind == "string_pattern_mismatch":
        return positions.problem(path, f"{where}: {value!r} {_pattern_hint(path)}")
    if kind == "value_error":
        message = error["msg"].removeprefix("Value error, ")
        return positions.problem(path, f"{where}: {message}")
    if kind.startswith("date"):
        return positions.problem(path, f"{where}: {value!r} is not a date; write YYYY-MM-DD")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return positions.problem(path, f"{where}: {_mapping_expected(path, value)}")
    if kind in ("list_type", "tuple_type"):
        example = f"[{value}]" if isinstance(value, str) else "[first, second]"
        return positions.problem(
            path,
            f"{where}: expected a list, got {_kind(value)}; write {example}, "
            "or one - entry per line",
        )
    if kind in ("string_type", "str_type"):
        return positions.problem(
            path, f"{where}: expected text, got {_kind(value)}{_text_hint(value)}"
        )
    if kind == "bool_type" or kind == "bool_parsing":
        return positions.problem(
            path, f"{where}: expected true or false, got {value!r}; write true or false"
        )
    return positions.problem(path, f"{where}: {error['msg']}")


def _value_at(data: Any, path: PathKey) -> Any:
    for part in path:
        data = data[part]
    return data


def _cut_by_comma(path: PathKey, data: Any, positions: Positions) -> Problem | None:
    """A text cut by a comma inside ``{…}``: ``{fr: Nom, prénom, en: Name}`` reads as the
    keys ``fr``, ``prénom`` (with no value) and ``en``. The key the text began under is
    found, and the message shows it quoted whole."""
    try:
        mapping = _value_at(data, path[:-1])
    except (KeyError, IndexError, TypeError):
        return None
    if not isinstance(mapping, Mapping):
        return None
    keys = list(mapping)
    index = keys.index(path[-1]) if path[-1] in keys else -1
    start = index
    while start > 0 and mapping[keys[start - 1]] is None:
        start -= 1
    if start <= 0 or not isinstance(mapping[keys[start - 1]], str | int | float):
        return None
    owner = keys[start - 1]
    end = index
    while end + 1 < len(keys) and mapping[keys[end + 1]] is None:
        end += 1
    whole = ", ".join([str(mapping[owner]), *(str(k) for k in keys[start : end + 1])])
    where = _dotted((*path[:-1], owner))
    return positions.problem(
        (*path[:-1], owner),
        f"{where}: the text contains a comma, which ends a value inside {{…}}: put the "
        f'whole text in quotes, {owner}: "{whole}"',
    )


def _mapping_expected(path: PathKey, value: Any) -> str:
    """What to write where a mapping was expected: a text in each language, or keys."""
    model = _model_at(path)
    if model is Text:
        got = f"the plain text {value!r}" if isinstance(value, str) else _kind(value)
        return (
            f"expected a text written in each language the notice publishes, got {got}: "
            "write {fr: …, en: …} (quote a text that contains a comma or a colon)"
        )
    keys = [f.alias or n for n, f in model.model_fields.items()] if model else []
    example = f" (allowed keys: {', '.join(sorted(keys))})" if keys else ""
    return (
        f"expected a mapping of keys, got {_kind(value)}: write its keys on the lines below, "
        f"indented, as key: value{example}"
    )


def _text_hint(value: Any) -> str:
    if isinstance(value, Mapping):
        return "; write one text here, not keys under it"
    if isinstance(value, list):
        return "; write one text here, not a list (quote a text that starts with [)"
    if value is None:
        return "; write the text after the colon, or remove the key if it is optional"
    return f'; put it in quotes: "{value}"'


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, Enum):
        return repr(value.value)
    return f"{type(value).__name__} {value!r}"


def _pattern_hint(path: PathKey) -> str:
    last = str(path[-1]) if path else ""
    if last == "country":
        return "is not a country code: write its ISO 3166 two-letter code, such as FR or US"
    if last == "$env":
        return "is not an environment variable name: use upper case, digits and _"
    if last in ("identity", "kind"):
        return "is not a name: use lower case letters, digits and _, such as email or user_id"
    return "is not a key: use lower case words joined by dots, such as user.contact.email"
