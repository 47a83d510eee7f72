"""The Art. 13/14 checklist: one entry per key, each with its provisions and labels."""

from __future__ import annotations

import re

import pytest

from gardien.declaration.transparency import CHECKLIST, TransparencyItem

#: "13(1)(a), 14(1)(a)", "13(2)(b), 14(2)(c), 15", "21(2)-(4)"; another act is named first.
ARTICLES = re.compile(
    r"^(ePrivacy )?\d+(\(\d+\))?(\([a-z]\))?(-\(\d+\))?(, \d+(\(\d+\))?(\([a-z]\))?)*$"
)


def test_every_key_has_one_entry_in_key_order() -> None:
    assert list(CHECKLIST) == list(TransparencyItem)
    assert all(entry.item is key for key, entry in CHECKLIST.items())


def test_keys_are_lowercase_words() -> None:
    assert all(re.fullmatch(r"[a-z]+(_[a-z0-9]+)*", key) for key in TransparencyItem)


@pytest.mark.parametrize("key", list(TransparencyItem))
def test_entry_names_its_provisions_and_labels(key: TransparencyItem) -> None:
    entry = CHECKLIST[key]
    assert ARTICLES.match(entry.article), entry.article
    assert entry.label_en.strip() and entry.label_fr.strip()
    assert entry.not_linted is None or entry.not_linted.strip()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_labels_are_distinct(lang: str) -> None:
    labels = [entry.label_en if lang == "en" else entry.label_fr for entry in CHECKLIST.values()]
    assert len(labels) == len(set(labels))
