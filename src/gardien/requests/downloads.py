"""Packages waiting for their person: published with a one-time link, taken once, purged.

A package is published with a random token (256 bits) that only the link
sent to the person carries; the store keeps its SHA-256. Taking it is one
conditional update (not yet taken, not expired), so two clicks racing on two
servers give one download. The file's own key rests sealed under the
vault's ``packages`` secret: the file alone, or the store alone, opens
nothing. After the download, or once expired, the file is deleted by
``purge_packages`` (the worker, hourly) and the row keeps only the proof
that a package existed: its size, digest and dates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, Row, select, update

from gardien.audit import Actor, PackageDownloaded, PackagesPurged
from gardien.audit.guard import PublicId
from gardien.errors import DecryptionError
from gardien.requests.execution_tables import request_packages
from gardien.requests.package import BuiltPackage, PackageKind
from gardien.requests.sealed_file import open_sealed
from gardien.store import Store, utcnow

PACKAGES_SECRET = "packages"
#: Files in the packages directory no row names are deleted once this old.
STRAY_AGE = dt.timedelta(days=1)
_WRAP_DOMAIN = b"gardien.package-key.v1"


class PackageState(StrEnum):
    READY = "ready"
    TAKEN = "taken"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PackageRecord:
    id: str
    request_id: str
    kind: PackageKind
    file_name: str
    size: int
    sha256: str
    wrapped_key: bytes
    expires_at: dt.datetime
    downloaded_at: dt.datetime | None


def new_file_key() -> bytes:
    return secrets.token_bytes(32)


def wrap_key(secret: bytes, package_id: str, key: bytes) -> bytes:
    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(secret).encrypt(nonce, key, _WRAP_DOMAIN + package_id.encode())


def unwrap_key(secret: bytes, package_id: str, wrapped: bytes) -> bytes:
    try:
        return AESGCM(secret).decrypt(
            wrapped[:12], wrapped[12:], _WRAP_DOMAIN + package_id.encode()
        )
    except InvalidTag:
        raise DecryptionError("the package's key does not open under this vault") from None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def publish_package(
    conn: Connection,
    *,
    package_id: str,
    request_id: str,
    kind: PackageKind,
    built: BuiltPackage,
    wrapped_key: bytes,
    lifetime: dt.timedelta,
    now: dt.datetime | None = None,
) -> str:
    """Record the package in ``conn``'s transaction and return its one-time token."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    conn.execute(
        request_packages.insert().values(
            id=package_id,
            request_id=request_id,
            kind=kind.value,
            token_hash=token_hash(token),
            wrapped_key=wrapped_key,
            file_name=built.file_name,
            size=built.size,
            sha256=built.sha256,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    return token


def package_state(
    conn: Connection, token: str, *, now: dt.datetime | None = None
) -> tuple[PackageState, PackageRecord | None]:
    """Where the package of ``token`` stands, changing nothing (the confirmation page)."""
    row = conn.execute(
        select(request_packages).where(request_packages.c.token_hash == token_hash(token))
    ).first()
    if row is None:
        return PackageState.UNKNOWN, None
    record = _record(row)
    if record.downloaded_at is not None:
        return PackageState.TAKEN, record
    if record.expires_at <= (now or utcnow()):
        return PackageState.EXPIRED, record
    return PackageState.READY, record


def take_package(
    conn: Connection, token: str, *, actor: Actor, now: dt.datetime | None = None
) -> tuple[PackageState, PackageRecord | None]:
    """Mark the package taken if it is ready; the caller streams it after the commit."""
    now = now or utcnow()
    state, record = package_state(conn, token, now=now)
    if state is not PackageState.READY or record is None:
        return state, record
    taken = conn.execute(
        update(request_packages)
        .where(
            request_packages.c.id == record.id,
            request_packages.c.downloaded_at.is_(None),
            request_packages.c.expires_at > now,
        )
        .values(downloaded_at=now)
    ).rowcount
    if taken != 1:  # another click won the race
        return PackageState.TAKEN, record
    actor.record(
        conn,
        PackageDownloaded(
            request_id=PublicId(record.request_id),
            package_id=PublicId(record.id),
            size=record.size,
        ),
    )
    return PackageState.READY, record


def package_bytes(directory: Path, record: PackageRecord, secret: bytes) -> Iterator[bytes]:
    """The zip, decrypted chunk by chunk."""
    key = unwrap_key(secret, record.id, record.wrapped_key)
    return open_sealed(directory / record.file_name, key, record.id)


def purge_packages(
    store: Store, directory: Path, *, actor: Actor, now: dt.datetime | None = None
) -> int:
    """Delete the files of packages taken or expired; return how many were deleted
    (audited as ``request.packages_purge`` when any was)."""
    now = now or utcnow()
    with store.engine.begin() as conn:
        rows = conn.execute(
            select(request_packages.c.id, request_packages.c.file_name).where(
                request_packages.c.deleted_at.is_(None),
                (request_packages.c.downloaded_at.is_not(None))
                | (request_packages.c.expires_at <= now),
            )
        ).all()
    for row in rows:
        (directory / row.file_name).unlink(missing_ok=True)
        with store.engine.begin() as conn:
            conn.execute(
                update(request_packages)
                .where(request_packages.c.id == row.id)
                .values(deleted_at=now)
            )
    count = len(rows) + _purge_strays(store, directory, now)
    if count:
        with store.engine.begin() as conn:
            actor.record(conn, PackagesPurged(count=count))
    return count


def _purge_strays(store: Store, directory: Path, now: dt.datetime) -> int:
    """Files no package row names, a day old: a build whose worker died or lost its lease
    before publishing (the next worker built the package again under another name)."""
    if not directory.is_dir():
        return 0
    with store.engine.connect() as conn:
        known = set(conn.execute(select(request_packages.c.file_name)).scalars())
    cutoff = (now - STRAY_AGE).timestamp()
    removed = 0
    for path in directory.iterdir():
        if path.name in known or path.stat().st_mtime > cutoff:
            continue
        if path.is_dir() and path.name.startswith(".work-"):
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
        elif path.is_file() and path.name.endswith(".zip.sealed"):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _record(row: Row[Any]) -> PackageRecord:
    return PackageRecord(
        id=row.id,
        request_id=row.request_id,
        kind=PackageKind(row.kind),
        file_name=row.file_name,
        size=row.size,
        sha256=row.sha256,
        wrapped_key=row.wrapped_key,
        expires_at=row.expires_at,
        downloaded_at=row.downloaded_at,
    )
