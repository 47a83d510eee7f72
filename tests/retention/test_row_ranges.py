"""A sweep's self-counting batches walk a PostgreSQL table by row address, a range of pages
at a time: every due row goes exactly once, whatever the batch sizes, and nothing else."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, DateTime, Engine, Integer, MetaData, Table, create_engine, text

from company_databases import company_database
from gardien.connectors import counted
from gardien.connectors.counted import TableSize
from gardien.retention.row_ranges import (
    BATCH_SECONDS,
    MAX_RANGE_ROWS,
    RowRange,
    first_range,
    next_budget,
    next_range,
)

POSTGRES_URL = os.environ.get("GARDIEN_TEST_POSTGRES_URL")
CUTOFF = dt.datetime(2025, 6, 1)
OLD, YOUNG = CUTOFF - dt.timedelta(days=30), CUTOFF + dt.timedelta(days=30)

seconds = st.floats(min_value=0.0, max_value=BATCH_SECONDS * 4, allow_nan=False)


sizes = st.builds(
    TableSize,
    pages=st.integers(0, 200_000),
    rows_per_page=st.floats(min_value=1.0, max_value=291.0, allow_nan=False),
)


@given(
    least=st.integers(1, 20_000),
    budget=st.integers(1, 2_000_000),
    start=st.integers(0, 10_000),
    pages=st.integers(1, 10_000),
    limited=st.booleans(),
    share=st.floats(min_value=0.0, max_value=1.0),
    took=seconds,
    table=sizes,
    bounded=st.booleans(),
)
def test_the_next_range_goes_on_inside_a_full_page_or_starts_where_the_last_ended(
    least: int, budget: int, start: int, pages: int, limited: bool, share: float,
    took: float, table: TableSize, bounded: bool,
) -> None:  # fmt: skip
    budget = max(budget, least)
    limit = max(1, budget // 3) if limited else None
    done = RowRange(f"({start},3)", start + pages if bounded else None, limit, budget)
    deleted = int(share * (limit if limit is not None else budget))
    last = "(7,2)" if deleted and limit is not None else None
    following = next_range(done, deleted, last, took, least, table)
    if following is not None:
        assert following.budget == next_budget(budget, took, least)
        assert least <= following.budget <= max(MAX_RANGE_ROWS, least)
        # A limit only where the budget is less than a page's rows.
        assert (following.limit is not None) == (following.budget < table.rows_per_page)
    if limit is not None and deleted == limit:
        # The range may hold more due rows: the next batch goes on after the last deleted.
        assert following is not None
        assert (following.after, following.before_page) == ("(7,2)", done.before_page)
    elif not bounded:
        assert following is None  # the open-ended last range is read: the sweep is over
    else:
        assert following is not None
        assert following.after == f"({start + pages},0)"  # the next page, nothing skipped
        drawn = max(1, int(following.budget // table.rows_per_page))
        if following.before_page is not None:
            assert following.before_page == start + pages + drawn < table.pages
        else:
            assert start + pages + drawn >= table.pages


@given(budget=st.integers(1, 2_000_000), took=seconds, least=st.integers(1, 20_000))
def test_a_budget_doubles_after_a_fast_batch_and_halves_after_a_slow_one(
    budget: int, took: float, least: int
) -> None:
    budget = max(budget, least)
    following = next_budget(budget, took, least)
    if took < BATCH_SECONDS / 2:
        assert following == min(budget * 2, max(MAX_RANGE_ROWS, least))
    elif took > BATCH_SECONDS * 2:
        assert following == max(least, budget // 2)
    else:
        assert following == min(budget, max(MAX_RANGE_ROWS, least))


def test_the_first_range_holds_about_the_first_budget_of_rows_from_the_start() -> None:
    # 120 rows a page, a budget of 5,000: 41 whole pages, every due row in them.
    assert first_range(5_000, TableSize(10_000, 120.0)) == RowRange("(0,0)", 41, None, 5_000)
    # A budget of one row: the first page, one due row of it.
    assert first_range(1, TableSize(10_000, 120.0)) == RowRange("(0,0)", 1, 1, 1)
    # A small table: one open-ended range, rows added meanwhile included.
    assert first_range(5_000, TableSize(40, 120.0)) == RowRange("(0,0)", None, None, 5_000)


needs_postgres = pytest.mark.skipif(
    POSTGRES_URL is None, reason="row addresses are PostgreSQL's: set GARDIEN_TEST_POSTGRES_URL"
)

metadata = MetaData()
events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", DateTime, nullable=False),
)


def _create(engine: Engine) -> None:
    with engine.begin() as conn:
        # A few rows a page, so that a small table spans many pages.
        conn.execute(
            text(
                "CREATE TABLE events (id integer PRIMARY KEY, created_at timestamp NOT NULL)"
                " WITH (fillfactor = 10)"
            )
        )
        conn.execute(text("CREATE TABLE shards (id integer, at timestamp) PARTITION BY RANGE (id)"))
        conn.execute(text("CREATE VIEW recent AS SELECT * FROM events"))


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    if POSTGRES_URL is None:
        pytest.skip("row addresses are PostgreSQL's: set GARDIEN_TEST_POSTGRES_URL")
    directory = tmp_path_factory.mktemp("ranges")
    with company_database(_create, postgresql=True, directory=directory, name="ranges") as url:
        engine = create_engine(url)
        yield engine
        engine.dispose()


def _fill(engine: Engine, due: list[bool], first_id: int = 0) -> None:
    rows = [
        {"id": first_id + n, "created_at": OLD if is_due else YOUNG} for n, is_due in enumerate(due)
    ]
    with engine.begin() as conn:
        if first_id == 0:
            conn.execute(text("TRUNCATE events"))
        if rows:
            conn.execute(events.insert(), rows)


def _due() -> list[Any]:
    return [events.c.created_at <= CUTOFF]


def _walk(
    engine: Engine, least: int, timings: Iterator[float], on_batch: Any = None
) -> tuple[int, int]:
    """Every batch of a sweep, as the retention run draws them: (rows deleted, batches)."""
    place: RowRange | None = None
    total = batches = 0
    while True:
        with engine.begin() as conn:
            size = counted.table_size(conn, events)
            here = place if place is not None else first_range(least, size)
            deleted, last = counted.delete_next_due(
                conn, events, _due(), here.after, here.before_page, here.limit
            )
            assert here.limit is None or deleted <= here.limit
        total, batches = total + deleted, batches + 1
        if on_batch is not None:
            on_batch(batches)
        place = next_range(here, deleted, last, next(timings), least, size)
        if place is None:
            return total, batches
        assert batches < 10_000, "the walk does not end"


def _left(engine: Engine) -> list[tuple[int, dt.datetime]]:
    with engine.connect() as conn:
        return sorted((r.id, r.created_at) for r in conn.execute(events.select()))


@needs_postgres
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    # From one page to about twenty, the first range from one page to six.
    due=st.lists(st.booleans(), min_size=41, max_size=400),
    least=st.integers(1, 300),
    timings=st.lists(seconds, min_size=1, max_size=20),
)
def test_every_due_row_goes_once_and_every_other_row_stays_whatever_the_batch_sizes(
    company: Engine, due: list[bool], least: int, timings: list[float]
) -> None:
    _fill(company, due)

    def cycle() -> Iterator[float]:
        while True:
            yield from timings

    deleted, _ = _walk(company, least, cycle())
    assert deleted == sum(due)
    assert _left(company) == [(n, YOUNG) for n, is_due in enumerate(due) if not is_due]


@needs_postgres
def test_rows_stored_at_the_end_of_the_table_during_the_sweep_are_swept_by_it(
    company: Engine,
) -> None:
    _fill(company, [n % 3 == 0 for n in range(600)])

    def append_more(batch: int) -> None:
        if batch == 1:  # after the first batch, due and young rows appended
            _fill(company, [n % 2 == 0 for n in range(100)], first_id=1_000)

    deleted, batches = _walk(company, 5, iter(lambda: 0.0, 1.0), on_batch=append_more)
    assert batches > 2
    assert deleted == 200 + 50
    assert all(at == YOUNG for _, at in _left(company))
    assert len(_left(company)) == 400 + 50


@needs_postgres
def test_a_rolled_back_batch_leaves_due_rows_between_its_first_and_last_address(
    company: Engine,
) -> None:
    _fill(company, [True] * 50)
    with company.connect() as conn:
        trans = conn.begin()
        deleted, last = counted.delete_next_due(conn, events, _due(), "(0,0)", None, 20)
        trans.rollback()
    assert deleted == 20 and last is not None
    with company.connect() as conn:
        assert counted.any_due_between(conn, events, _due(), "(0,0)", None, last)
    with company.begin() as conn:
        deleted, last = counted.delete_next_due(conn, events, _due(), "(0,0)", None, 20)
    with company.connect() as conn:
        assert last is not None
        assert not counted.any_due_between(conn, events, _due(), "(0,0)", None, last)
        assert counted.any_due_between(conn, events, _due(), "(0,0)", None, None)
    # A whole range deleted in one statement: no row address comes back, its range tells.
    with company.begin() as conn:
        deleted, last = counted.delete_next_due(conn, events, _due(), "(0,0)", 2, None)
    assert last is None and deleted > 0
    with company.connect() as conn:
        assert not counted.any_due_between(conn, events, _due(), "(0,0)", 2, None)
        assert counted.any_due_between(conn, events, _due(), "(0,0)", None, None)


@needs_postgres
def test_only_an_ordinary_table_is_swept_by_row_address(company: Engine) -> None:
    """A partitioned table repeats row addresses across its partitions, a view has none:
    their sweeps claim windows of keys instead."""
    shards = Table("shards", MetaData(), Column("id", Integer))
    recent = Table("recent", MetaData(), Column("id", Integer))
    with company.connect() as conn:
        assert counted.deletes_by_row_address(conn, events)
        assert not counted.deletes_by_row_address(conn, shards)
        assert not counted.deletes_by_row_address(conn, recent)
