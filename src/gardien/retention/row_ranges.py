"""Where each self-counting batch of a sweep reads: a range of the table's pages.

On PostgreSQL a sweep that deletes whole rows walks the table in the order
its rows are stored (``connectors/counted.py``): batch after batch, the due
rows stored after a row address and before a page, at most ``limit`` of them.
A range is read once; when a batch took its ``limit`` and the range has more,
the next batch goes on from the last address it deleted. The last range is
open-ended, so rows stored at the end of the table during the sweep are
swept too; rows stored meanwhile in the free space of pages already read wait
for the next run, as rows inserted behind a key window do.

Ranges and limits are sized by time, like windows of keys: a batch that took
under half of ``BATCH_SECONDS`` doubles the next, one that took over twice
halves it. A range grows only while its batches take less than half their
limit (the range held fewer due rows than a batch may delete), and shrinks
when one fills its limit: each page is then read about once. Every range is
recorded with the batch that read it, so a replay after a crash reads the
same one.
"""

from __future__ import annotations

from dataclasses import dataclass

from gardien.connectors.counted import BEFORE_FIRST_ROW
from gardien.jobs.queue import JsonValue

#: A batch whose action took less than half this grows (doubles) for the next; one that
#: took more than twice this shrinks (halves), never below GARDIEN_RETENTION_BATCH_ROWS.
BATCH_SECONDS = 1.0
#: The most rows a batch grows to: the company's database holds each batch's transaction
#: (its locks) for about a second at most, and a batch's keys stay few in memory.
MAX_BATCH_ROWS = 100_000
#: Rows a page is guessed to hold when the first range is drawn (a row of about 150
#: bytes): only the first range's length depends on it, the next ones on time.
ROWS_PER_PAGE_GUESS = 50


@dataclass(frozen=True)
class RowRange:
    """A batch's place: the due rows stored after the address ``after`` and before page
    ``before_page`` (None: to the end of the table), at most ``limit`` of them; ``pages``
    is how long the range was drawn."""

    after: str
    before_page: int | None
    limit: int
    pages: int

    def as_json(self) -> dict[str, JsonValue]:
        return {
            "after": self.after,
            "before_page": self.before_page,
            "limit": self.limit,
            "pages": self.pages,
        }

    @classmethod
    def from_json(cls, data: dict[str, JsonValue]) -> RowRange:
        before = data.get("before_page")
        return cls(
            after=str(data["after"]),
            before_page=int(str(before)) if before is not None else None,
            limit=int(str(data["limit"])),
            pages=int(str(data["pages"])),
        )


def first_range(least: int, table_pages: int) -> RowRange:
    """The first batch's range: pages for about ``least`` rows from the table's start."""
    pages = max(1, least // ROWS_PER_PAGE_GUESS)
    return RowRange(BEFORE_FIRST_ROW, _bounded(pages, table_pages), least, pages)


def next_range(
    done: RowRange,
    deleted: int,
    last: str | None,
    seconds: float,
    least: int,
    table_pages: int,
) -> RowRange | None:
    """The range after ``done``, whose batch deleted ``deleted`` rows (the last stored at
    ``last``) in ``seconds``; None when the sweep has read the whole table."""
    fast, slow = seconds < BATCH_SECONDS / 2, seconds > BATCH_SECONDS * 2
    limit = done.limit
    if fast:
        limit = min(limit * 2, max(MAX_BATCH_ROWS, least))
    elif slow:
        limit = max(least, limit // 2)
    if deleted >= done.limit and last is not None:
        # The range holds more due rows than a batch takes: go on inside it, and draw
        # the next range shorter.
        return RowRange(last, done.before_page, limit, max(1, done.pages // 2))
    if done.before_page is None:
        return None
    pages = done.pages
    if slow:
        pages = max(1, pages // 2)
    elif fast and deleted * 2 < done.limit:
        pages *= 2
    start = done.before_page
    return RowRange(f"({start},0)", _bounded(start + pages, table_pages), limit, pages)


def _bounded(before_page: int, table_pages: int) -> int | None:
    """``before_page``, or None when the range reaches the table's end (the last range
    takes rows stored there meanwhile)."""
    return before_page if before_page < table_pages else None
