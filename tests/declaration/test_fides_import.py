"""Fides dataset files imported as datastore collections."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gardien.declaration import load, validate
from gardien.errors import DeclarationError

DATASET = """\
dataset:
  - fides_key: shop_db
    name: Shop database
    collections:
      - name: customer
        fields:
          - name: id
            data_categories: [user.unique_id]
            fides_meta:
              primary_key: True
          - name: email
            data_categories: [user.contact.email]
            fides_meta:
              identity: email
              data_type: string
          - name: address
            fields:
              - name: city
                data_categories: [user.contact.address.city]
      - name: orders
        fields:
          - name: customer_id
            data_categories: [user.unique_id]
            fides_meta:
              references:
                - dataset: shop_db
                  field: customer.id
                  direction: from
"""


def _with_store(d: dict[str, Any]) -> None:
    d["data_categories"].update({"user.unique_id": {}, "user.contact.address.city": {}})
    d["datastores"] = {"shop": {"url": {"$env": "SHOP_URL"}, "fides_dataset": "shop.fides.yml"}}


def test_collections_identity_and_references_carry_over(
    write_declaration: Callable[..., Path], tmp_path: Path
) -> None:
    (tmp_path / "shop.fides.yml").write_text(DATASET, "utf-8")
    path = write_declaration(_with_store)
    store = load(path).datastores["shop"]
    assert set(store.collections) == {"customer", "orders"}
    customer = store.collections["customer"].fields
    assert customer["id"].primary_key is True
    assert customer["email"].identity == "email"
    assert customer["email"].categories == ("user.contact.email",)
    assert customer["address.city"].categories == ("user.contact.address.city",)
    reference = store.collections["orders"].fields["customer_id"].references
    assert reference is not None and (reference.collection, reference.field) == ("customer", "id")
    assert validate(path).ok


def test_reference_to_another_dataset_is_reported_in_the_dataset_file(
    write_declaration: Callable[..., Path], tmp_path: Path
) -> None:
    dataset = tmp_path / "shop.fides.yml"
    dataset.write_text(DATASET.replace("- dataset: shop_db", "- dataset: billing_db"), "utf-8")
    path = write_declaration(_with_store)
    with pytest.raises(DeclarationError) as caught:
        load(path)
    [problem] = caught.value.problems
    assert problem.file == str(dataset)
    assert problem.line == DATASET.splitlines().index("              references:") + 1
    assert "references dataset 'billing_db', which is not in this file" in problem.message


def test_categories_of_imported_fields_must_be_declared(
    write_declaration: Callable[..., Path], tmp_path: Path
) -> None:
    (tmp_path / "shop.fides.yml").write_text(DATASET, "utf-8")

    def without_city(d: dict[str, Any]) -> None:
        _with_store(d)
        del d["data_categories"]["user.contact.address.city"]

    report = validate(write_declaration(without_city))
    assert any(
        "'user.contact.address.city' is used but not declared" in e.message for e in report.errors
    )


def test_missing_dataset_file(write_declaration: Callable[..., Path], tmp_path: Path) -> None:
    path = write_declaration(_with_store)
    with pytest.raises(DeclarationError) as caught:
        load(path)
    assert (
        str(caught.value)
        == f"{tmp_path / 'shop.fides.yml'}:1:1: no such file: check the path, or create one with `gardien init`"
    )
