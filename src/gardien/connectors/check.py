"""Comparing the declaration's ``datastores`` with the live databases.

What ``gardien datastores check`` reports, per datastore:

- errors: a declared table or column that does not exist; a legal hold or a
  retention rule whose anchor is not a date column; an archive table that
  does not exist or lacks a declared column; a datastore that cannot be
  reached;
- warnings: a reference or an identity column without an index (every
  request would scan the table: the finding says which index to create; on
  ``lower(column)`` for a column declared ``match: casefold``); an e-mail
  identity column compared as stored whose rows hold capitals (counted: a
  request would miss them); a
  foreign key of the database that the declaration does not name (requests
  will not follow it, and an erasure may break it); a column whose name
  looks personal (e-mail, phone, name, address, birth date, bank details…)
  that the declaration does not cover, in a declared table or an undeclared one;
  a retention anchor without an index (every sweep scans the table); a
  collection holding personal data that no retention rule covers.

Each finding names the datastore, the table and the column, never a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from gardien.connectors.base import Connector, LiveSchema
from gardien.declaration.models import Datastore, Declaration, IdentityMatch
from gardien.declaration.rules import covered_by_retention
from gardien.errors import ConnectorError

# A column name looks personal when one of its words is one of these.
_PERSONAL_WORDS = re.compile(
    r"(?:^|_)(e?mail|courriel|phone|tel|telephone|mobile|portable|name|names|nom|prenom|"
    r"firstname|lastname|surname|fullname|address|adresse|street|rue|city|ville|zip|"
    r"postcode|postal|birth|birthday|birthdate|dob|naissance|iban|bic|ssn|nir|ip|"
    r"linkedin|twitter|passport|gender|sexe|avatar|photo|device|location|latitude|"
    r"longitude|geo)(?:_|$)",
    re.IGNORECASE,
)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    severity: Severity
    datastore: str
    collection: str | None
    column: str | None
    message: str

    @property
    def where(self) -> str:
        return ".".join(p for p in (self.datastore, self.collection, self.column) if p)


def looks_personal(column: str) -> bool:
    return bool(_PERSONAL_WORDS.search(column))


def check_datastores(
    declaration: Declaration, connectors: Mapping[str, Connector]
) -> list[Finding]:
    """Every finding for every declared datastore, errors first."""
    findings: list[Finding] = []
    schemas: dict[str, LiveSchema] = {}
    for name, store in declaration.datastores.items():
        try:
            schema = schemas[name] = connectors[name].describe()
        except ConnectorError as exc:
            findings.append(Finding(Severity.ERROR, name, None, None, exc.message))
            continue
        findings.extend(check_datastore(name, store, schema))
        findings.extend(_retention_coverage(declaration, name))
        findings.extend(_addresses_in_capitals(name, store, schema, connectors[name]))
    findings.extend(_archives(declaration, schemas))
    return sorted(findings, key=lambda f: (f.severity != Severity.ERROR, f.where))


def _addresses_in_capitals(
    name: str, store: Datastore, schema: LiveSchema, connector: Connector
) -> Iterator[Finding]:
    """E-mail identity columns compared as stored that hold addresses with capitals: a
    person's request, whose address gardien writes in lower case, would not find those
    rows (counted, never shown)."""
    count = getattr(connector, "count_with_capitals", None)
    if count is None:
        return
    for cname, collection in store.collections.items():
        live = schema.collections.get(cname)
        for fname, field in collection.fields.items():
            exact = field.identity == "email" and field.match is IdentityMatch.EXACT
            if not exact or live is None or fname not in live.columns:
                continue
            found = int(count(cname, fname))
            if found:
                yield Finding(
                    Severity.WARNING, name, cname, fname,
                    f"{found} row(s) of {cname}.{fname} hold an e-mail address with capitals: "
                    "a person's request (its address in lower case) would not find them; "
                    f"declare `match: casefold` on {fname}, or store addresses in lower case",
                )  # fmt: skip


def _retention_coverage(declaration: Declaration, name: str) -> Iterator[Finding]:
    store = declaration.datastores[name]
    if not any(c.retention for c in store.collections.values()):
        return  # `gardien validate` says so once for the datastore
    covered = covered_by_retention(declaration, name)
    for cname, collection in store.collections.items():
        if cname not in covered and any(f.categories for f in collection.fields.values()):
            yield Finding(
                Severity.WARNING, name, cname, None,
                f"{cname} holds personal data and no retention rule covers it: bind it "
                "with `retention: {rule: RULE_ID, anchor: DATE_FIELD}`",
            )  # fmt: skip


def _archives(declaration: Declaration, schemas: Mapping[str, LiveSchema]) -> Iterator[Finding]:
    """Each archive a retention rule moves rows to: the table exists, with the columns."""
    for sid, store in declaration.datastores.items():
        for cname, collection in store.collections.items():
            binding = collection.retention
            if binding is None or binding.archive is None:
                continue
            target = binding.archive.datastore or sid
            schema = schemas.get(target)
            if schema is None:
                continue  # unreachable or undeclared: said elsewhere
            table = schema.collections.get(binding.archive.collection)
            if table is None:
                yield Finding(
                    Severity.ERROR, target, binding.archive.collection, None,
                    f"{sid}.{cname} is archived to table {binding.archive.collection!r}, "
                    "which is not in the database: create it (the declared columns of "
                    f"{cname}, readable only by whoever may consult the archive)",
                )  # fmt: skip
                continue
            for fname in collection.fields:
                if fname not in table.columns:
                    yield Finding(
                        Severity.ERROR, target, binding.archive.collection, fname,
                        f"archive table {binding.archive.collection!r} has no column "
                        f"{fname!r}, which {sid}.{cname} declares: add it",
                    )  # fmt: skip


def check_datastore(name: str, store: Datastore, schema: LiveSchema) -> Iterator[Finding]:
    live = schema.collections
    for cname, collection in store.collections.items():
        table = live.get(cname)
        if table is None:
            yield Finding(
                Severity.ERROR, name, cname, None,
                f"table {cname!r} is declared but not in the database: correct its name, "
                "or remove it from the declaration",
            )  # fmt: skip
            continue
        for fname, field in collection.fields.items():
            if fname not in table.columns:
                yield Finding(
                    Severity.ERROR, name, cname, fname,
                    f"column {fname!r} is declared but table {cname!r} has no such column",
                )  # fmt: skip
                continue
            ref = field.references
            needs_index = field.identity is not None or (ref is not None and ref.follow.down)
            folded = field.identity is not None and field.match is IdentityMatch.CASEFOLD
            if folded and f"lower({fname})" not in table.indexed:
                yield Finding(
                    Severity.WARNING, name, cname, fname,
                    f"{cname}.{fname} is compared in lower case (match: casefold) but has no "
                    f"index on lower({fname}): every request scans {cname}; create one "
                    f"(CREATE INDEX ix_{cname}_{fname}_lower ON {cname} (lower({fname})))",
                )  # fmt: skip
            elif not folded and needs_index and fname not in table.indexed:
                why = (
                    "it is an identity column" if ref is None else f"it references {ref.collection}"
                )
                yield Finding(
                    Severity.WARNING, name, cname, fname,
                    f"{cname}.{fname} has no index and {why}: every request scans {cname}; "
                    f"create one (CREATE INDEX ix_{cname}_{fname} ON {cname} ({fname}))",
                )  # fmt: skip
            if ref is not None and ref.follow.up:
                parent = live.get(ref.collection)
                if parent is not None and ref.field not in parent.indexed:
                    yield Finding(
                        Severity.WARNING, name, ref.collection, ref.field,
                        f"{ref.collection}.{ref.field} is followed up from {cname}.{fname} but "
                        "has no index: every request scans it",
                    )  # fmt: skip
        hold = collection.legal_hold
        anchor = table.columns.get(hold.anchor) if hold is not None else None
        if anchor is not None and not anchor.temporal:
            yield Finding(
                Severity.ERROR, name, cname, anchor.name,
                f"the legal hold of {cname} runs from {anchor.name!r}, whose type "
                f"{anchor.type} is not a date or a time",
            )  # fmt: skip
        binding = collection.retention
        anchored = (
            table.columns.get(binding.anchor)
            if binding is not None and binding.anchor is not None
            else None
        )
        if anchored is not None and not anchored.temporal:
            yield Finding(
                Severity.ERROR, name, cname, anchored.name,
                f"the retention of {cname} runs from {anchored.name!r}, whose type "
                f"{anchored.type} is not a date or a time",
            )  # fmt: skip
        elif anchored is not None and anchored.name not in table.indexed:
            yield Finding(
                Severity.WARNING, name, cname, anchored.name,
                f"{cname}.{anchored.name} anchors a retention rule but has no index: every "
                f"sweep scans {cname}; create one (CREATE INDEX ix_{cname}_{anchored.name} "
                f"ON {cname} ({anchored.name}))",
            )  # fmt: skip
        declared_refs = {
            (fname, f.references.collection)
            for fname, f in collection.fields.items()
            if f.references is not None
        }
        for local, referred, _remote in table.foreign_keys:
            if (local, referred) not in declared_refs:
                yield Finding(
                    Severity.WARNING, name, cname, local,
                    f"{cname}.{local} is a foreign key to {referred} that the declaration "
                    f"does not name: requests will not follow it, and erasing {referred} "
                    "rows may break it; declare it under `references`",
                )  # fmt: skip
        for column in table.columns:
            if column not in collection.fields and looks_personal(column):
                yield Finding(
                    Severity.WARNING, name, cname, column,
                    f"{cname}.{column} looks personal but the declaration does not cover it: "
                    "declare it with its categories and erasure, or say why it is not",
                )  # fmt: skip
    for tname, table in live.items():
        if tname in store.collections:
            continue
        personal = [column for column in table.columns if looks_personal(column)]
        if personal:
            yield Finding(
                Severity.WARNING, name, tname, None,
                f"table {tname!r} is not declared but has columns that look personal "
                f"({', '.join(personal)}): declare it, or say why it is not",
            )  # fmt: skip
