"""gardien's output conforms to the standards' own artifacts, kept in tests/standards.

The copies in the repository are what every checkout checks against: the
Kantara Consent Receipt v1.1 schema must be a valid JSON Schema that accepts
the specification's example, refuses a receipt that lacks what it requires,
and accepts the receipts gardien produces. When the project's shared originals
sit beside the checkout (``../shared/standards``), the copies must be
byte-for-byte identical to them.
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from actors import ACTOR
from gardien.consent import Proof, receipt, record_consent
from gardien.declaration import load
from gardien.store import Store

HERE = Path(__file__).parent / "standards"
SHARED = Path(__file__).parents[2] / "shared" / "standards"
FILES = sorted(p.name for p in HERE.glob("*.json"))
SCHEMA = "kantara-consent-receipt-v1_1-schema.json"
EXAMPLE = "kantara-consent-receipt-v1_1-example.json"

# A JSON string (kept as it is) or a // comment outside any string (dropped).
_STRING_OR_COMMENT = re.compile(r'("(?:\\.|[^"\\])*")|//[^\n]*')


def _read(name: str) -> Any:
    """A JSON artifact of tests/standards; the published schema carries // comments."""
    text = (HERE / name).read_text("utf-8")
    return json.loads(_STRING_OR_COMMENT.sub(lambda m: m.group(1) or "", text))


def _validator() -> jsonschema.protocols.Validator:
    schema = _read(SCHEMA)
    cls = jsonschema.validators.validator_for(schema, default=None)
    assert cls is jsonschema.Draft4Validator, "the Kantara v1.1 schema declares draft-04"
    cls.check_schema(schema)
    return cls(schema)


def test_the_copies_exist() -> None:
    assert FILES == [EXAMPLE, SCHEMA]


def test_the_schema_accepts_the_specifications_example() -> None:
    _validator().validate(_read(EXAMPLE))


@pytest.mark.parametrize(
    "damage",
    [
        lambda r: r.pop("piiControllers"),
        lambda r: r.update(consentTimestamp=-1),
        lambda r: r["services"][0]["purposes"][0].pop("thirdPartyName"),
    ],
    ids=["no controller", "negative timestamp", "disclosure without a name"],
)
def test_the_schema_refuses_a_damaged_receipt(damage: Callable[[dict[str, Any]], None]) -> None:
    document = copy.deepcopy(_read(EXAMPLE))
    assert document["services"][0]["purposes"][0]["thirdPartyDisclosure"] is True
    damage(document)
    with pytest.raises(jsonschema.ValidationError):
        _validator().validate(document)


@pytest.mark.parametrize("kinds", [("given",), ("refused",), ("given", "withdrawn")])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_gardiens_consent_receipts_conform(
    store: Store, write_declaration: Callable[..., Path], kinds: tuple[str, ...], lang: str
) -> None:
    declaration = load(write_declaration())
    proof = Proof.collect("checkbox", ip="203.0.113.77", user_agent="Firefox")
    subject = uuid.uuid4().hex
    with store.engine.begin() as conn:
        for kind in kinds:
            event = record_consent(
                conn, declaration, subject, "newsletter", kind,
                channel="web", proof=proof, lang=lang,
                actor=ACTOR,
            )  # fmt: skip
        document = receipt(conn, event.id, declaration, lang, actor=ACTOR)
    _validator().validate(document)
    # Not required by the schema, but a receipt without them says nothing to its reader.
    [service] = document["services"]
    [purpose] = service["purposes"]
    assert purpose["purpose"] and service["service"]
    assert document["language"] == lang


def test_every_shared_original_has_a_copy() -> None:
    if not SHARED.is_dir():
        pytest.skip(f"no shared originals at {SHARED} to compare the copies with")
    assert sorted(p.name for p in SHARED.glob("*.json")) == FILES


@pytest.mark.parametrize("name", FILES)
def test_the_copy_is_the_shared_original(name: str) -> None:
    original = SHARED / name
    if not SHARED.is_dir():
        pytest.skip(f"no shared originals at {SHARED} to compare the copies with")
    assert original.is_file(), f"{name} is not among the shared originals"
    assert (HERE / name).read_bytes() == original.read_bytes(), (
        f"tests/standards/{name} differs from {original}: copy the original unchanged"
    )
