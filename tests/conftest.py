"""Fixtures shared by every room's tests.

Stores: every test that takes the ``store`` fixture runs once on SQLite and,
when ``GARDIEN_TEST_POSTGRES_URL`` is set (``.ci/run`` sets it after starting
a real server), once on PostgreSQL. Each session migrates once; each test
then starts from empty tables (a copied SQLite file, or truncated PostgreSQL
tables in schemas of this session's own).
"""

from __future__ import annotations

import copy
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text

from gardien.declaration.source import parse_yaml
from gardien.store import Store, make_engine, upgrade

# Property tests check behaviour, not speed (speed is measured in bench/). Hypothesis's
# default deadline of 200 ms per generated case only made tests flaky whose first case
# loads a declaration on a busy 2-core CI machine (255 ms once, 15 ms afterwards).
hypothesis_settings.register_profile("gardien", deadline=None)
hypothesis_settings.load_profile("gardien")

STARTER = resources.files("gardien.declaration").joinpath("data", "starter.yaml").read_text("utf-8")

Mutation = Callable[[dict[str, Any]], None]


def starter_data() -> dict[str, Any]:
    """The starter declaration as plain data, a fresh copy each call."""
    return copy.deepcopy(dict(parse_yaml(STARTER, "starter.yaml").data))


@pytest.fixture
def write_declaration(tmp_path: Path) -> Callable[..., Path]:
    """Write the starter declaration, changed by ``mutate``, and return its path."""

    def write(mutate: Mutation | None = None, name: str = "privacy.yaml") -> Path:
        data = starter_data()
        if mutate is not None:
            mutate(data)
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
        return path

    return write


#: Recipients of the ``service`` purpose in ``with_ai_recipients``, and the form
#: each is declared to receive.
AI_RECIPIENT_FORMS = {
    "ai_provider": "anonymised",
    "translator": "pseudonymised",
    "hosting": "identified",
}


def add_ai_recipients(data: dict[str, Any]) -> None:
    """The starter plus an AI provider (anonymised text only) and a translation
    service (pseudonymised), both recipients of the ``service`` purpose."""
    for name, form in AI_RECIPIENT_FORMS.items():
        if name not in data["recipients"]:
            data["recipients"][name] = {
                "name": f"Example {name}",
                "role": "processor",
                "service": {"fr": "Traitement des demandes", "en": "Handling requests"},
                "country": "IE",
                "receives": form,
            }
    data["purposes"]["service"]["recipients"] = list(AI_RECIPIENT_FORMS)


@pytest.fixture
def write_ai_declaration(write_declaration: Callable[..., Path]) -> Callable[..., Path]:
    """Write the starter with ``add_ai_recipients``, then ``mutate``."""

    def write(mutate: Mutation | None = None) -> Path:
        def both(data: dict[str, Any]) -> None:
            add_ai_recipients(data)
            if mutate is not None:
                mutate(data)

        path: Path = write_declaration(both)
        return path

    return write


@pytest.fixture
def with_ai_recipients(write_ai_declaration: Callable[..., Path]) -> Path:
    """A declaration whose ``service`` purpose sends text to an AI provider
    declared to receive anonymised data (see ``AI_RECIPIENT_FORMS``)."""
    path: Path = write_ai_declaration()
    return path


@pytest.fixture
def ai_recipient_forms() -> dict[str, str]:
    return dict(AI_RECIPIENT_FORMS)


POSTGRES_URL = os.environ.get("GARDIEN_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]


@dataclass(frozen=True)
class StoreUrls:
    database_url: str
    keystore_url: str


def _with_search_path(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> StoreUrls:
    directory = tmp_path_factory.mktemp("template")
    urls = StoreUrls(
        f"sqlite:///{directory / 'gardien.db'}", f"sqlite:///{directory / 'gardien-keys.db'}"
    )
    store = Store(make_engine(urls.database_url), make_engine(urls.keystore_url))
    upgrade(store)
    store.dispose()
    return urls


#: Empties one of this session's store schemas between tests in a single round trip:
#: only the tables a test wrote to are truncated (a TRUNCATE costs the same on an empty
#: table, and a store has some thirty of them), and every sequence a test drew from
#: starts again at 1, as ``TRUNCATE ... RESTART IDENTITY`` of every table would.
_RESET_FUNCTION = """
CREATE FUNCTION {tools}.reset_store(target text) RETURNS void
LANGUAGE plpgsql AS $reset$
DECLARE
    name text;
    written boolean;
    tables text[] := '{{}}';
BEGIN
    FOR name IN
        SELECT tablename FROM pg_tables
        WHERE schemaname = target AND tablename NOT IN ('alembic_version', 'keystore_version')
    LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)', target, name) INTO written;
        IF written THEN
            tables := tables || format('%I.%I', target, name);
        END IF;
    END LOOP;
    IF cardinality(tables) > 0 THEN
        EXECUTE 'TRUNCATE ' || array_to_string(tables, ', ') || ' CASCADE';
    END IF;
    FOR name IN
        SELECT sequencename FROM pg_sequences
        WHERE schemaname = target AND last_value IS NOT NULL
    LOOP
        EXECUTE format('ALTER SEQUENCE %I.%I RESTART', target, name);
    END LOOP;
END
$reset$
"""


@dataclass(frozen=True)
class PostgresStores:
    """This session's migrated PostgreSQL store schemas, and how to empty them."""

    urls: StoreUrls
    admin: Any
    reset_statement: Any

    def reset(self) -> None:
        with self.admin.begin() as connection:
            connection.execute(self.reset_statement)


@pytest.fixture(scope="session")
def postgres_schemas() -> Iterator[PostgresStores | None]:
    if POSTGRES_URL is None:
        yield None
        return
    suffix = uuid.uuid4().hex[:10]
    main, keys, tools = f"t_{suffix}_main", f"t_{suffix}_keys", f"t_{suffix}_tools"
    admin = create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as connection:
        for schema in (main, keys, tools):
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        connection.execute(text(_RESET_FUNCTION.format(tools=tools)))
    urls = StoreUrls(_with_search_path(POSTGRES_URL, main), _with_search_path(POSTGRES_URL, keys))
    store = Store(make_engine(urls.database_url), make_engine(urls.keystore_url))
    upgrade(store)
    store.dispose()
    reset = text(f"SELECT {tools}.reset_store('{main}'), {tools}.reset_store('{keys}')")
    yield PostgresStores(urls, admin, reset)
    with admin.begin() as connection:
        for schema in (main, keys, tools):
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def store_urls(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: StoreUrls,
    postgres_schemas: PostgresStores | None,
) -> StoreUrls:
    """URLs of an empty, migrated store for this test, on each backend in turn."""
    if request.param == "sqlite":
        for name in ("gardien.db", "gardien-keys.db"):
            source = Path(
                (
                    sqlite_template.database_url
                    if name == "gardien.db"
                    else sqlite_template.keystore_url
                ).removeprefix("sqlite:///")
            )
            shutil.copyfile(source, tmp_path / name)
        return StoreUrls(
            f"sqlite:///{tmp_path / 'gardien.db'}", f"sqlite:///{tmp_path / 'gardien-keys.db'}"
        )
    assert postgres_schemas is not None
    postgres_schemas.reset()
    return postgres_schemas.urls


@pytest.fixture
def store(store_urls: StoreUrls) -> Iterator[Store]:
    """An empty, migrated store, on each backend in turn."""
    opened = Store(make_engine(store_urls.database_url), make_engine(store_urls.keystore_url))
    yield opened
    opened.dispose()
