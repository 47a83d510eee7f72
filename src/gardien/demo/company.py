"""What a demo company is: its tables, its known person, its generator, its declaration.

Each company module (``viky``, ``ai_feedback``, ``amikeo``, ``activeviam``,
``komin``) declares its tables with SQLAlchemy Core on a ``MetaData`` of its
own (the company's database, not gardien's store) and one ``Company`` value;
``COMPANIES`` registers them by the name ``gardien demo --company`` takes.

A generator receives a ``Rows`` to write to and a ``People``: the draws (the
seed's, and the known person's own), how many people to make and how many
rows the known person gets in the company's bulk table (``None``: as many as
anyone). It writes person after person, each person's rows together, so that
memory does not grow with the number of people.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import MetaData

from gardien.demo.people import Draw, KnownPerson
from gardien.demo.rows import Rows

#: Names of constraints and indexes, so PostgreSQL can add them after the load.
NAMING = {
    "pk": "pk_%(table_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
}


def company_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING)


def personal() -> dict[str, object]:
    """``Column(info=personal())``: the column holds personal data, which the declaration must
    cover (a test checks it against the live schema)."""
    return {"personal": True}


@dataclass(frozen=True)
class People:
    """The draws a generator uses: the seed's for everyone, the known person's own for them."""

    draw: Draw
    known_draw: Draw
    count: int
    known_rows: int | None = None

    def __iter__(self) -> Iterator[tuple[int, Draw]]:
        """Each person's index and the draw to make them with; the known person first."""
        yield 0, self.known_draw
        for index in range(1, self.count):
            yield index, self.draw


Generate = Callable[[Rows, People], None]


@dataclass(frozen=True)
class Company:
    """One demo company: what ``gardien demo --company NAME`` builds."""

    name: str
    title: str
    example: str
    datastore: str
    metadata: MetaData = field(repr=False)
    known: KnownPerson = field(repr=False)
    generate: Generate = field(repr=False)
    bulk_table: str = field(repr=False)
    summary: str = field(repr=False)

    def __post_init__(self) -> None:
        assert self.bulk_table in self.metadata.tables
