"""A person's rows written out as they are found: per collection a JSON file and a CSV file.

``RowsExport.add`` is the locator's ``on_row``: each row is appended to a
working file of its collection (JSON lines) as it arrives, so nothing is held
in memory. ``finish`` turns each working file into what the person receives,
reading it line by line:

- ``<datastore>.<collection>.json``: ``{"collection", "fields": {name:
  categories}, "rows": [...]}``, the declared categories of every field;
- ``<datastore>.<collection>.csv``: the same rows, one column per declared
  field (dates as ISO 8601).

A field declared ``third_parties: redact`` (free text that names other
people) is passed, in ``finish``, through ``redact_others`` with the person's
own values found in their rows (names, e-mails, phones: every field with an
identity, or of a ``user.name`` or ``user.contact`` category) as terms to keep,
so the person reads their own words with the other people taken out. Values
the database returns that JSON cannot hold (dates, decimals, bytes) are
written as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from gardien.connectors.base import Row
from gardien.connectors.plan import CollectionPlan, Place
from gardien.declaration.models import Declaration, ThirdParties

#: redact_others(text, terms to keep) -> the text with other people's data taken out.
RedactOthers = Callable[[str, Sequence[str]], str]
_OWN_CATEGORIES = ("user.name", "user.contact")


@dataclass(frozen=True)
class ExportedCollection:
    datastore: str
    collection: str
    rows: int
    json_path: Path
    csv_path: Path


class RowsExport:
    """Writes a person's rows into ``directory``, collection by collection, streaming."""

    def __init__(
        self, directory: Path, declaration: Declaration, redact_others: RedactOthers
    ) -> None:
        self.directory = directory
        self.declaration = declaration
        self.redact_others = redact_others
        self._work: dict[Place, tuple[Path, IO[str]]] = {}
        self._counts: dict[Place, int] = {}
        self._own: set[str] = set()
        directory.mkdir(parents=True, exist_ok=True)

    def add(self, plan: CollectionPlan, row: Row) -> None:
        """Append ``row`` (the locator's ``on_row``)."""
        place = plan.place
        if place not in self._work:
            path = self.directory / f".{plan.datastore}.{plan.name}.{uuid.uuid4().hex}.jsonl"
            self._work[place] = (path, path.open("w", encoding="utf-8"))
            self._counts[place] = 0
        self._work[place][1].write(json.dumps(_plain(row), ensure_ascii=False) + "\n")
        self._counts[place] += 1
        self._remember_own(plan, row)

    def finish(self) -> list[ExportedCollection]:
        """The files the person receives, one pair per collection, in declaration order."""
        done = []
        for (datastore, collection), (path, handle) in sorted(self._work.items()):
            handle.close()
            done.append(self._write(datastore, collection, path))
            path.unlink()
        self._work.clear()
        return done

    def abort(self) -> None:
        """Remove the working files (the export failed)."""
        for path, handle in self._work.values():
            handle.close()
            path.unlink(missing_ok=True)
        self._work.clear()

    def _remember_own(self, plan: CollectionPlan, row: Row) -> None:
        fields = self.declaration.datastores[plan.datastore].collections[plan.name].fields
        for name, declared in fields.items():
            value = row.get(name)
            own = declared.identity is not None or any(
                category.startswith(_OWN_CATEGORIES) for category in declared.categories
            )
            if own and isinstance(value, str) and len(value) >= 2:
                self._own.add(value)
                self._own.update(word for word in value.split() if len(word) >= 2)

    def _write(self, datastore: str, collection: str, work: Path) -> ExportedCollection:
        declared = self.declaration.datastores[datastore].collections[collection].fields
        names = list(declared)
        redacted = [n for n, f in declared.items() if f.third_parties is ThirdParties.REDACT]
        own = sorted(self._own)
        json_path = self.directory / f"{datastore}.{collection}.json"
        csv_path = self.directory / f"{datastore}.{collection}.csv"
        count = 0
        with (
            json_path.open("w", encoding="utf-8") as out_json,
            csv_path.open("w", encoding="utf-8", newline="") as out_csv,
        ):
            writer = csv.writer(out_csv)
            writer.writerow(names)
            header = {
                "collection": f"{datastore}.{collection}",
                "fields": {name: list(declared[name].categories) for name in names},
            }
            opened = json.dumps(header, ensure_ascii=False, indent=1)[:-2]
            out_json.write(opened + ',\n "rows": [')
            for row in _lines(work):
                for name in redacted:
                    if isinstance(row.get(name), str):
                        row[name] = self.redact_others(row[name], own)
                out_json.write(
                    ("\n  " if count == 0 else ",\n  ") + json.dumps(row, ensure_ascii=False)
                )
                writer.writerow(["" if row.get(n) is None else row.get(n) for n in names])
                count += 1
            out_json.write("\n ]\n}\n")
        return ExportedCollection(datastore, collection, count, json_path, csv_path)


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row: dict[str, Any] = json.loads(line)
            yield row


def _plain(row: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _value(value) for name, value in row.items()}


def _value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return str(value)
