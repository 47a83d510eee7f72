"""The Art. 15 document of an access package: every item, for the five example companies.

Each example declaration is read as the notice tests read it; the person's
rows come from the company's demo database (``gardien.demo``), found and
exported by the real connectors, the example's ``{$env: DEMO_DATABASE_URL}``
pointed at it. Consents come from a real ledger on each backend.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from actors import ACTOR
from gardien.connectors import (
    ExportedCollection,
    RowsExport,
    close_all,
    locate,
    open_datastores,
    plan_for,
)
from gardien.consent import Proof, consent_overview, record_consent
from gardien.declaration import Declaration, load, load_valid
from gardien.declaration.models import LegalBasis
from gardien.declaration.taxonomy import transfer_rules
from gardien.declaration.transparency import CHECKLIST, TransparencyItem
from gardien.demo import build
from gardien.errors import RenderError
from gardien.notice import label
from gardien.notice import vocabulary as v
from gardien.notice.wording import retention_sentence
from gardien.requests.article15 import (
    ART15_ITEMS,
    FORMAT,
    Art15Item,
    ConsentEntry,
    article15_information,
    consent_entries,
)
from gardien.store import Store

EXAMPLES_DIR = Path(__file__).parents[2] / "examples"
EXAMPLES = ["viky", "ai-feedback", "amikeo", "activeviam", "komin"]
LANGS = ["fr", "en"]
AT = dt.datetime(2026, 3, 15, 9, 30, tzinfo=dt.UTC)
RECEIPT = "0f" * 16


def _example(name: str) -> Declaration:
    return load_valid(EXAMPLES_DIR / f"{name}.yaml")


def _everything_found(declaration: Declaration) -> dict[tuple[str, str], int]:
    return {
        (datastore, collection): 2
        for datastore, store in declaration.datastores.items()
        for collection in store.collections
    }


def _consent(declaration: Declaration) -> list[ConsentEntry]:
    purpose = next(iter(declaration.purposes))
    return [ConsentEntry(purpose, "given", AT, AT + dt.timedelta(days=390), RECEIPT)]


def test_every_example_is_covered() -> None:
    found = {p.stem for p in EXAMPLES_DIR.glob("*.yaml")} - {"ai-feedback-as-published"}
    assert found == set(EXAMPLES)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", EXAMPLES)
def test_every_article15_item_for_each_example(name: str, lang: str) -> None:
    declaration = _example(name)
    info = article15_information(
        declaration,
        lang,  # type: ignore[arg-type]
        datastores_found=_everything_found(declaration),
        consents=_consent(declaration),
        generated_at=AT,
    )
    assert json.loads(json.dumps(info)) == info  # JSON all the way down
    assert info["format"] == FORMAT and info["language"] == lang
    assert info["generated_at"] == "2026-03-15T09:30:00+00:00"
    assert info["articles"] == {item.value: article for item, article in ART15_ITEMS.items()}
    assert {item.value for item in Art15Item} <= set(info)
    assert info["controller"]["name"] == declaration.controller.name

    # 15(1), 15(3): each collection found, its rows, files and declared categories per field.
    found = info["found"]
    assert found["any"] is True
    declared = [
        (d, c, col) for d, s in declaration.datastores.items() for c, col in s.collections.items()
    ]
    assert [(f["datastore"], f["collection"], f["rows"]) for f in found["collections"]] == [
        (d, c, 2) for d, c, _ in declared
    ]
    for entry, (datastore, collection, declared_collection) in zip(
        found["collections"], declared, strict=True
    ):
        assert entry["files"] == [
            f"records/{datastore}.{collection}.json",
            f"records/{datastore}.{collection}.csv",
        ]
        assert {f["name"]: [c["key"] for c in f["categories"]] for f in entry["fields"]} == {
            n: list(f.categories) for n, f in declared_collection.fields.items() if f.categories
        }
        for field in entry["fields"]:
            for category in field["categories"]:
                assert category["label"] == label(
                    category["key"], lang, "data_categories", declaration
                )
    # 15(1)(b): the categories concerned are those of the collections found.
    concerned = {c["key"] for c in info["categories"]["concerned"]}
    assert concerned == {
        k for _, _, col in declared for f in col.fields.values() for k in f.categories
    }

    # 15(1)(a): every purpose with its legal basis, worded as the notice words it.
    assert [p["key"] for p in info["purposes"]] == list(declaration.purposes)
    for entry in info["purposes"]:
        purpose = declaration.purposes[entry["key"]]
        assert entry["name"] == purpose.name[lang]
        assert entry["legal_basis_label"] == v.term(v.LEGAL_BASES, purpose.legal_basis, lang)
        if purpose.legal_basis is LegalBasis.LEGITIMATE_INTEREST:
            assert entry["legitimate_interest"]

    # 15(1)(c) and 15(2): recipients, and those outside the EEA with their safeguard.
    assert [r["key"] for r in info["recipients"]] == list(declaration.recipients)
    eea = transfer_rules().eea
    # A recipient declared by region (inside the EEA) or the public is no transfer.
    outside = [
        k
        for k, r in declaration.recipients.items()
        if r.transfer_country is not None and r.transfer_country not in eea
    ]
    assert [r["key"] for r in info["transfers"]["recipients"]] == outside
    for recipient in info["transfers"]["recipients"]:
        assert recipient["safeguard"] and recipient["outside_eea"]

    # 15(1)(d): the retention period of every purpose.
    for entry in info["retention"]["purposes"]:
        rule = declaration.purposes[entry["purpose"]].retention
        assert entry["period"] == retention_sentence(declaration.retention[rule or ""], lang)  # type: ignore[arg-type]
    assert len(info["retention"]["purposes"]) == len(declaration.purposes)
    # ... and the legal hold of each collection found that has one.
    for entry, (_, _, declared_collection) in zip(found["collections"], declared, strict=True):
        hold = declared_collection.legal_hold
        assert (entry["legal_hold"] or {}).get("reason") == (hold.reason[lang] if hold else None)

    # 15(1)(e): rectification, erasure, restriction, objection where it applies.
    rights = {r["right"]: r for r in info["rights"]["rights"]}
    for key, item in [
        ("rectification", TransparencyItem.RIGHT_RECTIFICATION),
        ("erasure", TransparencyItem.RIGHT_ERASURE),
        ("restriction", TransparencyItem.RIGHT_RESTRICTION),
    ]:
        entry = CHECKLIST[item]
        assert rights[key]["label"] == (entry.label_fr if lang == "fr" else entry.label_en)
    objectable = [p.name[lang] for p in declaration.purposes.values() if p.objection_allowed]
    assert rights.get("objection", {}).get("purposes") == (objectable or None)
    assert info["rights"]["contact"]["email"]

    # 15(1)(f): the complaint to the CNIL, with its contact.
    assert "CNIL" in info["complaint"]["authority"]
    assert info["complaint"]["address"].startswith("3 Place de Fontenoy")
    assert info["complaint"]["complaint_url"].startswith("https://www.cnil.fr/")

    # 15(1)(g): the sources, when not collected from the person.
    sourced = [p for p in declaration.purposes.values() if p.sources]
    assert info["sources"]["all_from_you"] is (not sourced)
    assert len(info["sources"]["sources"]) == sum(len(p.sources) for p in sourced)

    # 15(1)(h): automated decisions with their logic.
    automated = {k: p for k, p in declaration.purposes.items() if p.automated_decision}
    assert [a["purpose"] for a in info["automated_decisions"]] == list(automated)
    for entry in info["automated_decisions"]:
        decision = automated[entry["purpose"]].automated_decision
        assert decision is not None and entry["logic"] == decision.logic[lang]

    # The consents, with their receipt ids.
    assert info["consents"]["current"][0]["receipt_id"] == RECEIPT
    assert info["consents"]["current"][0]["expires_at"] == "2027-04-09T09:30:00+00:00"


def add_automated_decision(data: dict[str, Any]) -> None:
    """The starter, its ``security`` purpose deciding alone (with profiling) from a source."""
    data["purposes"]["security"]["automated_decision"] = {
        "profiling": True,
        "exception": "contract",
        "logic": {
            "fr": "un score de risque est calculé à partir de l'historique de vos connexions.",
            "en": "a risk score is computed from the history of your sign-ins.",
        },
        "significance": {
            "fr": "au-delà d'un seuil, la connexion est refusée.",
            "en": "above a threshold, the sign-in is refused.",
        },
    }
    data["purposes"]["security"]["sources"] = [
        {
            "kind": "third_party",
            "description": {"fr": "Liste partagée d'adresses IP", "en": "A shared IP list"},
        }
    ]


def test_the_optional_items_when_declared(write_declaration: Callable[..., Path]) -> None:
    """The examples declare transfers and sources; none an automated decision, so the
    starter gets one."""
    infos = [article15_information(_example(n), "en", datastores_found={}) for n in EXAMPLES]
    assert any(i["transfers"]["recipients"] for i in infos)
    assert any(not i["sources"]["all_from_you"] for i in infos)
    declaration = load(write_declaration(add_automated_decision))
    for lang in LANGS:
        info = article15_information(declaration, lang, datastores_found={})  # type: ignore[arg-type]
        assert info["automated_decisions"] == [
            {
                "purpose": "security",
                "name": declaration.purposes["security"].name[lang],
                "logic": declaration.purposes["security"].automated_decision.logic[lang],  # type: ignore[union-attr]
                "significance": declaration.purposes["security"].automated_decision.significance[
                    lang
                ],  # type: ignore[union-attr]
                "profiling": True,
                "exception": v.term(v.ART22_EXCEPTIONS, "contract", lang),  # type: ignore[arg-type]
                "human_review": True,
            }
        ]
        assert info["sources"]["all_from_you"] is False
        assert info["sources"]["sources"][0]["purpose"] == "security"


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_known_person_exported_from_the_demo_database(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = build(tmp_path / "demo", name, people=12, seed=3)
    monkeypatch.setenv("DEMO_DATABASE_URL", demo.database_url)
    declaration = _example(name)  # the example itself, its URL read from the environment
    export = RowsExport(tmp_path / "package", declaration, lambda text, keep: text)
    connectors = open_datastores(declaration)
    try:
        locate(
            plan_for(declaration),
            connectors,
            {kind: [value] for kind, value in demo.identities.items()},
            on_row=export.add,
        )
    finally:
        close_all(connectors)
    exported = export.finish()
    assert len(exported) >= 3
    info = article15_information(declaration, "fr", datastores_found=exported)
    assert [(c["collection"], c["rows"]) for c in info["found"]["collections"]] == [
        (e.collection, e.rows) for e in exported
    ]
    for entry, files in zip(info["found"]["collections"], exported, strict=True):
        assert entry["files"] == [
            f"records/{files.json_path.name}",
            f"records/{files.csv_path.name}",
        ]
        # The categories said for each field are those the JSON file itself carries.
        written = json.loads(files.json_path.read_text("utf-8"))["fields"]
        assert {f["name"]: [c["key"] for c in f["categories"]] for f in entry["fields"]} == {
            n: c for n, c in written.items() if c
        }
        assert {p["key"] for p in entry["purposes"]} <= set(declaration.purposes)
    # What each collection found is used for, where its categories say.
    assert any(entry["purposes"] for entry in info["found"]["collections"])


def test_consents_from_the_ledger_carry_their_receipt_ids(
    store: Store, write_declaration: Callable[..., Path]
) -> None:
    declaration = load(write_declaration())
    subject = "a1" * 16
    proof = Proof.collect("checkbox")
    with store.engine.begin() as conn:
        given = record_consent(
            conn, declaration, subject, "newsletter", "given", channel="web", proof=proof,
            now=AT, actor=ACTOR,
        )  # fmt: skip
        withdrawn = record_consent(
            conn, declaration, subject, "newsletter", "withdrawn", channel="email", proof=proof,
            now=AT + dt.timedelta(days=3), actor=ACTOR,
        )  # fmt: skip
        overview = consent_overview(
            conn, declaration, subject, actor=ACTOR, now=AT + dt.timedelta(days=4)
        )
    info = article15_information(declaration, "en", datastores_found=[], consents=overview)
    assert info["consents"]["current"] == [
        {
            "purpose": "newsletter",
            "name": declaration.purposes["newsletter"].name["en"],
            "status": "withdrawn",
            "at": (AT + dt.timedelta(days=3)).isoformat(),
            "expires_at": info["consents"]["current"][0]["expires_at"],
            "receipt_id": withdrawn.public_id,
            "needs_renewal": False,
            "channel": "email",
        }
    ]
    assert [(c["status"], c["receipt_id"]) for c in info["consents"]["history"]] == [
        ("given", given.public_id),
        ("withdrawn", withdrawn.public_id),
    ]
    # The same entries from the overview as a plain sequence.
    assert consent_entries(overview)[0].receipt_id == withdrawn.public_id
    plain = article15_information(
        declaration, "en", datastores_found=[], consents=consent_entries(overview)
    )
    assert plain["consents"]["current"] == info["consents"]["current"]
    assert plain["consents"]["history"] == []


def test_nothing_found_is_said_and_the_rest_is_still_given(
    write_declaration: Callable[..., Path],
) -> None:
    declaration = load(write_declaration())
    for found in ([], {}, {("shop", "customers"): 0}):
        info = article15_information(declaration, "fr", datastores_found=found)
        assert info["found"] == {"any": False, "collections": []}
        assert info["categories"]["concerned"] == []
        assert info["categories"]["declared"]
        assert info["purposes"] and info["rights"]["rights"] and info["complaint"]["authority"]
        assert info["consents"] == {"current": [], "history": []}


def test_refusals_say_what_to_change(tmp_path: Path) -> None:
    declaration = _example("komin")
    with pytest.raises(RenderError, match='choose "fr", "en" or "de"'):
        article15_information(declaration, "es", datastores_found=[])  # type: ignore[arg-type]
    with pytest.raises(RenderError, match=r'no access summary in "de": .* publishes in fr, en'):
        article15_information(declaration, "de", datastores_found=[])
    with pytest.raises(
        RenderError, match=r'"komin_site\.nowhere" was exported but is not declared'
    ):
        article15_information(declaration, "en", datastores_found={("komin_site", "nowhere"): 1})
    stray = ExportedCollection(
        "other", "table", 1, tmp_path / "other.table.json", tmp_path / "other.table.csv"
    )
    with pytest.raises(RenderError, match="export with the declaration"):
        article15_information(declaration, "en", datastores_found=[stray])
