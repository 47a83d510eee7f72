"""Every Fides taxonomy key has a French and an English label; unknown keys fall back sensibly."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from gardien.declaration.models import Declaration
from gardien.notice import fallback_label, label
from gardien.notice.labels import KINDS, Kind, taxonomy_labels

TAXONOMY = json.loads(
    resources.files("gardien.declaration")
    .joinpath("data", "fideslang-taxonomy.json")
    .read_text("utf-8")
)


@pytest.mark.parametrize("kind", KINDS)
def test_every_taxonomy_key_has_both_labels(kind: Kind) -> None:
    keys = {entry["fides_key"] for entry in TAXONOMY[kind]}
    labels = taxonomy_labels()[kind]
    assert keys == set(labels)
    for key in keys:
        assert labels[key].fr.strip() and labels[key].en.strip(), key


def test_taxonomy_sizes_are_those_announced() -> None:
    assert [len(TAXONOMY[kind]) for kind in KINDS] == [85, 56, 15]


def test_declared_label_wins(declaration: Declaration) -> None:
    assert (
        label("user.contact.emergency", "en", "data_categories", declaration) == "Emergency contact"
    )
    assert (
        label("event_attendee", "fr", "data_subjects", declaration)
        == "Participants à nos événements"
    )


def test_shipped_label_is_used_for_taxonomy_keys() -> None:
    assert label("user.contact.email", "fr", "data_categories") == "Adresse e-mail"
    assert label("marketing.communications.email", "en", "data_uses") == "E-mail marketing"


def test_custom_key_falls_back_to_nearest_ancestor() -> None:
    assert fallback_label("user.content.feedback", "fr", "data_categories") == (
        "Contenus de l'utilisateur : feedback"
    )
    assert fallback_label("user.financial.iban_number", "en", "data_categories") == (
        "Financial data: iban number"
    )
    # Through a key that is itself unknown, up to the nearest labelled one.
    assert fallback_label("user.contact.pro.linkedin_url", "en", "data_categories") == (
        "Contact details: linkedin url"
    )


def test_declared_parent_is_the_ancestor(declaration: Declaration) -> None:
    assert label("user.content.feedback", "en", "data_categories", declaration) == (
        "User content: feedback"
    )


def test_key_without_any_ancestor_is_prettified() -> None:
    assert fallback_label("app_user", "fr", "data_subjects") == "App user"
