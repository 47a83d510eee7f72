"""Building a demo company: its database and its ``privacy.yaml``, whole or not at all.

``fill`` generates a company's people into an empty database (the benchmark
fills PostgreSQL with a million of them). ``build`` does that in a directory
and writes beside it the company's declaration: ``examples/<company>.yaml``
whose datastore URL is the database just built. Everything is checked before
anything is written (the company exists, the directory holds no declaration,
the database URL is one gardien can reach and its database is empty); a
failure later removes what the build made.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine

from gardien.demo.company import Company, People
from gardien.demo.database import (
    connect,
    create_tables,
    drop_tables,
    finish,
    is_postgresql,
    parse,
    require_empty,
)
from gardien.demo.people import Draw, KnownPerson, Vocabulary
from gardien.demo.registry import company_named
from gardien.demo.rows import CopyRows, Rows
from gardien.errors import DemoError
from gardien.settings import mask_url

#: The variable the examples' datastore URL is read from, ``url: {$env: DEMO_DATABASE_URL}``.
URL_VARIABLE = "DEMO_DATABASE_URL"
_URL_LINE = f"url: {{$env: {URL_VARIABLE}}}"

DEFAULT_COMPANY = "amikeo"
DEFAULT_PEOPLE = 200
DEFAULT_SEED = 1


@dataclass(frozen=True)
class FillReport:
    """What a fill wrote: rows per table, and how long it took."""

    company: str
    people: int
    seed: int
    counts: Mapping[str, int]
    seconds: float

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class DemoResult:
    """A built demo: where its declaration and database are, and whom to ask about.

    ``environment`` holds the variables the declaration reads its URL from
    (only when the database URL carries a password, which a declaration never
    holds); ``database_url`` is kept out of ``repr`` for the same reason.
    """

    company: Company
    directory: Path
    declaration: Path
    report: FillReport
    database_url: str = field(repr=False)
    environment: Mapping[str, str] = field(repr=False, default_factory=dict)

    @property
    def known_person(self) -> KnownPerson:
        return self.company.known

    @property
    def identities(self) -> dict[str, str]:
        """The known person's identities, kind → value, as a request names them."""
        return dict(self.company.known.identities)

    @property
    def shown_url(self) -> str:
        """The database URL with any password masked, for messages."""
        return mask_url(self.database_url)


