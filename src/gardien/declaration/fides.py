"""Import of Fides dataset files as datastore collections.

A datastore in ``privacy.yaml`` may say ``fides_dataset: crm.fides.yml``: the
collections of that file (Fides' ``dataset:`` shape, with fields carrying
``data_categories`` and ``fides_meta`` identity, primary key and references)
become the datastore's collections. A Fides user's annotations carry over
without being rewritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gardien.declaration.source import PathKey, Positions, read_yaml
from gardien.errors import DeclarationError, Problem


def import_fides_datasets(data: dict[str, Any], positions: Positions, base: Path) -> list[Problem]:
    """Merge every ``fides_dataset`` file named by a datastore into its collections.

    ``data`` is changed in place; the problems found are returned, not raised,
    so that they are reported together with every other error of the file.
    """
    problems: list[Problem] = []
    datastores = data.get("datastores")
    if not isinstance(datastores, Mapping):
        return problems
    for store_name, store in datastores.items():
        if not isinstance(store, Mapping) or not isinstance(store.get("fides_dataset"), str):
            continue
        where: PathKey = ("datastores", store_name, "fides_dataset")
        try:
            imported, file_problems = read_fides_dataset(base / store["fides_dataset"])
        except DeclarationError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(file_problems)
        collections = dict(store.get("collections") or {})
        for name, collection in imported.items():
            if name in collections:
                problems.append(
                    positions.problem(
                        where,
                        f"datastores.{store_name}: collection {name!r} is declared both here "
                        "and in the Fides dataset; keep one of the two",
                    )
                )
            collections[name] = collection
        data["datastores"] = {**datastores, store_name: {**store, "collections": collections}}
        datastores = data["datastores"]
    return problems


def read_fides_dataset(path: Path) -> tuple[dict[str, Any], list[Problem]]:
    """Collections of a Fides dataset file, in the shape of ``Collection`` models."""
    document = read_yaml(path)
    positions = document.positions
    datasets = document.data.get("dataset")
    if not isinstance(datasets, list) or not datasets:
        return {}, [positions.problem((), "a Fides dataset file starts with `dataset:` and a list")]
    problems: list[Problem] = []
    collections: dict[str, Any] = {}
    dataset_keys = {d.get("fides_key") for d in datasets if isinstance(d, Mapping)}
    for d_index, dataset in enumerate(datasets):
        for c_index, collection in enumerate(_items(dataset, "collections")):
            where: PathKey = ("dataset", d_index, "collections", c_index)
            name = collection.get("name")
            if not isinstance(name, str):
                problems.append(positions.problem(where, "every collection needs a `name`"))
                continue
            fields: dict[str, Any] = {}
            _collect_fields(
                collection, "", (*where, "fields"), fields, positions, problems, dataset_keys
            )
            collections[name] = {"fields": fields}
    return collections, problems


def _items(mapping: Any, key: str) -> list[Mapping[str, Any]]:
    value = mapping.get(key) if isinstance(mapping, Mapping) else None
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _collect_fields(
    owner: Mapping[str, Any],
    prefix: str,
    where: PathKey,
    fields: dict[str, Any],
    positions: Positions,
    problems: list[Problem],
    dataset_keys: set[Any],
) -> None:
    for index, field in enumerate(_items(owner, "fields")):
        place: PathKey = (*where, index)
        name = field.get("name")
        if not isinstance(name, str):
            problems.append(positions.problem(place, "every field needs a `name`"))
            continue
        full_name = f"{prefix}{name}"
        if _items(field, "fields"):
            # Nested fields (documents) are flattened to dotted names.
            _collect_fields(
                field,
                f"{full_name}.",
                (*place, "fields"),
                fields,
                positions,
                problems,
                dataset_keys,
            )
            continue
        meta = field.get("fides_meta") or {}
        converted: dict[str, Any] = {"categories": list(field.get("data_categories") or [])}
        if isinstance(meta.get("identity"), str):
            converted["identity"] = meta["identity"]
        if meta.get("primary_key") is True:
            converted["primary_key"] = True
        references = meta.get("references") or []
        if references:
            reference = references[0]
            target = str(reference.get("field", ""))
            collection, _, column = target.partition(".")
            if reference.get("dataset") not in dataset_keys:
                problems.append(
                    positions.problem(
                        (*place, "fides_meta", "references"),
                        f"field {full_name!r} references dataset {reference.get('dataset')!r}, "
                        "which is not in this file: gardien follows references within one "
                        "datastore only",
                    )
                )
            elif not column:
                problems.append(
                    positions.problem(
                        (*place, "fides_meta", "references"),
                        f"field {full_name!r}: reference {target!r} must be collection.field",
                    )
                )
            else:
                converted["references"] = {"collection": collection, "field": column}
        fields[full_name] = converted
