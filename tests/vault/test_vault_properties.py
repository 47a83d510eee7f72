"""Property: any JSON attribute value round-trips through validation and encryption."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actors import ACTOR
from gardien.store import Store
from gardien.vault import JSONValue, Vault, crypto
from gardien.vault import attributes as attrs

json_values: st.SearchStrategy[JSONValue] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(), children, max_size=5)
    ),
    max_leaves=25,
)

KEY = crypto.new_key()
SUBJECT = "0123456789abcdef" * 2


def _same(a: object, b: object) -> bool:
    # == alone would accept 1 for 1.0 and True for 1: compare the JSON text too.
    return a == b and json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


@given(st.dictionaries(st.text(), json_values, max_size=8))
def test_attributes_round_trip_through_encryption(value: dict[str, JSONValue]) -> None:
    checked = attrs.check_attributes(value)
    sealed = crypto.seal_field(KEY, SUBJECT, "attributes", attrs.encode(checked))
    assert _same(attrs.decode(crypto.open_field(KEY, SUBJECT, "attributes", sealed)), value)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=json_values)
def test_attribute_values_round_trip_through_the_store(
    store: Store, vault: Vault, value: JSONValue
) -> None:
    with store.engine.begin() as conn:
        subject = vault.register(conn, {"user_id": "property"}, actor=ACTOR).subject_id
        vault.update_attributes(conn, subject, {"value": value}, actor=ACTOR)
    with store.engine.connect() as conn:
        assert _same(vault.read(conn, subject, actor=ACTOR).attributes["value"], value)
