"""The connectors room: the company's own datastores, as requests and retention reach them.

    >>> connectors = open_datastores(declaration)          # one per declared datastore
    >>> location = locate(plan_for(declaration), connectors, {"email": ["alice@example.com"]},
    ...                   on_row=lambda collection, row: package.add(collection, row))
    >>> location.count()                                     # the person's rows, everywhere
    >>> check_datastores(declaration, connectors)            # declaration vs live schema
    >>> erase_person(declaration, connectors, identities, strategies, now=now)
    >>> rectify(declaration, connectors, location, {"user.name": "Alice Dupont"})

It owns the ``Connector`` protocol and its built-in kinds (``sql`` through
SQLAlchemy Core; ``memory`` for tests), the traversal plan built once per
declaration (seeds from identity columns, edges from references and their
``follow``), the locator that streams a person's rows, the erasure order
(children first, cycles named), and the comparison of the declaration with
the live schema; and what is done to the rows found: exported (JSON and CSV
per collection, streamed), erased field by field as declared (legal holds
kept, children first, one transaction per datastore), rectified. It never
holds a row longer than it takes to hand it on.
"""

from __future__ import annotations

from gardien.connectors.base import (
    Connector,
    LiveCollection,
    LiveColumn,
    LiveSchema,
    Reader,
    Row,
    Writer,
)
from gardien.connectors.check import Finding, Severity, check_datastores, looks_personal
from gardien.connectors.erase import (
    CollectionErasure,
    ErasureReport,
    Held,
    Strategies,
    erase_person,
)
from gardien.connectors.export import ExportedCollection, RowsExport
from gardien.connectors.locate import BATCH_SIZE, Location, locate, open_readers
from gardien.connectors.memory import MemoryConnector
from gardien.connectors.plan import (
    CollectionPlan,
    Edge,
    ErasureOrder,
    Seed,
    TraversalPlan,
    erasure_order,
    plan_for,
)
from gardien.connectors.rectify import FieldRectified, rectification_targets, rectify
from gardien.connectors.registry import (
    CONNECTORS,
    close_all,
    datastore_url,
    open_connector,
    open_datastores,
)
from gardien.connectors.sql import SqlConnector

__all__ = [
    "BATCH_SIZE",
    "CONNECTORS",
    "CollectionErasure",
    "CollectionPlan",
    "Connector",
    "Edge",
    "ErasureOrder",
    "ErasureReport",
    "ExportedCollection",
    "FieldRectified",
    "Finding",
    "Held",
    "LiveCollection",
    "LiveColumn",
    "LiveSchema",
    "Location",
    "MemoryConnector",
    "Reader",
    "Row",
    "RowsExport",
    "Seed",
    "Severity",
    "SqlConnector",
    "Strategies",
    "TraversalPlan",
    "Writer",
    "check_datastores",
    "close_all",
    "datastore_url",
    "erase_person",
    "erasure_order",
    "locate",
    "looks_personal",
    "open_connector",
    "open_datastores",
    "open_readers",
    "plan_for",
    "rectification_targets",
    "rectify",
]
