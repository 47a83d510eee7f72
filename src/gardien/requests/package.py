"""Access and portability packages: the person's records, and what they must be told, in one zip.

``build_package`` finds the person's rows (``connectors.locate``), streams
them into JSON and CSV files per collection (``connectors.RowsExport``,
others' names redacted where declared), and writes one zip straight into an
encrypted file (``SealedWriter``): the readable summary first, then the
records, then a manifest with each member's size and SHA-256. The working
files live in a private directory removed when the package is sealed or the
build fails; no row is held in memory longer than it takes to write it.

A portability package (GDPR Art. 20) holds only the collections declared
``portable`` (the data the person provided); an access package (Art. 15)
holds every collection.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Protocol, cast

from gardien.connectors import (
    CollectionPlan,
    Connector,
    ExportedCollection,
    Row,
    RowsExport,
    locate,
    open_readers,
    plan_for,
)
from gardien.connectors.export import RedactOthers
from gardien.declaration import Declaration
from gardien.requests.article15 import RECORDS_FOLDER

#: The readable members, built from what was exported (summary, Art. 15 information…).
Members = Callable[[Sequence[ExportedCollection]], Mapping[str, bytes]]


class PackageWriter(Protocol):
    """What the zip is written into (a ``SealedWriter``): a stream that knows its result."""

    sealed_size: int

    def tell(self) -> int: ...
    @property
    def sha256(self) -> str: ...
    def write(self, data: bytes, /) -> int: ...
    def close(self) -> None: ...
    def discard(self) -> None: ...


class PackageKind(StrEnum):
    ACCESS = "access"
    PORTABILITY = "portability"


@dataclass(frozen=True)
class BuiltPackage:
    """A sealed package on disk: its name, size, digest, and rows per collection."""

    file_name: str
    #: Bytes on disk (sealed), and of the zip the person receives.
    size: int
    zip_size: int
    sha256: str
    rows: Mapping[str, int]


def build_package(
    *,
    kind: PackageKind,
    declaration: Declaration,
    connectors: Mapping[str, Connector],
    identities: Mapping[str, Sequence[str]],
    directory: Path,
    file_id: str,
    open_writer: Callable[[Path], PackageWriter],
    members: Members,
    redact_others: RedactOthers,
) -> BuiltPackage:
    """Find, export and seal the person's data into ``directory/<file_id>.zip.sealed``."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    work = directory / f".work-{file_id}"
    shutil.rmtree(work, ignore_errors=True)  # a build a crash interrupted
    work.mkdir(mode=0o700)
    export = RowsExport(work, declaration, redact_others)
    try:
        collections = declaration.datastores

        def keep(plan: CollectionPlan, row: Row) -> None:
            if (
                kind is PackageKind.ACCESS
                or collections[plan.datastore].collections[plan.name].portable
            ):
                export.add(plan, row)

        with open_readers(connectors) as readers:
            locate(plan_for(declaration), readers, identities, on_row=keep)
        exported = export.finish()
        file_name = f"{file_id}.zip.sealed"
        writer = open_writer(directory / file_name)
        try:
            rows = _write_zip(writer, exported, members(exported))
        except BaseException:
            writer.discard()
            (directory / file_name).unlink(missing_ok=True)
            raise
        writer.close()
        return BuiltPackage(file_name, writer.sealed_size, writer.tell(), writer.sha256, rows)
    except BaseException:
        export.abort()
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _write_zip(
    writer: PackageWriter, exported: Sequence[ExportedCollection], readable: Mapping[str, bytes]
) -> dict[str, int]:
    manifest: list[dict[str, object]] = []
    rows: dict[str, int] = {}
    archive_file = cast(IO[bytes], writer)  # zipfile needs write, tell and flush only
    with zipfile.ZipFile(archive_file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in readable.items():
            archive.writestr(name, content)
            manifest.append(_entry(name, content))
        for found in exported:
            label = f"{found.datastore}.{found.collection}"
            rows[label] = found.rows
            for path in (found.json_path, found.csv_path):
                arcname = f"{RECORDS_FOLDER}/{path.name}"
                archive.write(path, arcname)
                manifest.append(_file_entry(arcname, path) | {"rows": found.rows})
        archive.writestr(
            "manifest.json",
            json.dumps({"files": manifest}, ensure_ascii=False, indent=1).encode("utf-8"),
        )
    return rows


def _entry(name: str, content: bytes) -> dict[str, object]:
    return {"name": name, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}


def _file_entry(name: str, path: Path) -> dict[str, object]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return {"name": name, "size": os.path.getsize(path), "sha256": digest.hexdigest()}
