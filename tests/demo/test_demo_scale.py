"""At scale (``make bench``): 50,000 people, the counts right, every foreign key holding, and
memory that does not grow with the number of rows.

The benchmark fills PostgreSQL with 1,000,000 people (about ten million
rows) the same way; ``bench/demo_fill.py`` times it.
"""

from __future__ import annotations

import tracemalloc

import pytest
from demo_helpers import live_schema
from sqlalchemy import create_engine, func, select, text

from gardien.demo import COMPANIES, fill

PEOPLE = 50_000
#: Far below what 50,000 people's rows would take if they were held (hundreds of MB).
PEAK_BYTES = 64 * 1024 * 1024


@pytest.mark.slow
@pytest.mark.parametrize("company", ["amikeo", "activeviam"])
def test_fifty_thousand_people_in_bounded_memory(empty_database: str, company: str) -> None:
    tracemalloc.start()
    try:
        report = fill(empty_database, company, people=PEOPLE, seed=2, known_person_rows=10_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < PEAK_BYTES, f"peak {peak / 2**20:.0f} MiB"
    assert 6 * PEOPLE <= report.rows <= 16 * PEOPLE
    assert report.counts[COMPANIES[company].bulk_table] > 10_000
    engine = create_engine(empty_database)
    try:
        schema = live_schema(engine)
        metadata = COMPANIES[company].metadata
        with engine.connect() as connection:
            for name, table in metadata.tables.items():
                live = connection.execute(select(func.count()).select_from(table)).scalar_one()
                assert live == report.counts[name], name
            for table, column, parent, remote in schema.foreign_keys:
                orphans = connection.execute(
                    text(
                        f'SELECT count(*) FROM "{table}" c LEFT JOIN "{parent}" p '
                        f'ON c."{column}" = p."{remote}" '
                        f'WHERE c."{column}" IS NOT NULL AND p."{remote}" IS NULL'
                    )
                ).scalar_one()
                assert orphans == 0, f"{table}.{column}"
    finally:
        engine.dispose()
    assert len(schema.foreign_keys) == sum(len(t.foreign_keys) for t in metadata.tables.values())
