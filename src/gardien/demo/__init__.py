"""Demo companies: databases shaped like the seeds' companies, and their declarations.

Five sample companies, one module each (``viky``, ``ai_feedback``,
``amikeo``, ``activeviam``, ``komin``), modelled on the privacy policies the
examples transcribe: their tables (SQLAlchemy Core, each on a ``MetaData`` of
its own: these are the company's databases, not gardien's store), a known
person generated first and the same for every seed, and a generator of
real-looking people (Faker, fr_FR and en_US, under a fixed seed: the same
seed gives the same rows, byte for byte).

``build`` makes a company's database (SQLite in a directory, or PostgreSQL)
and writes its ``privacy.yaml``: the example declaration, whose
``datastores`` section describes that database, pointed at it. ``fill``
generates people into an empty database at any size, by COPY on PostgreSQL,
for the benchmarks. ``gardien demo`` (``commands/demo_command.py``) adds
gardien's store, keys and server around a build. Owned here: the companies'
schemas, the generators, the known persons; nothing of gardien's store.
"""

from __future__ import annotations

from gardien.demo.builder import (
    DEFAULT_COMPANY,
    DEFAULT_PEOPLE,
    DEFAULT_SEED,
    URL_VARIABLE,
    DemoResult,
    FillReport,
    build,
    declaration_text,
    discard,
    fill,
)
from gardien.demo.company import Company
from gardien.demo.database import content_digest
from gardien.demo.people import REFERENCE, KnownPerson
from gardien.demo.registry import COMPANIES, company_named

__all__ = [
    "COMPANIES",
    "DEFAULT_COMPANY",
    "DEFAULT_PEOPLE",
    "DEFAULT_SEED",
    "REFERENCE",
    "URL_VARIABLE",
    "Company",
    "DemoResult",
    "FillReport",
    "KnownPerson",
    "build",
    "company_named",
    "content_digest",
    "declaration_text",
    "discard",
    "fill",
]
