"""A company's SQL database, through SQLAlchemy Core: nothing dialect-specific, but for
retention's self-counting deletes on PostgreSQL (``connectors/counted.py``).

Tables are reflected from the live database the first time they are used
(the declared ones, together; never the rest of the schema), so the
connector works on a schema gardien did not create. Reads select the columns
asked for only, one ``IN`` query per batch of values (the caller batches),
and stream their rows; ``reading()`` runs many reads on one connection (a
person's rows are found in a dozen queries: one checkout, not a dozen), and
writes go through one transaction per ``transaction()`` block. A database
that cannot be reached raises ``DatastoreUnavailableError`` (the request
waits and retries); a table or column the declaration names and the database
lacks raises ``SchemaMismatchError``, naming it, also when it disappears
after the connector read the schema.

The declared tables are reflected once per connector (``describe`` reads
the whole schema afresh each time): the worker keeps its connectors across
requests and closes them when a datastore went away or its schema changed,
so the next request reflects them again.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import threading
import warnings
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Delete,
    Engine,
    MetaData,
    Select,
    Table,
    and_,
    bindparam,
    case,
    create_engine,
    delete,
    func,
    insert,
    inspect,
    or_,
    select,
    text,
    union,
    union_all,
    update,
)
from sqlalchemy.engine import Inspector, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError

from gardien.connectors import counted
from gardien.connectors.base import (
    ANONYMISED,
    DueCount,
    DueWhere,
    Hop,
    LiveCollection,
    LiveColumn,
    LiveSchema,
    Reach,
    Row,
)
from gardien.errors import ConnectorError, DatastoreUnavailableError, SchemaMismatchError

#: The name of the bound list of values in lookups and deletions.
_VALUES = "values"

#: Rows fetched from the server at a time while streaming a read; a read that finds no
#: more than this is done in one round trip.
STREAM_ROWS = 1000


def _column(table: Table, name: str) -> Column[Any]:
    try:
        return table.c[name]
    except KeyError:
        raise SchemaMismatchError(
            f"table {table.name!r} has no column {name!r}: correct the declaration's "
            "datastores section, or run `gardien datastores check`"
        ) from None


def _coerce(column: Column[Any], values: Sequence[Any]) -> list[Any]:
    """Values as the column's type wants them: an identity arrives as text, an id column
    may be an integer (a value that does not convert cannot match: it is dropped)."""
    try:
        wanted = column.type.python_type
    except NotImplementedError:
        return list(values)
    out = []
    for value in values:
        if value is None or isinstance(value, wanted):
            out.append(value)
            continue
        try:
            out.append(wanted(value))
        except (TypeError, ValueError):
            continue
    return out


@dataclass(frozen=True)
class _Lookup:
    """The statements of one kind of read, built once per connector: ``first`` reads at
    most ``STREAM_ROWS`` + 1 rows, ``whole`` all of them (streamed). ``where`` are the
    columns looked up, the ``i``-th bound to the parameter ``_parameter(i)``."""

    where: tuple[Column[Any], ...]
    first: Select[Any]
    whole: Select[Any]
    #: Per column of ``where``: compared in lower case (``match: casefold``).
    folded: tuple[bool, ...] = ()

    def parameters(self, lookups: Sequence[Sequence[Any]]) -> dict[str, list[Any]] | None:
        """The statement's parameters for the values of each column (in ``where``'s
        order), as the columns' types want them; None when no value is left."""
        folded = self.folded or (False,) * len(self.where)
        pairs = zip(self.where, lookups, folded, strict=True)
        wanted = [_matched_values(column, values, fold) for column, values, fold in pairs]
        if not any(wanted):
            return None
        return {_parameter(i): values for i, values in enumerate(wanted)}


#: An index's first expression when it is ``lower(column)``, as PostgreSQL
#: (``lower((email)::text)``) and SQLite (``lower(email)``) describe it.
_LOWER_INDEX = re.compile(r'lower\(\(?"?(\w+)"?\)?(?:::\w+(?: \w+)*)?\)', re.IGNORECASE)


def _matched_values(column: Column[Any], values: Sequence[Any], folded: bool) -> list[Any]:
    """``values`` as ``column`` wants them, in lower case where it is compared so."""
    coerced = _coerce(column, values)
    if not folded:
        return coerced
    return list(dict.fromkeys(v.lower() if isinstance(v, str) else v for v in coerced))


