"""Demo databases for the tests, on SQLite and, when ``GARDIEN_TEST_POSTGRES_URL`` is set,
on PostgreSQL (each in a schema of its own, dropped afterwards)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from demo_helpers import BACKENDS, PEOPLE, SEED, postgres_schema

from gardien.demo import COMPANIES, DemoResult, build


@pytest.fixture(params=BACKENDS)
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database, on each backend in turn."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'company.db'}"
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture(scope="session", params=BACKENDS)
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, DemoResult]]:
    """Every company built once per backend, ``PEOPLE`` people, seed ``SEED``."""
    results: dict[str, DemoResult] = {}
    with _schemas(request.param, len(COMPANIES)) as urls:
        for name, url in zip(COMPANIES, urls, strict=True):
            directory = tmp_path_factory.mktemp(f"{name}-{request.param}")
            results[name] = build(directory, name, people=PEOPLE, seed=SEED, url=url)
        yield results


@contextmanager
def _schemas(backend: str, count: int) -> Iterator[list[str | None]]:
    if backend == "sqlite":
        yield [None] * count
        return
    with ExitStack() as stack:
        yield [stack.enter_context(postgres_schema()) for _ in range(count)]
