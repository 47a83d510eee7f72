"""Filling a demo company's database at scale: rows per second and peak memory.

    .venv/bin/python -m bench.demo_fill [--company amikeo] [--people 100000]
        [--known-person-rows N] [--postgres URL]

On PostgreSQL (``--postgres``, else ``GARDIEN_TEST_POSTGRES_URL`` when set)
the fill goes into a schema created for the run and dropped after it, by
COPY in one transaction; without a server, into a temporary SQLite file.
The benchmark of data-subject requests fills 1,000,000 people (about ten
million rows) the same way, with ``gardien.demo.fill``.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, text

from gardien.demo import COMPANIES, fill


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(url: str, company: str, people: int, known_person_rows: int | None) -> None:
    before = _peak_rss_mib()
    report = fill(url, company, people=people, seed=1, known_person_rows=known_person_rows)
    backend = url.split(":", 1)[0].split("+", 1)[0]
    print(
        f"{company} on {backend}: {people:,} people, {report.rows:,} rows in "
        f"{report.seconds:.1f} s ({report.rows / report.seconds:,.0f} rows/s, "
        f"{people / report.seconds:,.0f} people/s); peak RSS {_peak_rss_mib():.0f} MiB "
        f"(before the fill {before:.0f} MiB)"
    )
    for table, count in sorted(report.counts.items(), key=lambda item: -item[1]):
        print(f"  {table:<26} {count:>12,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--company", default="amikeo", choices=list(COMPANIES))
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--known-person-rows", type=int, default=None)
    parser.add_argument("--postgres", default=os.environ.get("GARDIEN_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    if not args.postgres:
        with tempfile.TemporaryDirectory() as directory:
            url = f"sqlite:///{Path(directory) / 'company.db'}"
            run(url, args.company, args.people, args.known_person_rows)
        return
    base = args.postgres.replace("postgresql://", "postgresql+psycopg://", 1)
    schema = f"bench_demo_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        separator = "&" if "?" in base else "?"
        url = f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
        run(url, args.company, args.people, args.known_person_rows)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


if __name__ == "__main__":
    main()