def _parameter(position: int) -> str:
    return _VALUES if position == 0 else f"{_VALUES}_{position}"


def _streamed(conn: Connection, lookup: _Lookup, parameters: Mapping[str, Any]) -> Iterator[Row]:
    """The rows whose lookup column holds one of ``values``, so that memory does not grow
    with a person's row count.

    Most lookups find a few rows: they are read in one round trip, the first
    ``STREAM_ROWS`` + 1 at most. Only when there are more is the query run again
    through a server-side cursor (where the driver has one), ``STREAM_ROWS`` at a
    time: a cursor costs three round trips (declare, fetch, close), and a person
    whose rows are found in a dozen queries would pay them a dozen times."""
    first = conn.execute(lookup.first, parameters)
    names = tuple(first.keys())
    rows = first.fetchall()
    if len(rows) <= STREAM_ROWS:
        for row in rows:
            yield dict(zip(names, row, strict=True))
        return
    del rows
    # Per statement: Connection.execution_options would stream every later statement
    # on the connection too (a server-side cursor cannot hold an UPDATE).
    result = conn.execute(lookup.whole, parameters, execution_options={"yield_per": STREAM_ROWS})
    for row in result:
        yield dict(zip(names, row, strict=True))


class _SqlReader:
    """Reads on one connection (``SqlConnector.reading``)."""

    def __init__(self, connector: SqlConnector, conn: Connection) -> None:
        self.connector = connector
        self.conn = conn

    def rows_where(
        self, collection: str, column: str, values: Sequence[Any], columns: Sequence[str]
    ) -> Iterator[Row]:
        yield from self.rows_matching(collection, {column: values}, columns)

    def rows_matching(
        self,
        collection: str,
        lookups: Mapping[str, Sequence[Any]],
        columns: Sequence[str],
    ) -> Iterator[Row]:
        lookup = self.connector.lookup(collection, tuple(lookups), columns)
        parameters = lookup.parameters(list(lookups.values()))
        if parameters is None:
            return
        with self.connector.translated_errors():
            yield from _streamed(self.conn, lookup, parameters)

    def count_due(self, collection: str, due: DueWhere, later: DueWhere) -> DueCount:
        table = self.connector.table(collection)
        anchor = _column(table, due.anchor)
        now = and_(*_due_clauses(table, due))
        statement = select(
            func.coalesce(func.sum(case((now, 1), else_=0)), 0),
            func.min(case((now, anchor), else_=None)),
            func.count(),
        ).where(*_due_clauses(table, later))
        with self.connector.translated_errors():
            due_now, oldest, by_soon = self.conn.execute(statement).one()
        return DueCount(int(due_now), oldest, int(by_soon) - int(due_now))

    def due_keys(
        self,
        collection: str,
        key: str,
        due: DueWhere,
        after: Any | None,
        limit: int,
        through: Any | None = None,
    ) -> list[Any]:
        table = self.connector.table(collection)
        column = _column(table, key)
        clauses = _due_clauses(table, due) + _window(column, after, through)
        statement = select(column).where(*clauses).order_by(column).limit(limit)
        with self.connector.translated_errors():
            return list(self.conn.execute(statement).scalars())

    def due_window(
        self, collection: str, key: str, due: DueWhere, after: Any | None, limit: int
    ) -> tuple[Any, int] | None:
        table = self.connector.table(collection)
        with self.connector.translated_errors():
            return _due_window(self.conn, table, key, due, after, limit)

    def transaction_fate(self, txid: int) -> counted.TransactionFate:
        """What became of the transaction ``txid`` (PostgreSQL only)."""
        return counted.transaction_fate(self.conn, txid)

    def any_due_between(
        self,
        collection: str,
        due: DueWhere,
        after: str,
        before_page: int | None,
        through: str | None,
    ) -> bool:
        """Whether a due row is still stored in a batch's range (PostgreSQL only)."""
        table = self.connector.table(collection)
        with self.connector.translated_errors():
            return counted.any_due_between(
                self.conn, table, _due_clauses(table, due), after, before_page, through
            )

    def table_size(self, collection: str) -> counted.TableSize:
        """The collection's table's pages now and rows a page (PostgreSQL only)."""
        with self.connector.translated_errors():
            return counted.table_size(self.conn, self.connector.table(collection))

    def count_below(
        self,
        collection: str,
        due: DueWhere,
        target: str,
        target_key: str,
        paths: Sequence[Sequence[Hop]],
    ) -> int:
        if not paths:
            return 0
        table = self.connector.table(collection)
        reached = []
        for path in paths:
            parent, clauses = table, _due_clauses(table, due)
            for hop in path:
                child = self.connector.table(hop.child)
                clauses = [
                    _column(child, hop.field).in_(
                        select(_column(parent, hop.referenced)).where(*clauses)
                    )
                ]
                parent = child
            reached.append(select(_column(parent, target_key)).where(*clauses))
        keys = _column(self.connector.table(target), target_key)
        statement = select(func.count()).where(keys.in_(union(*reached)))
        with self.connector.translated_errors():
            return int(self.conn.execute(statement).scalar_one())


