"""The subject vault: register, find, read, update, rectify and erase data subjects.

Every method that touches the main store takes the caller's connection and
runs inside the caller's transaction. Those that reveal or change personal
data (``register``, ``lookup``, ``read``, ``update_attributes``,
``replace_identity``, ``remove_identity``, ``erase``) take the ``Actor`` and
append their own audit entry in that transaction, so no caller can forget it.
``find`` and ``find_any`` only map identities to an id and record nothing:
they are for rooms whose own entry records the access (the processing check).
Key store writes (new data keys, erasure) commit on their own, ordered so
that a crash between the two databases is always safe (see ``docs/vault.md``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from gardien.audit import (
    Actor,
    IdentityChanged,
    SubjectCreated,
    SubjectErased,
    SubjectRead,
    SubjectUpdated,
)
from gardien.errors import (
    DataKeyMissingError,
    IdentityConflictError,
    IdentityError,
    SubjectErasedError,
    SubjectNotFound,
    VaultError,
)
from gardien.store.migrate import Store
from gardien.store.types import utcnow
from gardien.vault import attributes as attrs
from gardien.vault import crypto
from gardien.vault.attributes import JSONInput, JSONValue
from gardien.vault.identities import Identity, check_kind, normalise, normalise_all
from gardien.vault.keys import KeyStore
from gardien.vault.masterkey import MasterKey
from gardien.vault.records import Registration, SubjectRecord
from gardien.vault.tables import subject_identities, subjects

_SUBJECT_ID = re.compile(r"[0-9a-f]{32}")
_PURPOSE_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
_ATTRIBUTES_FIELD = "attributes"
_BLIND_INDEX_KEY = "blind_index"
_AUDIT_KEY = "audit"
# A registration that loses a race retries; losing this many in a row means
# something else is wrong (e.g. a constraint other than the identity one).
_REGISTER_ATTEMPTS = 5

_Indexed = tuple[Identity, bytes]


def _taken(kind: str) -> IdentityConflictError:
    return IdentityConflictError(
        f"the new {kind!r} identity already belongs to another subject: nothing was changed; "
        "if both are the same person, erase the other subject first, else check the value"
    )


def _identity_field(kind: str) -> str:
    return f"identity:{kind}"


_OWNER_OF_ONE = select(subject_identities.c.subject_id).where(
    subject_identities.c.kind == bindparam("kind"),
    subject_identities.c.blind_index == bindparam("blind_index"),
)


class Vault:
    """The registry of data subjects, whose personal data it keeps encrypted."""

    def __init__(
        self,
        store: Store,
        master_key: MasterKey,
        *,
        cache_size: int = 1024,
        cache_ttl_seconds: float = 300.0,
    ) -> None:
        self._keys = KeyStore(store.keystore, master_key, cache_size, cache_ttl_seconds)
        self._master_id = master_key.id

    def __repr__(self) -> str:
        return f"Vault(master_key_id={self._master_id})"

    # Registration -----------------------------------------------------------------

    def register(
        self,
        conn: Connection,
        identities: Mapping[str, str],
        attributes: Mapping[str, JSONInput] | None = None,
        *,
        actor: Actor,
    ) -> Registration:
        """The subject these identities belong to, created if none does.

        New identities are added to an existing subject and ``attributes`` are
        merged into its own. Everything is checked before anything is written.
        Audited as ``subject.create``, as ``subject.update`` naming what changed
        (``identities``, ``attributes``: never the names a caller chose), or as
        ``subject.read`` of the id when nothing changed.
        """
        wanted = normalise_all(identities)
        if not wanted:
            raise IdentityError("give at least one identity: a subject must be findable")
        given = attrs.check_attributes(attributes if attributes is not None else {})
        indexed = [(identity, self._blind_index(identity)) for identity in wanted]
        for _attempt in range(_REGISTER_ATTEMPTS):
            owner = self._owner(conn, indexed)
            if owner is not None:
                changed = self._join(conn, owner, indexed, given)
                if changed is None:
                    continue
                blind = self.blind_id(owner)
                actor.record(
                    conn,
                    SubjectUpdated(subject_blind_id=blind, fields=changed)
                    if changed
                    else SubjectRead(subject_blind_id=blind, fields=("id",)),
                )
                return Registration(owner, created=False)
            created = self._create(conn, indexed, given)
            if created is not None:
                actor.record(conn, SubjectCreated(subject_blind_id=self.blind_id(created)))
                return Registration(created, created=True)
        raise VaultError(
            "the subject could not be registered: its identities kept changing under "
            "concurrent registrations; try again"
        )

    def _create(
        self, conn: Connection, indexed: list[_Indexed], given: dict[str, JSONValue]
    ) -> str | None:
        subject_id = uuid.uuid4().hex
        # Key store first: if the main store write below fails or is rolled back,
        # the key is an orphan that opens nothing — harmless.
        data_key = self._keys.create_data_key(subject_id)
        try:
            with conn.begin_nested():
                conn.execute(
                    insert(subjects).values(
                        id=subject_id,
                        created_at=utcnow(),
                        erased_at=None,
                        attributes=self._seal_attributes(data_key, subject_id, given),
                    )
                )
                conn.execute(
                    insert(subject_identities),
                    [self._identity_row(data_key, subject_id, i, b) for i, b in indexed],
                )
        except IntegrityError:
            # Another transaction registered one of these identities first; the
            # caller's loop finds that subject and joins it.
            self._keys.delete_data_key(subject_id)
            return None
        return subject_id

    def _join(
        self,
        conn: Connection,
        subject_id: str,
        indexed: list[_Indexed],
        given: dict[str, JSONValue],
    ) -> tuple[str, ...] | None:
        """Add missing identities and merge attributes: what changed, None if just erased."""
        row = self._lock_subject(conn, subject_id)
        if row is None or row.erased_at is not None:
            return None
        changed: list[str] = []
        data_key = self._live_key(row)
        known = {
            (r.kind, bytes(r.blind_index))
            for r in conn.execute(
                select(subject_identities.c.kind, subject_identities.c.blind_index).where(
                    subject_identities.c.subject_id == subject_id
                )
            )
        }
        for identity, index in indexed:
            if (identity.kind, index) in known:
                continue
            try:
                with conn.begin_nested():
                    conn.execute(
                        insert(subject_identities).values(
                            self._identity_row(data_key, subject_id, identity, index)
                        )
                    )
                if "identities" not in changed:
                    changed.append("identities")
            except IntegrityError:
                if self._owner(conn, [(identity, index)]) != subject_id:
                    raise IdentityConflictError(
                        f"identity {identity.kind!r} already belongs to another subject"
                    ) from None
        if given:
            current = self._open_attributes(data_key, subject_id, row.attributes)
            current.update(given)
            self._write_attributes(conn, data_key, subject_id, current)
            changed.append("attributes")
        return tuple(changed)

    # Lookup -----------------------------------------------------------------------

    def find(self, conn: Connection, kind: str, value: str) -> str | None:
        """The id of the subject with this identity, if any."""
        identity = normalise(kind, value)
        return self._owner(conn, [(identity, self._blind_index(identity))])

    def find_any(self, conn: Connection, identities: Mapping[str, str]) -> str | None:
        """The subject any of ``identities`` names; IdentityConflictError if they disagree."""
        indexed = [(i, self._blind_index(i)) for i in normalise_all(identities)]
        return self._owner(conn, indexed) if indexed else None

    def lookup(self, conn: Connection, identities: Mapping[str, str], *, actor: Actor) -> str:
        """The id of the subject any of ``identities`` names, audited as a read of its id.

        ``SubjectNotFound`` when none does (nothing is recorded then: there is
        no subject to name).
        """
        subject_id = self.find_any(conn, identities)
        if subject_id is None:
            raise SubjectNotFound("no data subject has these identities")
        actor.record(conn, SubjectRead(subject_blind_id=self.blind_id(subject_id), fields=("id",)))
        return subject_id

    def _owner(self, conn: Connection, indexed: list[_Indexed]) -> str | None:
        table = subject_identities
        if len(indexed) == 1:
            # The hot path (one identity, as in every consent check): a statement built
            # once, so SQLAlchemy neither rebuilds nor re-keys it on each call.
            identity, index = indexed[0]
            rows = conn.execute(_OWNER_OF_ONE, {"kind": identity.kind, "blind_index": index})
        else:
            rows = conn.execute(
                select(table.c.subject_id).where(
                    or_(
                        *(
                            and_(table.c.kind == identity.kind, table.c.blind_index == index)
                            for identity, index in indexed
                        )
                    )
                )
            )
        matches = {row.subject_id for row in rows}
        if len(matches) > 1:
            raise IdentityConflictError(
                f"the identities given belong to {len(matches)} different subjects"
            )
        return matches.pop() if matches else None

    # Reading and changing -----------------------------------------------------------

    def require(self, conn: Connection, subject_id: str) -> None:
        """``SubjectNotFound`` unless a subject (erased or not) has this id.

        Records nothing: it reads no personal data, only whether the id exists,
        for a caller about to read what another room holds under that id.
        """
        self._subject_row(conn, subject_id)

    def require_live(self, conn: Connection, subject_id: str) -> None:
        """``SubjectNotFound`` unless the subject exists, ``SubjectErasedError`` if it was
        erased: for another room about to change something under that id."""
        if self._subject_row(conn, subject_id).erased_at is not None:
            raise SubjectErasedError(
                "this person's data was erased: nothing more can be recorded about them"
            )

    def read(
        self, conn: Connection, subject_id: str, *, actor: Actor, purpose: str | None = None
    ) -> SubjectRecord:
        """The subject's decrypted identities and attributes, audited as ``subject.read``.

        ``purpose`` is the declared purpose the data is read for, when there is
        one (a renewal e-mail): the entry names it.
        """
        row = self._subject_row(conn, subject_id)
        actor.record(
            conn,
            SubjectRead(
                subject_blind_id=self.blind_id(subject_id),
                purpose=purpose,
                fields=("identities", "attributes") if row.erased_at is None else ("erased_at",),
            ),
        )
        if row.erased_at is not None:
            return SubjectRecord(subject_id, row.created_at, row.erased_at)
        data_key = self._live_key(row)
        identities: dict[str, list[str]] = {}
        for identity in conn.execute(
            select(subject_identities.c.kind, subject_identities.c.value)
            .where(subject_identities.c.subject_id == subject_id)
            .order_by(subject_identities.c.id)
        ):
            plain = crypto.open_field(
                data_key, subject_id, _identity_field(identity.kind), identity.value
            )
            identities.setdefault(identity.kind, []).append(plain.decode("utf-8"))
        return SubjectRecord(
            subject_id,
            row.created_at,
            None,
            identities,
            self._open_attributes(data_key, subject_id, row.attributes),
        )

    def update_attributes(
        self,
        conn: Connection,
        subject_id: str,
        attributes: Mapping[str, JSONInput],
        *,
        remove: Collection[str] = (),
        actor: Actor,
    ) -> None:
        """Merge ``attributes`` into the subject's, then drop the names in ``remove``.

        Audited as ``subject.update`` of ``attributes`` (never the names changed:
        a caller chooses them, and they may say something about the person).
        """
        given = attrs.check_attributes(attributes)
        self._check_id(subject_id)
        row = self._lock_live(conn, subject_id, "its attributes")
        data_key = self._live_key(row)
        current = self._open_attributes(data_key, subject_id, row.attributes)
        current.update(given)
        for name in remove:
            current.pop(name, None)
        self._write_attributes(conn, data_key, subject_id, current)
        actor.record(
            conn, SubjectUpdated(subject_blind_id=self.blind_id(subject_id), fields=("attributes",))
        )

    # Rectifying identities (Art. 16) ------------------------------------------------

    def replace_identity(
        self, conn: Connection, subject_id: str, kind: str, new_value: str, *, actor: Actor
    ) -> bool:
        """The subject's identities of ``kind`` become ``new_value`` alone; True if that changed
        anything.

        A rectification: "my e-mail address is now …". Every identity of that
        kind the subject holds is removed and the new one added (a subject
        with none of that kind gets it: completing is rectifying too). A new
        value another subject already holds raises ``IdentityConflictError``
        and nothing changes. Audited as ``subject.identity_change`` naming the
        kind (never a value), or as ``subject.read`` of the id when the
        subject already had exactly this identity.
        """
        identity = normalise(kind, new_value)
        index = self._blind_index(identity)
        self._check_id(subject_id)
        row = self._lock_live(conn, subject_id, "its identities")
        owner = self._owner(conn, [(identity, index)])
        if owner is not None and owner != subject_id:
            raise _taken(identity.kind)
        held = [row for row in self._identity_keys(conn, subject_id) if row.kind == identity.kind]
        dropped = [row.id for row in held if bytes(row.blind_index) != index]
        blind = self.blind_id(subject_id)
        if owner == subject_id and not dropped:
            actor.record(conn, SubjectRead(subject_blind_id=blind, fields=("id",)))
            return False
        data_key = self._live_key(row)
        try:
            # A savepoint: if another transaction registers the new value between the
            # check above and this insert, the old identities stay as they were.
            with conn.begin_nested():
                if dropped:
                    conn.execute(
                        delete(subject_identities).where(subject_identities.c.id.in_(dropped))
                    )
                if owner is None:
                    conn.execute(
                        insert(subject_identities).values(
                            self._identity_row(data_key, subject_id, identity, index)
                        )
                    )
        except IntegrityError:
            raise _taken(identity.kind) from None
        actor.record(
            conn,
            IdentityChanged(
                subject_blind_id=blind, kind=identity.kind, change="replaced", removed=len(dropped)
            ),
        )
        return True

    def remove_identity(
        self,
        conn: Connection,
        subject_id: str,
        kind: str,
        value: str | None = None,
        *,
        actor: Actor,
    ) -> int:
        """Remove the subject's identity ``(kind, value)``, or every one of ``kind`` when
        ``value`` is None; how many were removed (0: it had none, nothing changed).

        The last identity of a subject is never removed (a subject must stay
        findable): ``IdentityError`` says to erase the subject instead. Audited
        as ``subject.identity_change`` naming the kind (never a value), or as
        ``subject.read`` of the id when nothing matched.
        """
        wanted = check_kind(kind)
        index = None if value is None else self._blind_index(normalise(wanted, value))
        self._check_id(subject_id)
        self._lock_live(conn, subject_id, "its identities")
        held = self._identity_keys(conn, subject_id)
        gone = [
            row.id
            for row in held
            if row.kind == wanted and (index is None or bytes(row.blind_index) == index)
        ]
        blind = self.blind_id(subject_id)
        if not gone:
            actor.record(conn, SubjectRead(subject_blind_id=blind, fields=("id",)))
            return 0
        if len(gone) == len(held):
            raise IdentityError(
                f"the {wanted!r} identity is the subject's last one, and a subject without "
                "identities could never be found again: to remove the person, erase the "
                "subject instead (Vault.erase, POST /api/v1/subjects/{id}/erase)"
            )
        conn.execute(delete(subject_identities).where(subject_identities.c.id.in_(gone)))
        actor.record(
            conn,
            IdentityChanged(
                subject_blind_id=blind, kind=wanted, change="removed", removed=len(gone)
            ),
        )
        return len(gone)

    def erase(self, conn: Connection, subject_id: str, *, actor: Actor) -> bool:
        """Crypto-shred the subject; True if this call erased it, False if it already was.

        Safe to run again after any interruption. Audited as ``subject.erase``
        either way (an erasure asked twice is still an erasure asked).
        """
        self._check_id(subject_id)
        row = self._lock_subject(conn, subject_id)
        if row is None:
            raise SubjectNotFound("no subject has this id")
        # Key first, committed at once: from here on no copy of the main store,
        # backups included, can decrypt this subject, whatever happens next.
        self._keys.delete_data_key(subject_id)
        actor.record(conn, SubjectErased(subject_blind_id=self.blind_id(subject_id)))
        if row.erased_at is not None:
            return False
        conn.execute(
            delete(subject_identities).where(subject_identities.c.subject_id == subject_id)
        )
        conn.execute(
            update(subjects)
            .where(subjects.c.id == subject_id)
            .values(attributes=None, erased_at=utcnow())
        )
        return True

    # Sealing for other rooms ---------------------------------------------------------

    def seal_for(self, subject_id: str, field: str, data: bytes) -> bytes:
        """``data`` sealed under the subject's data key, bound to ``field``.

        For another room's personal values (a consent's proof details): they
        are shredded with the subject, like the vault's own fields.
        """
        self._check_id(subject_id)
        return crypto.seal_field(self._keys.data_key(subject_id), subject_id, field, data)

    def open_for(
        self, conn: Connection, subject_id: str, field: str, sealed: bytes
    ) -> bytes | None:
        """What ``seal_for`` sealed, or None once the subject is erased.

        The subject's row is read first, in ``conn``: a process that still holds
        the data key in its cache never opens anything of an erased subject.
        """
        row = self._subject_row(conn, subject_id)
        if row.erased_at is not None:
            return None
        try:
            key = self._live_key(row)
        except DataKeyMissingError:
            return None
        return crypto.open_field(key, subject_id, field, sealed)

    # Keys for other rooms -----------------------------------------------------------

    def blind_id(self, subject_id: str) -> str:
        """A stable keyed hash of the subject id (32 hex), for audit entries and logs."""
        key = self._keys.vault_key(_AUDIT_KEY)
        return crypto.keyed_digest(key, "gardien.vault.blind-id.v1", subject_id).hex()[:32]

    def derived_secret(self, purpose_name: str) -> bytes:
        """The vault's random 32-byte secret for ``purpose_name`` (e.g. ``unsubscribe``).

        Created on first use, kept wrapped by the master key in the key store,
        re-wrapped by master key rotation.
        """
        name = purpose_name
        if not isinstance(name, str) or not _PURPOSE_NAME.fullmatch(name):
            raise VaultError(
                "a secret's purpose name is lower-case letters, digits and underscores, "
                "starting with a letter, at most 64 characters (e.g. unsubscribe)"
            )
        if name == _BLIND_INDEX_KEY:
            raise VaultError("the blind-index key is the vault's own: choose another name")
        return self._keys.vault_key(name)

    # Internals ----------------------------------------------------------------------

    def _blind_index(self, identity: Identity) -> bytes:
        return crypto.blind_index(
            self._keys.vault_key(_BLIND_INDEX_KEY), identity.kind, identity.value
        )

    def _identity_row(
        self, data_key: bytes, subject_id: str, identity: Identity, index: bytes
    ) -> dict[str, Any]:
        sealed = crypto.seal_field(
            data_key, subject_id, _identity_field(identity.kind), identity.value.encode("utf-8")
        )
        return {
            "subject_id": subject_id,
            "kind": identity.kind,
            "blind_index": index,
            "value": sealed,
        }

    def _seal_attributes(
        self, data_key: bytes, subject_id: str, values: dict[str, JSONValue]
    ) -> bytes:
        return crypto.seal_field(data_key, subject_id, _ATTRIBUTES_FIELD, attrs.encode(values))

    def _open_attributes(
        self, data_key: bytes, subject_id: str, sealed: bytes | None
    ) -> dict[str, JSONValue]:
        if sealed is None:
            return {}
        return attrs.decode(crypto.open_field(data_key, subject_id, _ATTRIBUTES_FIELD, sealed))

    def _write_attributes(
        self, conn: Connection, data_key: bytes, subject_id: str, values: dict[str, JSONValue]
    ) -> None:
        conn.execute(
            update(subjects)
            .where(subjects.c.id == subject_id)
            .values(attributes=self._seal_attributes(data_key, subject_id, values))
        )

    def _check_id(self, subject_id: object) -> None:
        if not isinstance(subject_id, str) or not _SUBJECT_ID.fullmatch(subject_id):
            raise SubjectNotFound("no subject has this id: a subject id is 32 hex digits")

    def _subject_row(self, conn: Connection, subject_id: str) -> Any:
        self._check_id(subject_id)
        row = conn.execute(select(subjects).where(subjects.c.id == subject_id)).first()
        if row is None:
            raise SubjectNotFound("no subject has this id")
        return row

    def _live_key(self, row: Any) -> bytes:
        """The data key of the subject whose row the caller just read in its transaction.

        Every decryption takes its key here, from a row, never from an id: the
        row, not this process's key cache, says whether the subject is erased,
        so a key cached before another process erased the subject opens nothing.
        """
        if row.erased_at is not None:
            raise SubjectErasedError("this person's data was erased: it can no longer be read")
        return self._keys.data_key(row.id)

    def _lock_live(self, conn: Connection, subject_id: str, what: str) -> Any:
        """The subject's row, locked; ``SubjectNotFound`` or ``SubjectErasedError`` otherwise."""
        row = self._lock_subject(conn, subject_id)
        if row is None:
            raise SubjectNotFound("no subject has this id")
        if row.erased_at is not None:
            raise SubjectErasedError(f"the subject was erased: {what} cannot be changed")
        return row

    def _identity_keys(self, conn: Connection, subject_id: str) -> list[Any]:
        """The subject's identity rows without their sealed values: id, kind, blind index."""
        table = subject_identities
        return list(
            conn.execute(
                select(table.c.id, table.c.kind, table.c.blind_index)
                .where(table.c.subject_id == subject_id)
                .order_by(table.c.id)
            )
        )

    def _lock_subject(self, conn: Connection, subject_id: str) -> Any:
        # FOR UPDATE serialises merges and erasure of one subject on PostgreSQL; SQLite
        # ignores it, its writers being serialised already by BEGIN IMMEDIATE.
        return conn.execute(
            select(subjects).where(subjects.c.id == subject_id).with_for_update()
        ).first()
