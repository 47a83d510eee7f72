"""Opening the connectors a declaration's ``datastores`` name, by their ``kind``.

One explicit registry, keyed by kind: the built-in connectors register here
the way a third party's would. A datastore's URL is given by reference
(``{$env: SHOP_DATABASE_URL}``) or as a literal (the demo's SQLite file).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from gardien.connectors.base import Connector
from gardien.connectors.sql import SqlConnector
from gardien.declaration.models import Datastore, Declaration, IdentityMatch
from gardien.declaration.values import EnvRef
from gardien.errors import ConnectorError

#: How to open each kind of datastore from its resolved URL, its name and its declaration.
CONNECTORS: dict[str, Callable[[str, str, Datastore], Connector]] = {
    SqlConnector.kind: lambda url, name, store: SqlConnector(
        url, name=name, tables=tuple(store.collections), casefold=casefolded(store)
    ),
}


def casefolded(store: Datastore) -> list[tuple[str, str]]:
    """The (collection, column) pairs whose identities are compared in lower case."""
    return [
        (collection_name, field_name)
        for collection_name, collection in store.collections.items()
        for field_name, field in collection.fields.items()
        if field.match is IdentityMatch.CASEFOLD
    ]


def datastore_url(name: str, store: Datastore, environ: Mapping[str, str]) -> str:
    """The URL of datastore ``name``, its ``$env`` reference resolved."""
    if isinstance(store.url, EnvRef):
        value = environ.get(store.url.env)
        if not value:
            raise ConnectorError(
                f"datastore {name!r} takes its URL from ${store.url.env}, which is not set: "
                "set it in the environment of gardien serve and gardien worker"
            )
        return value
    return store.url


def open_connector(
    name: str, store: Datastore, environ: Mapping[str, str] | None = None
) -> Connector:
    factory = CONNECTORS.get(store.kind)
    if factory is None:
        raise ConnectorError(
            f"datastore {name!r} is of kind {store.kind!r}, which gardien has no connector "
            f"for: use one of {', '.join(sorted(CONNECTORS))}"
        )
    url = datastore_url(name, store, os.environ if environ is None else environ)
    return factory(url, name, store)


def open_datastores(
    declaration: Declaration, environ: Mapping[str, str] | None = None
) -> dict[str, Connector]:
    """A connector for every declared datastore (close them with ``close_all``)."""
    opened: dict[str, Connector] = {}
    try:
        for name, store in declaration.datastores.items():
            opened[name] = open_connector(name, store, environ)
    except Exception:
        close_all(opened)
        raise
    return opened


def close_all(connectors: Mapping[str, Connector]) -> None:
    for connector in connectors.values():
        connector.close()