def _reach_shape(reach: Reach) -> tuple[Any, ...]:
    """What the statements describing ``reach`` depend on (not its values): their cache key."""
    return (
        tuple(column for column, values in reach.lookups.items() if values),
        tuple((c, name, pc, _reach_shape(parent)) for c, name, pc, parent in reach.through),
    )


def _reach_values(connector: SqlConnector, table: Table, reach: Reach) -> list[list[Any]]:
    """The values ``_branches`` binds, in the order it names them."""
    values = [
        _matched_values(_column(table, column), listed, connector.folds(table.name, column))
        for column, listed in reach.lookups.items()
        if listed
    ]
    for _column_name, parent_name, _parent_column, parent_reach in reach.through:
        values += _reach_values(connector, connector.table(parent_name), parent_reach)
    return values


def _branches(
    connector: SqlConnector, table: Table, reach: Reach, names: Iterator[str]
) -> list[ColumnElement[bool]]:
    """``reach`` as conditions on ``table``, each an index scan: the lists of values in
    one ``OR`` of ``IN``s, then one ``IN`` of the parent's reached keys per parent. Each
    list is a bound parameter named by ``names``, in ``_reach_values``' order."""
    branches: list[ColumnElement[bool]] = []
    lists = [
        connector.compared(table, column).in_(bindparam(next(names), expanding=True))
        for column, values in reach.lookups.items()
        if values
    ]
    if lists:
        branches.append(or_(*lists))
    for column, parent_name, parent_column, parent_reach in reach.through:
        parent = connector.table(parent_name)
        reached = [
            select(_column(parent, parent_column)).where(branch)
            for branch in _branches(connector, parent, parent_reach, names)
        ]
        if reached:
            keys = reached[0] if len(reached) == 1 else union_all(*reached)
            branches.append(_column(table, column).in_(keys))
    return branches


def _due_window(
    conn: Connection, table: Table, key: str, due: DueWhere, after: Any | None, limit: int
) -> tuple[Any, int] | None:
    column = _column(table, key)
    batch = (
        select(column.label("key"))
        .where(*_due_clauses(table, due), *_window(column, after, None))
        .order_by(column)
        .limit(limit)
        .subquery()
    )
    last, count = conn.execute(select(func.max(batch.c.key), func.count())).one()
    return None if not count else (last, int(count))


def _window(
    column: Column[Any], after: Any | None, through: Any | None
) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if after is not None:
        clauses.append(column > _coerce(column, [after])[0])
    if through is not None:
        clauses.append(column <= _coerce(column, [through])[0])
    return clauses


def _moment(column: Column[Any], moment: dt.datetime) -> dt.datetime | dt.date:
    """``moment`` (aware, UTC) as the column holds times: a date for a DATE column, naive
    UTC for a timestamp without a time zone."""
    try:
        wanted = column.type.python_type
    except NotImplementedError:
        return moment
    if wanted is dt.date:
        return moment.astimezone(dt.UTC).date()
    if getattr(column.type, "timezone", False):
        return moment
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def _due_clauses(table: Table, due: DueWhere) -> list[ColumnElement[bool]]:
    anchor = _column(table, due.anchor)
    clauses: list[ColumnElement[bool]] = [anchor <= _moment(anchor, due.before)]
    if due.ended is not None and due.ended_before is not None:
        ended = _column(table, due.ended)
        clauses = [or_(clauses[0], ended <= _moment(ended, due.ended_before))]
    if due.held_by is not None and due.held_until is not None:
        held = _column(table, due.held_by)
        clauses.append(or_(held.is_(None), held <= _moment(held, due.held_until)))
    if due.pending:
        clauses.append(or_(*(_still_there(_column(table, name)) for name in due.pending)))
    return clauses


