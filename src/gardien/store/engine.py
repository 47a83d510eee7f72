"""Creating SQLAlchemy engines for gardien's store and key store.

SQLite is the zero-set-up default: a file in WAL mode, with foreign keys on
and a busy timeout, so that a server and a worker can share it. PostgreSQL is
used when the URL says so (psycopg 3).
"""

from __future__ import annotations

import os
import select
import sqlite3
import threading
import time
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError
from sqlalchemy.pool import ConnectionPoolEntry

from gardien.errors import StoreError


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL mode and foreign keys."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            "the database URL is not valid: write sqlite:///path/to/file.db or "
            "postgresql+psycopg://user:password@host:5432/database"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        _create_private(parsed.database)
        engine = create_engine(
            parsed, connect_args={"timeout": 30, "isolation_level": None}, pool_pre_ping=False
        )
        event.listen(engine, "connect", _configure_sqlite)
        _serialise_writers(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        engine = create_engine(parsed, pool_pre_ping=False, pool_size=10, max_overflow=20)
        _check_on_checkout(engine)
        return engine
    raise StoreError(
        f"database backend {parsed.get_backend_name()!r} is not supported: use SQLite or PostgreSQL"
    )


def _create_private(database: str | None) -> None:
    """Create a new SQLite file readable by its owner only; SQLite gives its WAL the same mode."""
    if not database or database == ":memory:" or os.path.exists(database):
        return
    try:
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise StoreError(f"cannot create the database file {database}: {exc.strerror}") from None


def _configure_sqlite(connection: sqlite3.Connection, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # NORMAL is durable in WAL mode except against power loss on the last commits.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Erased personal data is overwritten with zeros instead of lingering in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _serialise_writers(engine: Engine) -> None:
    """Queue this process's transactions on a lock before SQLite's own.

    Every transaction starts with BEGIN IMMEDIATE, which takes SQLite's write
    lock at once: two writers then queue instead of one failing with "database
    is locked" when it upgrades a read transaction. But SQLite's busy handler
    waits by sleeping, in steps up to 100 ms, so threads of one server
    contending for the lock get a tail latency of hundreds of milliseconds. A
    lock of the process's own wakes the next thread as soon as the previous
    transaction ends; other processes still queue through the busy handler.
    """
    lock = threading.RLock()

    def begin(connection: Any) -> None:
        lock.acquire()
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            lock.release()
            raise

    def end(_connection: Any) -> None:
        lock.release()

    event.listen(engine, "begin", begin)
    event.listen(engine, "commit", end)
    event.listen(engine, "rollback", end)


# A pooled connection idle for longer than this is pinged before use; one used
# more recently is trusted if its socket is quiet (HikariCP's "alive bypass window").
PING_AFTER_IDLE_SECONDS = 1.0
_RETURNED_AT = "gardien_returned_at"


def _check_on_checkout(engine: Engine) -> None:
    """Replace dead pooled PostgreSQL connections at checkout, pinging only idle ones.

    SQLAlchemy's ``pool_pre_ping`` costs a round trip per transaction, a tenth
    of a consent check on PostgreSQL. Instead, at each checkout:

    - a connection whose socket has something to read, or that psycopg already
      knows is closed, is discarded. An idle connection receives nothing unless
      its server ended it (restart, ``pg_terminate_backend``, idle timeouts send
      an error and close), so this catches those without a round trip;
    - a connection back in the pool for more than ``PING_AFTER_IDLE_SECONDS`` is
      pinged as before: it may have died silently (a host that vanished, a
      firewall that forgot the connection), which only a round trip reveals.

    A connection that fails either way is replaced and the checkout retried
    (SQLAlchemy's ``DisconnectionError`` protocol). A busy pool thus pings
    nothing, a quiet one pings as pre-ping did; what is left is a connection
    that dies silently within the second after its last use, the same as one
    dying during a transaction: the statement fails, SQLAlchemy recognises the
    disconnect and replaces every pooled connection older than the failure.
    """

    def returned(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    def checkout(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        if dbapi_connection.closed or dbapi_connection.broken or _readable(dbapi_connection):
            raise DisconnectionError("the server ended this pooled connection")
        returned_at = record.info.pop(_RETURNED_AT, None)
        if returned_at is not None and time.monotonic() - returned_at > PING_AFTER_IDLE_SECONDS:
            try:
                engine.dialect.do_ping(dbapi_connection)
            except engine.dialect.loaded_dbapi.Error as exc:
                raise DisconnectionError(f"the pooled connection failed its ping: {exc}") from exc

    event.listen(engine, "checkin", returned)
    event.listen(engine, "checkout", checkout)


def _readable(dbapi_connection: Any) -> bool:
    """Whether a connection with no query in flight has data waiting: its end, normally."""
    try:
        fd = dbapi_connection.pgconn.socket
        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(fd, select.POLLIN)
            return bool(poller.poll(0))
        return bool(select.select([fd], [], [], 0)[0])
    except Exception:  # no socket any more: psycopg raises when libpq has lost it
        return True


def relax_durability(connection: Connection) -> None:
    """Commit this transaction without waiting for the disk (PostgreSQL).

    For transactions whose only write is a record of a read, such as the audit
    entry of a consent check. PostgreSQL then acknowledges before flushing the
    WAL: a crash may lose the last fraction of a second of such records, never
    leave a gap (the WAL is flushed in order), and it is what SQLite's
    ``synchronous=NORMAL`` already does. The flush was four fifths of a check's
    time on PostgreSQL (docs/benchmarks.md).
    """
    if connection.dialect.name != "postgresql":
        return
    # Only inside a transaction SQLAlchemy has begun, so that its commit or rollback
    # ends the one opened here; otherwise SQLAlchemy begins one as it runs SET LOCAL.
    if not (
        connection.in_transaction() and _begin_relaxed(connection.connection.driver_connection)
    ):
        connection.exec_driver_sql(_RELAX)


_RELAX = "SET LOCAL synchronous_commit = off"
_BEGIN_RELAXED = f"BEGIN; {_RELAX}".encode()


def _begin_relaxed(driver: Any) -> bool:
    """Open the transaction and relax it in one round trip, if it is not open yet.

    psycopg opens a transaction with a ``BEGIN`` of its own, a round trip before
    the first statement. When nothing has run yet and the transaction has the
    server's defaults (no isolation level, read-only or deferrable of its own),
    ``BEGIN; SET LOCAL …`` goes as one simple query on the libpq connection, the
    escape hatch psycopg documents; psycopg reads the transaction status from
    libpq, so it then sends no ``BEGIN`` and commits or rolls back as usual.
    False when that does not apply or fails: the caller then runs ``SET LOCAL``
    through SQLAlchemy, which raises (and recognises a lost connection) normally.
    """
    from psycopg import pq

    if (
        driver.autocommit
        or driver.isolation_level is not None
        or driver.read_only is not None
        or driver.deferrable is not None
    ):
        return False
    with driver.lock:
        pgconn = driver.pgconn
        if pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return False
        try:
            result = pgconn.exec_(_BEGIN_RELAXED)
        except Exception:  # the connection is gone: let SQLAlchemy see it fail
            return False
        return bool(
            result.status == pq.ExecStatus.COMMAND_OK
            and pgconn.transaction_status == pq.TransactionStatus.INTRANS
        )


def is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"
