"""Removing the oldest audit entries under retention without breaking the chain.

Each entry links to the hash of the one before, so removing the first entries
would leave a trail that starts at entry N+1 and fails as ``removed``. Before
entries 1..N go, ``remove_through`` checks that they chain (tampering with
them is not erased unnoticed: the removal stops), then records a checkpoint of
entry N (its number, hash and time) signed with Ed25519 under a key kept in
the vault, in the same transaction as the removal. ``verify`` then starts from
the latest checkpoint: its signature must hold under the vault's key, and the
first entry left must follow it. Removing more entries, rewriting the
checkpoint or forging one without the vault's key all show.

The signing key is the vault secret ``audit_checkpoint`` used as an Ed25519
seed: it lives in the key store, wrapped by the master key, not in the store
the entries are in. Its public key can be published, so that anyone can check
the checkpoint (``gardien audit verify --signed-by``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Connection, delete, func, insert, select

from gardien.audit.chain import GENESIS_HASH, canonical_json, format_time
from gardien.audit.log import iter_entries
from gardien.audit.tables import audit_checkpoints, audit_log
from gardien.errors import AuditError

#: The vault secret the signing key is made from.
CHECKPOINT_SECRET = "audit_checkpoint"


@dataclass(frozen=True)
class SignedCheckpoint:
    """The last entry removed from the start of the trail, as signed when it went."""

    seq: int
    hash: str
    at: dt.datetime
    removed_at: dt.datetime
    public_key: str
    signature: str

    def signed_bytes(self) -> bytes:
        return signed_bytes(self.seq, self.hash, self.at, self.removed_at)

    def signature_holds(self, key: Ed25519PublicKey) -> bool:
        """Whether ``key`` signed exactly this checkpoint."""
        try:
            key.verify(bytes.fromhex(self.signature), self.signed_bytes())
        except (InvalidSignature, ValueError):
            return False
        return True


def signed_bytes(seq: int, entry_hash: str, at: dt.datetime, removed_at: dt.datetime) -> bytes:
    return canonical_json(
        {
            "hash": entry_hash,
            "at": format_time(at),
            "removed_at": format_time(removed_at),
            "seq": seq,
            "what": "gardien audit checkpoint",
        }
    )


def signing_key(secret: bytes) -> Ed25519PrivateKey:
    """The checkpoint key from the vault's ``audit_checkpoint`` secret (32 random bytes)."""
    return Ed25519PrivateKey.from_private_bytes(secret)


def public_key_hex(key: Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return key.public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def parse_public_key(text: str) -> Ed25519PublicKey:
    """A public key as ``gardien audit verify`` prints it (64 hex digits), or ``AuditError``."""
    try:
        raw = bytes.fromhex(text.strip())
        if len(raw) != 32:
            raise ValueError
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise AuditError(
            "a checkpoint key is the 64 hexadecimal digits `gardien audit verify` printed "
            "after 'checkpoints signed by'"
        ) from None


def latest_checkpoint(conn: Connection) -> SignedCheckpoint | None:
    """The checkpoint of the last removal, if entries were ever removed."""
    row = conn.execute(
        select(audit_checkpoints).order_by(audit_checkpoints.c.seq.desc()).limit(1)
    ).first()
    if row is None:
        return None
    return SignedCheckpoint(
        row.seq, row.hash, row.at, row.removed_at, row.public_key, row.signature
    )


def _prefix_end(conn: Connection, before: dt.datetime) -> int | None:
    """The last entry of the longest run from the start of the trail written before
    ``before``, never the newest entry (the next append links to it); None if none is.

    Entries are removed from the start only: an entry written before ``before``
    but after one that was not (clocks of two hosts) waits for it.
    """
    first, newest = conn.execute(select(func.min(audit_log.c.seq), func.max(audit_log.c.seq))).one()
    if first is None:
        return None
    young = conn.execute(select(func.min(audit_log.c.seq)).where(audit_log.c.at >= before)).scalar()
    through = min(int(newest), int(young) if young is not None else int(newest)) - 1
    return through if through >= int(first) else None


def removable_through(
    conn: Connection, before: dt.datetime, limit: int, ceiling: int | None = None
) -> int | None:
    """The last entry of the next batch (at most ``limit`` entries, none after entry
    ``ceiling``) of those ``count_before`` counts."""
    through = _prefix_end(conn, before)
    if through is None:
        return None
    first = int(conn.execute(select(func.min(audit_log.c.seq))).scalar_one())
    through = min(through, first + limit - 1, ceiling if ceiling is not None else through)
    return through if through >= first else None


def head_seq(conn: Connection) -> int:
    """The newest entry's number (0 for an empty trail)."""
    return int(conn.execute(select(func.coalesce(func.max(audit_log.c.seq), 0))).scalar_one())


def count_before(conn: Connection, before: dt.datetime) -> tuple[int, dt.datetime | None]:
    """How many entries from the start of the trail were written before ``before`` (the
    newest excepted), and when the oldest of them was."""
    through = _prefix_end(conn, before)
    if through is None:
        return 0, None
    count, oldest = conn.execute(
        select(func.count(), func.min(audit_log.c.at)).where(audit_log.c.seq <= through)
    ).one()
    return int(count), oldest


def remove_through(
    conn: Connection, through_seq: int, key: Ed25519PrivateKey, *, now: dt.datetime
) -> int:
    """Remove the entries up to ``through_seq`` after checking that they chain from the last
    checkpoint (or the start), and sign a checkpoint of entry ``through_seq``, in
    ``conn``'s transaction: the number of entries removed. Raises ``AuditError``,
    removing nothing, if those entries were tampered with."""
    previous = latest_checkpoint(conn)
    expected_seq = previous.seq + 1 if previous is not None else 1
    prev_hash = previous.hash if previous is not None else GENESIS_HASH
    last = None
    for entry in iter_entries(conn, after_seq=expected_seq - 1, until_seq=through_seq):
        if (
            entry.seq != expected_seq
            or entry.prev_hash != prev_hash
            or entry.computed_hash() != entry.hash
        ):
            raise AuditError(
                f"audit entry {expected_seq} does not verify: entries that may show tampering "
                "are not removed by retention; run `gardien audit verify` to see what is "
                "wrong, and keep the trail as it is for the investigation"
            )
        expected_seq, prev_hash, last = entry.seq + 1, entry.hash, entry
    if last is None or last.seq != through_seq:
        raise AuditError(f"audit entry {through_seq} is not in the trail: nothing was removed")
    public = public_key_hex(key.public_key())
    signature = key.sign(signed_bytes(last.seq, last.hash, last.at, now)).hex()
    conn.execute(
        insert(audit_checkpoints).values(
            seq=last.seq,
            hash=last.hash,
            at=last.at,
            removed_at=now,
            public_key=public,
            signature=signature,
        )
    )
    removed = conn.execute(delete(audit_log).where(audit_log.c.seq <= through_seq)).rowcount
    return int(removed)