def _still_there(column: Column[Any]) -> ColumnElement[bool]:
    try:
        text_column = column.type.python_type is str
    except NotImplementedError:
        text_column = False
    if text_column:
        return and_(column.is_not(None), column.not_like(f"{ANONYMISED}%"))
    return column.is_not(None)


class _SqlWriter(_SqlReader):
    """Reads and changes inside one transaction (``SqlConnector.transaction``)."""

    def transaction_id(self) -> int:
        """This transaction's id (PostgreSQL only: ``SqlConnector.counts_own_deletes``)."""
        return counted.transaction_id(self.conn)

    def delete_next_due(
        self,
        collection: str,
        due: DueWhere,
        after: str,
        before_page: int | None,
        limit: int | None,
    ) -> tuple[int, str | None]:
        """Delete the due rows stored after the row address ``after`` and before page
        ``before_page`` (the first ``limit`` of them, if given), in one statement that
        counts them: how many, and with a limit the address of the last (PostgreSQL only:
        ``connectors/counted.py``)."""
        table = self.connector.table(collection)
        with self.connector.translated_errors():
            return counted.delete_next_due(
                self.conn, table, _due_clauses(table, due), after, before_page, limit
            )

    def check_columns(self, collection: str, columns: Sequence[str]) -> None:
        table = self.connector.table(collection)
        for name in columns:
            _column(table, name)

    def nullable(self, collection: str, column: str) -> bool:
        return bool(_column(self.connector.table(collection), column).nullable)

    def insert_rows(self, collection: str, rows: Sequence[Mapping[str, Any]]) -> int:
        if not rows:
            return 0
        table = self.connector.table(collection)
        for name in rows[0]:
            _column(table, name)
        # Every row is inserted or the statement fails (a driver's executemany may not
        # count them: psycopg says -1).
        self.conn.execute(insert(table), list(rows))
        return len(rows)

    def delete_due(
        self, collection: str, key: str, due: DueWhere, after: Any | None, through: Any
    ) -> int:
        table = self.connector.table(collection)
        column = _column(table, key)
        clauses = _due_clauses(table, due) + _window(column, after, through)
        return int(self.conn.execute(delete(table).where(*clauses)).rowcount)

    def delete_rows(self, collection: str, key: str, keys: Sequence[Any]) -> int:
        column, statement = self.connector.deletion(collection, key)
        wanted = _coerce(column, keys)
        if not wanted:
            return 0
        return int(self.conn.execute(statement, {_VALUES: wanted}).rowcount)

    def delete_reached(self, collection: str, reach: Reach) -> int:
        statements = self.connector.reached_deletions(collection, reach)
        table = self.connector.table(collection)
        values = _reach_values(self.connector, table, reach)
        parameters = {_parameter(i): listed for i, listed in enumerate(values)}
        return sum(int(self.conn.execute(s, parameters).rowcount) for s in statements)

    def update_rows(
        self, collection: str, key: str, keys: Sequence[Any], values: Mapping[str, Any]
    ) -> int:
        table = self.connector.table(collection)
        column = _column(table, key)
        for name in values:
            _column(table, name)
        statement = update(table).where(column.in_(_coerce(column, keys))).values(**values)
        return int(self.conn.execute(statement).rowcount)

    def replace_values(
        self, collection: str, key: str, changes: Sequence[tuple[Any, Mapping[str, Any]]]
    ) -> int:
        table = self.connector.table(collection)
        column = _column(table, key)
        # One statement per set of columns, executed for every row of that set.
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for value, row in changes:
            coerced = _coerce(column, [value])
            if not coerced:
                continue  # a key of the wrong type matches no row
            names = tuple(sorted(row))
            for name in names:
                _column(table, name)
            groups.setdefault(names, []).append(
                {"_key": coerced[0], **{f"_v_{n}": row[n] for n in names}}
            )
        changed = 0
        for names, parameters in groups.items():
            statement = (
                update(table)
                .where(column == bindparam("_key"))
                .values({name: bindparam(f"_v_{name}") for name in names})
            )
            changed += int(self.conn.execute(statement, parameters).rowcount)
        return changed


