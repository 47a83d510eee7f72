"""Where each self-counting batch of a sweep reads: a range of the table's pages.

On PostgreSQL a sweep that deletes whole rows walks the table in the order
its rows are stored (``connectors/counted.py``): batch after batch, the due
rows stored after a row address and before a page. Each batch has a budget
of rows, sized by time as windows of keys are (a batch that took under half
of ``BATCH_SECONDS`` doubles the next budget, one that took over twice halves
it, from ``GARDIEN_RETENTION_BATCH_ROWS`` up to ``MAX_RANGE_ROWS``):

- a budget of at least a page's rows buys a range of as many pages as hold
  that many rows (PostgreSQL's estimate of rows a page), all of whose due rows
  one plain ``DELETE`` removes in one pass, as a bulk statement would;
- a smaller budget (a setting of a few rows) reads one page, at most that
  many due rows of it in storage order; the next batch goes on after the last
  address deleted until the page is done.

The last range is open-ended, so rows stored at the end of the table during
the sweep are swept too; rows stored meanwhile in the free space of pages
already read wait for the next run, as rows inserted behind a window of keys
do. Every range is recorded with the batch that read it and the next one with
it, so a replay after a crash reads the same ranges.
"""

from __future__ import annotations

from dataclasses import dataclass

from gardien.connectors.counted import TableSize
from gardien.jobs.queue import JsonValue

#: A batch whose action took less than half this grows (doubles) for the next; one that
#: took more than twice this shrinks (halves), never below GARDIEN_RETENTION_BATCH_ROWS.
BATCH_SECONDS = 1.0
#: The most rows a range grows to hold. A range's batch holds no key in memory, and time
#: alone keeps its transaction short: a fast database deletes this many in well under a
#: second, so that a large table is swept in tens of batches, not thousands.
MAX_RANGE_ROWS = 1_000_000


@dataclass(frozen=True)
class RowRange:
    """A batch's place: the due rows stored after the address ``after`` and before page
    ``before_page`` (None: to the end of the table), at most ``limit`` of them (None: all);
    ``budget`` is the rows the range was drawn for."""

    after: str
    before_page: int | None
    limit: int | None
    budget: int

    def as_json(self) -> dict[str, JsonValue]:
        return {
            "after": self.after,
            "before_page": self.before_page,
            "limit": self.limit,
            "budget": self.budget,
        }

    @classmethod
    def from_json(cls, data: dict[str, JsonValue]) -> RowRange:
        before, limit = data.get("before_page"), data.get("limit")
        return cls(
            after=str(data["after"]),
            before_page=int(str(before)) if before is not None else None,
            limit=int(str(limit)) if limit is not None else None,
            budget=int(str(data["budget"])),
        )


def first_range(least: int, table: TableSize) -> RowRange:
    """The first batch's range: ``least`` rows' worth from the table's first page."""
    return _drawn(0, least, table)


def next_range(
    done: RowRange, deleted: int, last: str | None, seconds: float, least: int, table: TableSize
) -> RowRange | None:
    """The range after ``done``, whose batch deleted ``deleted`` rows (with a limit, the
    last stored at ``last``) in ``seconds``; None when the sweep has read the whole table."""
    budget = next_budget(done.budget, seconds, least)
    if done.limit is not None and deleted >= done.limit and last is not None:
        # The page may hold more due rows than the batch took: go on inside it.
        limit = budget if budget < table.rows_per_page else None
        return RowRange(last, done.before_page, limit, budget)
    if done.before_page is None:
        return None
    return _drawn(done.before_page, budget, table)


def next_budget(budget: int, seconds: float, least: int) -> int:
    """The next batch's budget of rows after one of ``budget`` that took ``seconds``."""
    if seconds < BATCH_SECONDS / 2:
        budget *= 2
    elif seconds > BATCH_SECONDS * 2:
        budget //= 2
    return max(least, min(budget, max(MAX_RANGE_ROWS, least)))


def _drawn(start: int, budget: int, table: TableSize) -> RowRange:
    """The range from page ``start`` for ``budget`` rows: whole pages when the budget
    fills at least one, else one page and a limit."""
    pages = int(budget // table.rows_per_page)
    limit = None if pages >= 1 else budget
    pages = max(pages, 1)
    end = start + pages
    # The range that reaches the table's end has none: it takes rows stored there meanwhile.
    return RowRange(f"({start},0)", end if end < table.pages else None, limit, budget)
