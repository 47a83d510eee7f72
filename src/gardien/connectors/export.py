"""A person's rows written out as they are found: per collection a JSON file and a CSV file.

``RowsExport.add`` is the locator's ``on_row``: each row is written as it
arrives, so nothing is held in memory: straight into the files the person
receives, or, for a collection with free text to redact, into a working file
(JSON lines) that ``finish`` reads back line by line once the person's own
names are all known. The files:

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


class _CollectionFiles:
    """The JSON and CSV files of one collection, written one row at a time."""

    def __init__(self, directory: Path, datastore: str, collection: str, declaration: Declaration):
        declared = declaration.datastores[datastore].collections[collection].fields
        self.datastore, self.collection = datastore, collection
        self.names = list(declared)
        self.json_path = directory / f"{datastore}.{collection}.json"
        self.csv_path = directory / f"{datastore}.{collection}.csv"
        self.count = 0
        self._json = self.json_path.open("w", encoding="utf-8")
        self._csv_file = self.csv_path.open("w", encoding="utf-8", newline="")
        self._csv = csv.writer(self._csv_file)
        self._csv.writerow(self.names)
        header = {
            "collection": f"{datastore}.{collection}",
            "fields": {name: list(declared[name].categories) for name in self.names},
        }
        opened = json.dumps(header, ensure_ascii=False, indent=1)[:-2]
        self._json.write(opened + ',\n "rows": [')

    def write(self, row: Mapping[str, Any]) -> None:
        self._json.write(
            ("\n  " if self.count == 0 else ",\n  ") + json.dumps(row, ensure_ascii=False)
        )
        self._csv.writerow(["" if row.get(n) is None else row.get(n) for n in self.names])
        self.count += 1

    def close(self) -> ExportedCollection:
        self._json.write("\n ]\n}\n")
        self._json.close()
        self._csv_file.close()
        return ExportedCollection(
            self.datastore, self.collection, self.count, self.json_path, self.csv_path
        )

    def discard(self) -> None:
        self._json.close()
        self._csv_file.close()
        self.json_path.unlink(missing_ok=True)
        self.csv_path.unlink(missing_ok=True)


class RowsExport:
    """Writes a person's rows into ``directory``, collection by collection, streaming.

    A collection with no field to redact is written straight to its JSON and CSV
    files as rows arrive; one with such a field goes through a working file,
    since the terms to keep (the person's own names) are known only once every
    row has been found.
    """

    def __init__(
        self, directory: Path, declaration: Declaration, redact_others: RedactOthers
    ) -> None:
        self.directory = directory
        self.declaration = declaration
        self.redact_others = redact_others
        self._work: dict[Place, tuple[Path, IO[str]]] = {}
        self._direct: dict[Place, _CollectionFiles] = {}
        self._own: set[str] = set()
        #: Per collection, the fields holding the person's own names and contacts.
        self._own_fields: dict[Place, tuple[str, ...]] = {}
        directory.mkdir(parents=True, exist_ok=True)

    def add(self, plan: CollectionPlan, row: Row) -> None:
        """Append ``row`` (the locator's ``on_row``)."""
        place = plan.place
        plain = _plain(row)
        if place in self._direct:
            self._direct[place].write(plain)
        elif place in self._work:
            self._work[place][1].write(json.dumps(plain, ensure_ascii=False) + "\n")
        elif not self._redacted(plan.datastore, plan.name):
            self._direct[place] = _CollectionFiles(
                self.directory, plan.datastore, plan.name, self.declaration
            )
            self._direct[place].write(plain)
        else:
            path = self.directory / f".{plan.datastore}.{plan.name}.{uuid.uuid4().hex}.jsonl"
            self._work[place] = (path, path.open("w", encoding="utf-8"))
            self._work[place][1].write(json.dumps(plain, ensure_ascii=False) + "\n")
        self._remember_own(plan, row)

    def finish(self) -> list[ExportedCollection]:
        """The files the person receives, one pair per collection, in declaration order."""
        done: dict[Place, ExportedCollection] = {}
        for place, files in self._direct.items():
            done[place] = files.close()
        for (datastore, collection), (path, handle) in self._work.items():
            handle.close()
            done[(datastore, collection)] = self._write(datastore, collection, path)
            path.unlink()
        self._work.clear()
        self._direct.clear()
        return [done[place] for place in sorted(done)]

    def abort(self) -> None:
        """Remove the working and partly written files (the export failed)."""
        for path, handle in self._work.values():
            handle.close()
            path.unlink(missing_ok=True)
        for files in self._direct.values():
            files.discard()
        self._work.clear()
        self._direct.clear()

    def _redacted(self, datastore: str, collection: str) -> list[str]:
        declared = self.declaration.datastores[datastore].collections[collection].fields
        return [n for n, f in declared.items() if f.third_parties is ThirdParties.REDACT]

    def _remember_own(self, plan: CollectionPlan, row: Row) -> None:
        place = plan.place
        names = self._own_fields.get(place)
        if names is None:
            fields = self.declaration.datastores[plan.datastore].collections[plan.name].fields
            names = self._own_fields[place] = tuple(
                name
                for name, declared in fields.items()
                if declared.identity is not None
                or any(category.startswith(_OWN_CATEGORIES) for category in declared.categories)
            )
        for name in names:
            value = row.get(name)
            if isinstance(value, str) and len(value) >= 2:
                self._own.add(value)
                self._own.update(word for word in value.split() if len(word) >= 2)

    def _write(self, datastore: str, collection: str, work: Path) -> ExportedCollection:
        redacted = self._redacted(datastore, collection)
        own = sorted(self._own)
        files = _CollectionFiles(self.directory, datastore, collection, self.declaration)
        try:
            for row in _lines(work):
                for name in redacted:
                    if isinstance(row.get(name), str):
                        row[name] = self.redact_others(row[name], own)
                files.write(row)
        except BaseException:
            files.discard()
            raise
        return files.close()


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row: dict[str, Any] = json.loads(line)
            yield row


#: Types JSON holds as they are (checked by exact type first: most values are these).
_NATIVE = frozenset({str, int, float, bool, type(None)})


def _plain(row: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value if type(value) in _NATIVE else _value(value) for name, value in row.items()}


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
