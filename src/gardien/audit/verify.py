"""Checking the audit trail's hash chain, a batch at a time.

Reading entries in sequence order, the first broken entry is reported as:

- ``removed``: a sequence number is missing, or the entry links to an entry
  that is no longer in the trail (removed, then the rest renumbered);
- ``edited``: the entry's hash is not the hash of its fields;
- ``reordered``: the entry is intact but links to an entry found elsewhere in
  the trail.

The last entries can be cut off without breaking the chain: keep the head
(``last_seq``, ``last_hash``) reported by each verification somewhere the
store's administrators cannot write, and give it back as a ``Checkpoint``
to the next verification, which then also reports:

- ``cut``: the trail ends before the checkpoint's entry, or that entry no
  longer has the recorded hash (the tail was cut, then rewritten).

Once retention has removed the oldest entries, the walk starts from the
latest signed checkpoint (``gardien.audit.checkpoints``), whose signature is
checked with the key given; it fails as:

- ``checkpoint``: the checkpoint's signature does not hold under that key, or
  no key was given to check it with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, func, select

from gardien.audit.chain import GENESIS_HASH, AuditEntry
from gardien.audit.checkpoints import SignedCheckpoint, latest_checkpoint
from gardien.audit.log import BATCH, fetch_batch, iter_entries
from gardien.audit.tables import audit_log
from gardien.errors import AuditError
from gardien.store.migrate import Store


class ChainFault(StrEnum):
    EDITED = "edited"
    REMOVED = "removed"
    REORDERED = "reordered"
    CUT = "cut"
    CHECKPOINT = "checkpoint"


_CHECKPOINT = re.compile(r"(\d{1,19}):([0-9a-f]{64})")


@dataclass(frozen=True)
class Checkpoint:
    """An entry's sequence number and hash, as an earlier verification printed them."""

    seq: int
    hash: str

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """``SEQ:HASH`` as ``gardien audit verify`` prints it, or ``AuditError``."""
        match = _CHECKPOINT.fullmatch(text.strip())
        if match is None or int(match.group(1)) < 1:
            raise AuditError(
                "a checkpoint is SEQ:HASH as `gardien audit verify` printed it: the entry's "
                "number (1 or more), a colon, and its 64-digit hexadecimal hash"
            )
        return cls(int(match.group(1)), match.group(2))

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of ``verify``; ``exit_code`` is what ``gardien audit verify`` returns."""

    ok: bool
    entries_checked: int
    first_bad_seq: int | None = None
    problem: str | None = None
    fault: ChainFault | None = None
    last_seq: int = 0
    last_hash: str = GENESIS_HASH
    #: The signed checkpoint the walk started from (entries up to it were removed
    #: by retention), if any.
    checkpoint: SignedCheckpoint | None = None

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1


def verify(
    source: Store | Connection,
    expect: Checkpoint | None = None,
    checkpoint_key: Ed25519PublicKey | None = None,
) -> VerifyResult:
    """Verify the whole trail as it stands when the verification starts.

    With ``expect``, a trail that is intact but no longer reaches that
    checkpoint, or no longer has its hash there, fails as ``cut``. Once
    retention removed entries, ``checkpoint_key`` (the vault's checkpoint key)
    checks the signed checkpoint the trail starts from.
    """
    if isinstance(source, Store):
        with source.engine.connect() as conn:
            start = _start(conn, checkpoint_key)
        if isinstance(start, VerifyResult):
            return start
        # One read transaction for the whole walk: on SQLite it holds the write
        # lock, so batches are read on a connection opened per batch instead.
        result = _verify_store(source, start)
        if expect is None or not result.ok:
            return result
        with source.engine.connect() as conn:
            return _against(conn, result, expect)
    begun = _start(source, checkpoint_key)
    if isinstance(begun, VerifyResult):
        return begun
    result = _walk(source, _head(source), begun)
    return result if expect is None or not result.ok else _against(source, result, expect)


def _start(conn: Connection, key: Ed25519PublicKey | None) -> _Checker | VerifyResult:
    """Where the walk starts: the latest signed checkpoint, once checked, or the genesis."""
    checkpoint = latest_checkpoint(conn)
    if checkpoint is None:
        return _Checker()
    if key is None or not checkpoint.signature_holds(key):
        problem = (
            f"entries 1 to {checkpoint.seq} were removed by retention, and the checkpoint "
            "the trail goes on from cannot be checked without the checkpoint key: run where "
            "the master key is, or give the key with --signed-by"
            if key is None
            else f"the checkpoint of entry {checkpoint.seq} (the last one retention removed) "
            "is not signed by the checkpoint key: it was rewritten or forged"
        )
        return VerifyResult(
            ok=False, entries_checked=0, first_bad_seq=checkpoint.seq, problem=problem,
            fault=ChainFault.CHECKPOINT, checkpoint=checkpoint,
        )  # fmt: skip
    return _Checker(checkpoint)


def _against(conn: Connection, result: VerifyResult, expect: Checkpoint) -> VerifyResult:
    """``result`` (an intact chain) checked against a recorded checkpoint."""
    removed = result.checkpoint
    if removed is not None and expect.seq <= removed.seq:
        # Removed by retention: the signed checkpoint vouches for the last one removed.
        if expect.seq == removed.seq and expect.hash != removed.hash:
            return replace(
                result, ok=False, first_bad_seq=expect.seq, fault=ChainFault.CUT,
                problem=f"entry {expect.seq} was removed by retention with another hash "
                "than the one recorded at the checkpoint",
            )  # fmt: skip
        return result
    if result.last_seq < expect.seq:
        return replace(
            result,
            ok=False,
            first_bad_seq=result.last_seq + 1,
            fault=ChainFault.CUT,
            problem=f"the trail ends at entry {result.last_seq}, but entry {expect.seq} was "
            "recorded as a checkpoint: entries after the last one present were removed",
        )
    found = conn.execute(select(audit_log.c.hash).where(audit_log.c.seq == expect.seq)).scalar()
    if found != expect.hash:
        return replace(
            result,
            ok=False,
            first_bad_seq=expect.seq,
            fault=ChainFault.CUT,
            problem=f"entry {expect.seq} no longer has the hash recorded at the checkpoint: "
            "the trail was cut there and rewritten after it",
        )
    return result


def _head(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(audit_log.c.seq), 0))).scalar_one())


def _verify_store(store: Store, checker: _Checker) -> VerifyResult:
    with store.engine.connect() as conn:
        head = _head(conn)
    after = checker.expected_seq - 1
    while True:
        with store.engine.connect() as conn:
            batch = fetch_batch(conn, after_seq=after, until_seq=head)
            for entry in batch:
                result = checker.check(entry, conn)
                if result is not None:
                    return result
        if len(batch) < BATCH:
            return checker.success()
        after = batch[-1].seq


def _walk(conn: Connection, head: int, checker: _Checker) -> VerifyResult:
    for entry in iter_entries(conn, after_seq=checker.expected_seq - 1, until_seq=head):
        result = checker.check(entry, conn)
        if result is not None:
            return result
    return checker.success()


class _Checker:
    """The state carried from one entry to the next: expected seq and previous hash."""

    def __init__(self, checkpoint: SignedCheckpoint | None = None) -> None:
        self.checkpoint = checkpoint
        self.expected_seq = checkpoint.seq + 1 if checkpoint is not None else 1
        self.prev_hash = checkpoint.hash if checkpoint is not None else GENESIS_HASH
        self.checked = 0

    def check(self, entry: AuditEntry, conn: Connection) -> VerifyResult | None:
        if entry.seq != self.expected_seq:
            return self._bad(
                self.expected_seq,
                ChainFault.REMOVED,
                f"entry {self.expected_seq} was removed: "
                + (
                    f"the trail starts at entry {entry.seq}"
                    if self.expected_seq == 1
                    else f"the trail goes from the checkpoint of entry {self.expected_seq - 1} "
                    f"to entry {entry.seq}"
                    if self.checkpoint is not None and self.checked == 0
                    else f"the trail goes from entry {self.expected_seq - 1} to entry {entry.seq}"
                ),
            )
        if entry.computed_hash() != entry.hash:
            return self._bad(
                entry.seq,
                ChainFault.EDITED,
                f"entry {entry.seq} was edited: its hash does not match its fields",
            )
        if entry.prev_hash != self.prev_hash:
            found = conn.execute(
                select(audit_log.c.seq).where(audit_log.c.hash == entry.prev_hash).limit(1)
            ).scalar()
            if found is not None:
                return self._bad(
                    entry.seq,
                    ChainFault.REORDERED,
                    f"entry {entry.seq} was moved: it follows entry {found}, "
                    f"not entry {entry.seq - 1}",
                )
            return self._bad(
                entry.seq,
                ChainFault.REMOVED,
                f"entry {entry.seq} does not follow entry {entry.seq - 1}: the entry it "
                "followed was removed and the rest renumbered, or entry "
                f"{entry.seq - 1} was rewritten with a recomputed hash",
            )
        self.checked += 1
        self.expected_seq += 1
        self.prev_hash = entry.hash
        return None

    def _bad(self, seq: int, fault: ChainFault, problem: str) -> VerifyResult:
        return VerifyResult(
            ok=False,
            entries_checked=self.checked,
            first_bad_seq=seq,
            problem=problem,
            fault=fault,
            last_seq=self.expected_seq - 1,
            last_hash=self.prev_hash,
            checkpoint=self.checkpoint,
        )

    def success(self) -> VerifyResult:
        if self.checkpoint is not None and self.checked == 0:
            # Retention never removes the newest entry: one at least follows a checkpoint.
            return self._bad(
                self.expected_seq,
                ChainFault.REMOVED,
                f"entry {self.expected_seq} was removed: the trail ends at the checkpoint of "
                f"entry {self.checkpoint.seq}, and retention always leaves the newest entry",
            )
        return VerifyResult(
            ok=True,
            entries_checked=self.checked,
            last_seq=self.expected_seq - 1,
            last_hash=self.prev_hash,
            checkpoint=self.checkpoint,
        )