def fill(
    url: str,
    company: str = DEFAULT_COMPANY,
    *,
    people: int = DEFAULT_PEOPLE,
    seed: int = DEFAULT_SEED,
    known_person_rows: int | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> FillReport:
    """Generate ``people`` people of ``company`` into the empty database at ``url``.

    PostgreSQL is filled with COPY, in one transaction, in bounded memory; the
    known person gets ``known_person_rows`` rows in the company's bulk table
    when given (the benchmark's person with 10,000 rows).
    """
    spec = company_named(company)
    _check_counts(people, known_person_rows)
    engine = _empty_database(url)
    try:
        return _fill(engine, spec, people, seed, known_person_rows, on_batch)
    finally:
        engine.dispose()


def build(
    directory: Path,
    company: str = DEFAULT_COMPANY,
    *,
    people: int = DEFAULT_PEOPLE,
    seed: int = DEFAULT_SEED,
    url: str | None = None,
    known_person_rows: int | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> DemoResult:
    """Build ``company``'s database (a SQLite file in ``directory`` unless ``url`` is given)
    and write ``directory/privacy.yaml`` for it; refuse, writing nothing, if either exists."""
    spec = company_named(company)
    _check_counts(people, known_person_rows)
    directory = directory.absolute()
    declaration = directory / "privacy.yaml"
    if directory.exists() and not directory.is_dir():
        raise DemoError(f"{directory} is a file: give a directory for the demo")
    if declaration.exists():
        raise DemoError(
            f"{declaration} already exists: gardien demo never overwrites a declaration; "
            "choose another directory or remove it"
        )
    database_url = url or f"sqlite:///{directory / f'{spec.name}.db'}"
    parsed = parse(database_url)
    sqlite_file = None
    if parsed.get_backend_name() == "sqlite":
        # Written into privacy.yaml: absolute, so it holds wherever gardien is run from.
        sqlite_file = Path(parsed.database or "").absolute()
        database_url = parsed.set(database=str(sqlite_file)).render_as_string(False)
        if sqlite_file.parent != directory and not sqlite_file.parent.is_dir():
            raise DemoError(f"cannot create {sqlite_file}: its directory does not exist")
    if sqlite_file is None or (sqlite_file.exists() and sqlite_file.stat().st_size > 0):
        _empty_database(database_url).dispose()  # reached, and empty, before anything is written
    made_directory = not directory.exists()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DemoError(f"cannot create {directory}: {exc.strerror}") from None
    new_file = sqlite_file is not None and not sqlite_file.exists()
    engine: Engine | None = None
    try:
        if new_file and sqlite_file is not None:  # personal data, if generated: owner only
            os.close(os.open(sqlite_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        engine = _empty_database(database_url)
        report = _fill(engine, spec, people, seed, known_person_rows, on_batch)
        text, environment = declaration_text(spec, database_url)
        _write_new(declaration, text)
    except BaseException:
        if engine is not None:
            engine.dispose()
        if new_file and sqlite_file is not None:
            for leftover in (sqlite_file, sqlite_file.with_name(sqlite_file.name + "-journal")):
                leftover.unlink(missing_ok=True)
        if made_directory and directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()
        raise
    engine.dispose()
    return DemoResult(spec, directory, declaration, report, database_url, environment)


def discard(result: DemoResult) -> None:
    """Undo a build: its declaration, and its database (the SQLite file, or the tables)."""
    result.declaration.unlink(missing_ok=True)
    parsed = parse(result.database_url)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database or "").unlink(missing_ok=True)
        return
    engine = connect(result.database_url)
    try:
        drop_tables(engine, result.company.metadata)
    finally:
        engine.dispose()


def declaration_text(spec: Company, database_url: str) -> tuple[str, dict[str, str]]:
    """The company's example declaration, its datastore URL the database built, and the
    environment it needs: a URL with a password stays ``{$env: DEMO_DATABASE_URL}``."""
    example = resources.files("gardien.demo").joinpath("examples", spec.example)
    source = example.read_text("utf-8")
    if source.count(_URL_LINE) != 1:
        raise DemoError(
            f"examples/{spec.example} must declare its demo datastore with `{_URL_LINE}` once"
        )
    header = (
        f"# Written by `gardien demo --company {spec.name}` from examples/{spec.example}:\n"
        "# the same declaration, its datastore URL that of the demo database.\n"
    )
    if parse(database_url).password is not None:
        return header + source, {URL_VARIABLE: database_url}
    return header + source.replace(_URL_LINE, f"url: {json.dumps(database_url)}"), {}


def _fill(
    engine: Engine,
    spec: Company,
    people: int,
    seed: int,
    known_person_rows: int | None,
    on_batch: Callable[[int], None] | None,
) -> FillReport:
    started = time.perf_counter()
    draw = Draw(Vocabulary.draw(seed), random.Random(seed), spec.known)
    crowd = People(draw, draw.for_known_person(), people, known_person_rows)
    try:
        with engine.begin() as connection:
            create_tables(connection, spec.metadata)
            sink = CopyRows if is_postgresql(engine) else Rows
            rows = sink(connection, on_batch)
            spec.generate(rows, crowd)
            rows.flush()
            finish(connection, spec.metadata)
    except BaseException:
        # PostgreSQL rolled the tables back with the rows; SQLite made its tables outside
        # the transaction, so they are dropped here.
        if not is_postgresql(engine):
            drop_tables(engine, spec.metadata)
        raise
    counts = {name: rows.counts.get(name, 0) for name in sorted(spec.metadata.tables)}
    return FillReport(spec.name, people, seed, counts, time.perf_counter() - started)


def _empty_database(url: str) -> Engine:
    """An engine on the database at ``url``, once it is known to be reachable and empty."""
    engine = connect(url)
    try:
        require_empty(engine, mask_url(url))
    except BaseException:
        engine.dispose()
        raise
    return engine


def _check_counts(people: int, known_person_rows: int | None) -> None:
    if people < 1:
        raise DemoError("a demo company needs at least one person (the known person)")
    if known_person_rows is not None and known_person_rows < 1:
        raise DemoError("--known-person-rows must be a positive number of rows")


def _write_new(target: Path, text: str) -> None:
    """Write ``target`` whole, and only if it does not exist (never over a declaration)."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, "utf-8")
        os.link(temporary, target)
    except FileExistsError:
        raise DemoError(
            f"{target} appeared while the demo was built: it was left as it is"
        ) from None
    except OSError as exc:
        raise DemoError(f"cannot write {target}: {exc.strerror}") from None
    finally:
        temporary.unlink(missing_ok=True)
