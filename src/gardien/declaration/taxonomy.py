"""The vocabulary of data categories, data uses and data subjects.

Keys follow the Fides taxonomy (fideslang, pinned in ``data/fideslang-taxonomy.json``
with its source and licence) so that a Fides user's datasets carry over. A
company adds its own keys in ``data_categories`` under a declared parent. This
module also knows which keys are special categories (Art. 9 and 10) and which
countries a transfer may reach without a further safeguard.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from gardien.declaration.models import DataCategory, SpecialCategory


@dataclass(frozen=True)
class TaxonomyEntry:
    key: str
    name: str
    description: str
    parent: str | None
    replaced_by: str | None = None


@dataclass(frozen=True)
class Taxonomy:
    version: str
    source: str
    licence: str
    data_categories: Mapping[str, TaxonomyEntry]
    data_uses: Mapping[str, TaxonomyEntry]
    data_subjects: Mapping[str, TaxonomyEntry]


def _read_json(name: str) -> Any:
    return json.loads(
        resources.files("gardien.declaration").joinpath("data", name).read_text("utf-8")
    )


def _entries(raw: list[dict[str, str]]) -> dict[str, TaxonomyEntry]:
    return {
        item["fides_key"]: TaxonomyEntry(
            key=item["fides_key"],
            name=item["name"],
            description=item.get("description", ""),
            parent=item.get("parent_key"),
            replaced_by=item.get("replaced_by"),
        )
        for item in raw
    }


@cache
def fides_taxonomy() -> Taxonomy:
    """The pinned Fides taxonomy shipped with gardien."""
    raw = _read_json("fideslang-taxonomy.json")
    return Taxonomy(
        version=raw["version"],
        source=raw["source"],
        licence=raw["licence"],
        data_categories=_entries(raw["data_categories"]),
        data_uses=_entries(raw["data_uses"]),
        data_subjects=_entries(raw["data_subjects"]),
    )


# Fides keys that are special categories; the longest matching prefix wins.
SPECIAL_CATEGORY_KEYS: Mapping[str, SpecialCategory] = {
    "user.biometric": SpecialCategory.BIOMETRIC,
    "user.biometric.health": SpecialCategory.HEALTH,
    "user.authorization.biometric": SpecialCategory.BIOMETRIC,
    "user.health_and_medical": SpecialCategory.HEALTH,
    "user.health_and_medical.genetic": SpecialCategory.GENETIC,
    "user.demographic.political_opinion": SpecialCategory.POLITICAL_OPINIONS,
    "user.demographic.race_ethnicity": SpecialCategory.RACIAL_ETHNIC_ORIGIN,
    "user.demographic.religious_belief": SpecialCategory.RELIGIOUS_BELIEFS,
    "user.demographic.sexual_orientation": SpecialCategory.SEX_LIFE_ORIENTATION,
    "user.criminal_history": SpecialCategory.CRIMINAL,
}


def ancestry(key: str, declared: Mapping[str, DataCategory]) -> list[str]:
    """``key`` and its ancestors, nearest first, through declared parents then dots."""
    chain: list[str] = []
    current: str | None = key
    while current is not None and current not in chain:
        chain.append(current)
        entry = declared.get(current)
        if entry is not None and entry.parent is not None:
            current = entry.parent
        else:
            current = current.rpartition(".")[0] or None
    return chain


def special_category(key: str, declared: Mapping[str, DataCategory]) -> SpecialCategory | None:
    """The Art. 9/10 category ``key`` belongs to, if any."""
    for ancestor in ancestry(key, declared):
        entry = declared.get(ancestor)
        if entry is not None and entry.special is not None:
            return entry.special
        if ancestor in SPECIAL_CATEGORY_KEYS:
            return SPECIAL_CATEGORY_KEYS[ancestor]
    return None


#: How alike two words must be (difflib's ratio) to be one word mistyped: "adress" and
#: "address" (0.92), "lgos" and "logs" (0.75); not "account" and "content" (0.71).
WORD_CUTOFF = 0.75
_WORD_SPLIT = re.compile(r"[._\-\s]+")


def _words(key: str) -> list[str]:
    return [w for w in _WORD_SPLIT.split(key.lower()) if w]


#: Two words that share this many first letters are one word in two forms ("deleted",
#: "deletion").
STEM_LENGTH = 5


def _same_word(a: str, b: str) -> bool:
    if len(a) >= STEM_LENGTH and a[:STEM_LENGTH] == b[:STEM_LENGTH]:
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= WORD_CUTOFF


def _is_close(word: str, choice: str) -> bool:
    """True when ``choice`` is what ``word`` was meant to be: each word of ``word`` is a
    word of ``choice``, mistyped at most ("acount_deleted" → "account_deletion",
    "withdrawal" → "consent_withdrawal"), or ``word`` is ``choice`` with one word added
    ("consent_withdrawal_date"). A shared word alone is not enough: "publication_withdrawn"
    is not "consent_withdrawal", nor "account_closed" "request_closed"."""
    return _each_word_meant(word, choice) or _one_word_added(word, choice)


def _each_word_meant(word: str, choice: str) -> bool:
    typed, meant = _words(word), _words(choice)
    return bool(typed) and all(any(_same_word(t, m) for m in meant) for t in typed)


def _one_word_added(word: str, choice: str) -> bool:
    typed, meant = _words(word), _words(choice)
    return len(typed) == len(meant) + 1 and all(m in typed for m in meant)


def suggestion(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean "x"?)`` when a choice is ``word`` mistyped, else an empty string.

    difflib ranks the candidates; only one whose words match ``word``'s is offered,
    so that a name with nothing in common but a few letters gets no suggestion.
    """
    candidates = difflib.get_close_matches(word, list(choices), n=5, cutoff=0.5)
    close = [c for c in candidates if _each_word_meant(word, c)]
    close += [c for c in candidates if _one_word_added(word, c)]
    return f' (did you mean "{close[0]}"?)' if close else ""


@dataclass(frozen=True)
class AdequacyEntry:
    name: str
    decision: str
    scope: str | None


@dataclass(frozen=True)
class TransferRules:
    """Countries of the EEA and those under an adequacy decision, with the list's date."""

    as_of: str
    source: str
    eea: frozenset[str]
    adequacy: Mapping[str, AdequacyEntry]

    def needs_safeguard(self, country: str) -> bool:
        return country not in self.eea and country not in self.adequacy


@cache
def transfer_rules() -> TransferRules:
    raw = _read_json("adequacy.json")
    return TransferRules(
        as_of=raw["as_of"],
        source=raw["source"],
        eea=frozenset(raw["eea"]),
        adequacy={
            code: AdequacyEntry(item["name"], item["decision"], item.get("scope"))
            for code, item in raw["adequacy"].items()
        },
    )