class SqlConnector:
    """A SQL database at ``url`` (any dialect SQLAlchemy and its installed driver reach)."""

    kind: ClassVar[str] = "sql"

    def __init__(
        self,
        url: str,
        *,
        name: str = "datastore",
        tables: Collection[str] = (),
        casefold: Collection[tuple[str, str]] = (),
    ) -> None:
        self.name = name
        #: The (collection, column) pairs declared ``match: casefold``.
        self._casefold = frozenset(casefold)
        #: The tables requests will ask for (the declared collections): reflected together.
        self._expected = frozenset(tables)
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise ConnectorError(
                f"datastore {name!r}: its URL is not a database URL (e.g. "
                "postgresql+psycopg://user:password@host:5432/db or sqlite:////path/to.db)"
            ) from None
        self._safe_url = parsed.render_as_string(hide_password=True)
        self.engine: Engine = create_engine(parsed, pool_pre_ping=True)
        self._metadata = MetaData()
        self._tables: dict[str, Table] = {}
        self._lookups: dict[tuple[str, tuple[str, ...], tuple[str, ...]], _Lookup] = {}
        self._deletions: dict[tuple[str, str], tuple[Column[Any], Delete]] = {}
        self._reached: dict[tuple[str, tuple[Any, ...]], list[Delete]] = {}
        self._counting: dict[str, bool] = {}
        # Reflection fills shared metadata: a worker may warm its connectors in the
        # background while a request already asks for a table.
        self._reflecting = threading.Lock()

    def __repr__(self) -> str:
        return f"SqlConnector({self.name!r}, {self._safe_url})"

    def counts_own_deletes(self, collection: str) -> bool:
        """Whether a retention batch of ``collection`` can delete and count in one
        statement, by row address, its transaction's fate readable afterwards (an ordinary
        table on PostgreSQL 14 or later: ``connectors/counted.py``). Asked once a table."""
        if self.engine.dialect.name != "postgresql":
            return False
        found = self._counting.get(collection)
        if found is None:
            table = self.table(collection)
            with self.translated_errors(), self.engine.connect() as conn:
                found = counted.deletes_by_row_address(conn, table)
            self._counting[collection] = found
        return found

    def _unreachable(self, exc: OperationalError) -> DatastoreUnavailableError:
        reason = type(exc.orig).__name__
        return DatastoreUnavailableError(
            f"datastore {self.name!r} at {self._safe_url} cannot be reached ({reason}); "
            "the work will be retried: check that the database is up"
        )

    def table(self, name: str) -> Table:
        """The live table ``name``, reflected once: the first time, together with every
        table the connector was told to expect (a few catalog queries for all of them,
        instead of about ten per table)."""
        found = self._tables.get(name)
        if found is not None:
            return found
        with self._reflecting:
            return self._reflect(name)

    def _reflect(self, name: str) -> Table:
        found = self._tables.get(name)
        if found is not None:
            return found  # reflected while this thread waited
        wanted = {name} | (self._expected - self._tables.keys())
        try:
            with self.engine.connect() as conn, _expression_indexes_unread():
                self._metadata.reflect(
                    bind=conn,
                    only=lambda table, _metadata: table in wanted,
                    views=True,
                    resolve_fks=False,
                )
        except OperationalError as exc:
            raise self._unreachable(exc) from None
        for reflected in wanted & self._metadata.tables.keys():
            self._tables[reflected] = self._metadata.tables[reflected]
        if name not in self._tables:
            raise SchemaMismatchError(
                f"datastore {self.name!r} has no table {name!r}: correct the declaration's "
                "datastores section, or run `gardien datastores check`"
            )
        return self._tables[name]

    def lookup(
        self, collection: str, looked_up: tuple[str, ...], columns: Sequence[str]
    ) -> _Lookup:
        """The statements reading ``columns`` of the rows whose column, one of
        ``looked_up``, holds one of a list of values (each column its own list): an
        ``OR`` of indexed ``IN`` lookups, which every database runs as one index scan
        per column, each row once."""
        cache_key = (collection, looked_up, tuple(columns))
        found = self._lookups.get(cache_key)
        if found is None:
            table = self.table(collection)
            where = tuple(_column(table, column) for column in looked_up)
            matches = [
                self.compared(table, column).in_(bindparam(_parameter(i), expanding=True))
                for i, column in enumerate(looked_up)
            ]
            whole = select(*(_column(table, name) for name in columns)).where(or_(*matches))
            folded = tuple(self.folds(collection, column) for column in looked_up)
            found = self._lookups[cache_key] = _Lookup(
                where, whole.limit(STREAM_ROWS + 1), whole, folded
            )
        return found

    def count_with_capitals(self, collection: str, column: str) -> int:
        """How many rows of ``collection`` hold a value with a capital letter in ``column``
        (never the values): those an identity compared as stored would miss."""
        table = self.table(collection)
        found = _column(table, column)
        statement = select(func.count()).where(found.is_not(None), found != func.lower(found))
        with self.translated_errors(), self.engine.connect() as conn:
            return int(conn.execute(statement).scalar_one())

    def folds(self, collection: str, column: str) -> bool:
        """Whether ``column`` is compared with a person's identity in lower case."""
        return (collection, column) in self._casefold

    def compared(self, table: Table, column: str) -> ColumnElement[Any]:
        """What a person's identity is compared with: the column, or its lower case."""
        found = _column(table, column)
        return func.lower(found) if self.folds(table.name, column) else found

    def reached_deletions(self, collection: str, reach: Reach) -> list[Delete]:
        """The statements deleting the rows ``reach`` describes, built once per shape: one
        per branch (its lists of values, then each parent it is reached through), since
        an ``OR`` of sub-selects would make PostgreSQL scan the whole table."""
        cache_key = (collection, _reach_shape(reach))
        found = self._reached.get(cache_key)
        if found is None:
            table = self.table(collection)
            names = (_parameter(i) for i in itertools.count())
            found = self._reached[cache_key] = [
                delete(table).where(branch) for branch in _branches(self, table, reach, names)
            ]
        return found

    def deletion(self, collection: str, key: str) -> tuple[Column[Any], Delete]:
        """The statement deleting the rows whose ``key`` is in a list."""
        found = self._deletions.get((collection, key))
        if found is None:
            table = self.table(collection)
            column = _column(table, key)
            found = self._deletions[(collection, key)] = (
                column,
                delete(table).where(column.in_(bindparam(_VALUES, expanding=True))),
            )
        return found

    @contextmanager
    def translated_errors(self) -> Iterator[None]:
        """The database's errors as gardien's: unreachable (retry later), or a schema that
        no longer matches the declaration (a column dropped since it was read)."""
        try:
            yield
        except (OperationalError, ProgrammingError) as exc:
            # PostgreSQL says "column … does not exist" as a programming error; SQLite
            # says "no such column" as an operational one, like a file it cannot open.
            if isinstance(exc, OperationalError) and not _first_line(exc).startswith(
                _SQLITE_SCHEMA_ERRORS
            ):
                raise self._unreachable(exc) from None
            raise SchemaMismatchError(
                f"datastore {self.name!r} refused a query ({_first_line(exc)}): its schema "
                "no longer matches the declaration; correct the declaration's datastores "
                "section, or run `gardien datastores check`"
            ) from None

    def rows_where(
        self, collection: str, column: str, values: Sequence[Any], columns: Sequence[str]
    ) -> Iterator[Row]:
        with self.reading() as reader:
            yield from reader.rows_where(collection, column, values, columns)

    def rows_matching(
        self, collection: str, lookups: Mapping[str, Sequence[Any]], columns: Sequence[str]
    ) -> Iterator[Row]:
        with self.reading() as reader:
            yield from reader.rows_matching(collection, lookups, columns)

    @contextmanager
    def reading(self) -> Iterator[_SqlReader]:
        with self.translated_errors(), self.engine.connect() as conn:
            yield _SqlReader(self, conn)

    @contextmanager
    def transaction(self) -> Iterator[_SqlWriter]:
        with self.translated_errors(), self.engine.begin() as conn:
            yield _SqlWriter(self, conn)

    def describe(self) -> LiveSchema:
        with self.translated_errors(), self.engine.connect() as conn, _expression_indexes_unread():
            return _describe(inspect(conn))

    def warm(self) -> None:
        """Connect and read the declared tables now, rather than in the first request."""
        if self._expected:
            self.table(min(self._expected))

    def close(self) -> None:
        self.engine.dispose()


#: SQLite's wording for a table or column that is not there.
_SQLITE_SCHEMA_ERRORS = ("no such column", "no such table", "table has no column")


def _first_line(exc: OperationalError | ProgrammingError) -> str:
    """The driver's own wording, first line, without the statement or its parameters."""
    text = str(exc.orig).splitlines()[0] if exc.orig is not None else "an error"
    return text[:200]


@contextmanager
def _expression_indexes_unread() -> Iterator[None]:
    """SQLAlchemy cannot reflect SQLite's indexes on an expression and warns of each; the
    ones gardien needs (``lower(column)``) are read by ``_sqlite_lower_indexes``."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        yield


def _sqlite_lower_indexes(inspector: Inspector) -> dict[str, set[str]]:
    """The columns each SQLite table has an index on ``lower(column)`` of, from the
    indexes' own SQL (the one place SQLite keeps an index's expression)."""
    found: dict[str, set[str]] = {}
    query = text("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    bind = inspector.bind
    if isinstance(bind, Connection):
        rows = bind.execute(query).all()
    else:
        with bind.connect() as conn:
            rows = conn.execute(query).all()
    for table, statement in rows:
        opened = _SQLITE_LOWER.search(statement)
        if opened is not None:
            found.setdefault(table, set()).add(opened.group(1))
    return found


#: The first key of a SQLite ``CREATE INDEX … ON t (lower(column) …)``.
_SQLITE_LOWER = re.compile(r'\(\s*lower\s*\(\s*["`\[]?(\w+)["`\]]?\s*\)', re.IGNORECASE)


def _describe(inspector: Inspector) -> LiveSchema:
    """Every table of the default schema, through one connection, each kind of fact (columns,
    indexes, keys) read for all tables at once: an erasure asks before it starts, so this
    costs a few catalog queries, not five per table (PostgreSQL; SQLite asks per table)."""
    names = inspector.get_table_names()
    if not names:
        return LiveSchema({})
    columns = inspector.get_multi_columns(filter_names=names)
    indexes = inspector.get_multi_indexes(filter_names=names)
    lowered = _sqlite_lower_indexes(inspector) if inspector.dialect.name == "sqlite" else {}
    primary = inspector.get_multi_pk_constraint(filter_names=names)
    uniques = inspector.get_multi_unique_constraints(filter_names=names)
    foreign_keys = inspector.get_multi_foreign_keys(filter_names=names)
    collections = {}
    for name in names:
        key = (None, name)
        live = {
            column["name"]: LiveColumn(
                column["name"],
                str(column["type"]),
                temporal=_is_temporal(column["type"]),
                nullable=bool(column.get("nullable", True)),
            )
            for column in columns.get(key, ())
        }
        indexed = {
            index["column_names"][0]
            for index in indexes.get(key, ())
            if index["column_names"] and index["column_names"][0] is not None
        }
        # An index on lower(column) serves identities compared in lower case.
        indexed.update(f"lower({column})" for column in lowered.get(name, ()))
        indexed.update(
            f"lower({found.group(1)})"
            for index in indexes.get(key, ())
            for found in [_LOWER_INDEX.fullmatch(str((index.get("expressions") or [""])[0]))]
            if found is not None
        )
        pk = primary.get(key)
        if pk is not None:
            indexed.update((pk.get("constrained_columns") or [])[:1])
        for unique in uniques.get(key, ()):
            indexed.update(unique["column_names"][:1])
        foreign = tuple(
            (local, fk["referred_table"], remote)
            for fk in foreign_keys.get(key, ())
            for local, remote in zip(
                fk["constrained_columns"], fk["referred_columns"], strict=False
            )
        )
        collections[name] = LiveCollection(name, live, frozenset(indexed), foreign)
    return LiveSchema(collections)


def _is_temporal(column_type: Any) -> bool:
    try:
        return issubclass(column_type.python_type, dt.date)
    except NotImplementedError:
        return False
