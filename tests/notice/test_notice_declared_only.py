"""A sentence the notice states on the company's word appears only when it is declared.

Each case removes a declaration from the starter and checks that its sentence is
gone from the notice, in both languages; the starter itself (which declares it)
is the positive control.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gardien.declaration import load_valid
from gardien.notice import render_notice

Data = dict[str, Any]


def _add_legal_hold(d: Data) -> None:
    d["legal_holds"] = {
        "dispute": {
            "reason": {"fr": "un litige avec un client", "en": "a dispute with a customer"},
            "purposes": ["invoicing"],
        }
    }


def _add_special_category(d: Data) -> None:
    d["data_categories"]["user.health_and_medical"] = {}
    d["purposes"]["service"]["categories"].append("user.health_and_medical")
    d["purposes"]["service"]["special_category_condition"] = "explicit_consent"
    d["purposes"]["service"]["legal_basis"] = "consent"
    d["purposes"]["service"]["consent"] = {"wording": {"fr": "J'accepte.", "en": "I agree."}}


def _drop_special_category(d: Data) -> None:
    del d["data_categories"]["user.health_and_medical"]
    d["purposes"]["service"]["categories"].remove("user.health_and_medical")
    d["purposes"]["service"].pop("special_category_condition")


def _no_cookies_at_all(d: Data) -> None:
    d["cookies"] = {}
    d["purposes"]["service"].pop("requirement", None)


# (case, what the starter is changed by to declare it (None: the starter does),
#  what removes the declaration, the French and English sentences)
CASES: list[tuple[str, Callable[[Data], None] | None, Callable[[Data], None], str, str]] = [
    (
        "collected-directly",
        None,
        lambda d: d["notice"].pop("collected_directly"),
        "Toutes les données que nous traitons sont collectées directement auprès de vous.",
        "We collect all the data we process directly from you.",
    ),
    (
        "extension",
        None,
        lambda d: d["rights"].pop("extension"),
        "Ce délai peut être prolongé",
        "This period may be extended",
    ),
    (
        "verification",
        None,
        lambda d: d["rights"].pop("verification"),
        "nous vérifions votre identité",
        "we verify your identity",
    ),
    (
        "security",
        None,
        lambda d: d.pop("security_measures"),
        "Sécurité de vos données",
        "Security of your data",
    ),
    (
        "requirement",
        None,
        lambda d: d["purposes"]["service"].pop("requirement"),
        "**Fourniture du service :** La fourniture de ces données",
        "**Providing the service:** Providing this data",
    ),
    (
        "cookies-section",
        None,
        lambda d: d.pop("cookies"),
        "Cookies et autres traceurs",
        "Cookies and similar technologies",
    ),
    (
        "no-cookie-statement",
        _no_cookies_at_all,
        lambda d: d.pop("cookies"),
        "Nous ne déposons aucun cookie ni autre traceur",
        "We do not store any cookie or similar technology",
    ),
    (
        "legal-holds",
        _add_legal_hold,
        lambda d: d.pop("legal_holds"),
        "constatation, à l'exercice ou à la défense de droits en justice, nous pouvons",
        "establish, exercise or defend legal claims, we may keep it",
    ),
    (
        "special-categories",
        _add_special_category,
        _drop_special_category,
        "Les catégories particulières de données (données dites « sensibles »)",
        "Special categories of data (“sensitive data”) are processed only",
    ),
    (
        "processors",
        None,
        lambda d: [r.update(role="independent_controller") for r in d["recipients"].values()],
        "Nos sous-traitants agissent uniquement sur nos instructions.",
        "Our processors act only on our instructions.",
    ),
    (
        "postal",
        lambda d: d["rights"].update(postal_address="1 rue de l'Exemple, 75001 Paris"),
        lambda d: d["rights"].pop("postal_address"),
        "par courrier à l'adresse suivante : Example SAS, 1 rue de l'Exemple",
        "by post to: Example SAS, 1 rue de l'Exemple",
    ),
]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(
    ("case", "declare", "remove", "fr", "en"), CASES, ids=[c[0] for c in CASES]
)
def test_a_statement_appears_only_when_declared(
    write_declaration: Callable[..., Path],
    lang: str,
    case: str,
    declare: Callable[[Data], None] | None,
    remove: Callable[[Data], None],
    fr: str,
    en: str,
) -> None:
    phrase = fr if lang == "fr" else en

    def declared(d: Data) -> None:
        if declare is not None:
            declare(d)

    def removed(d: Data) -> None:
        declared(d)
        remove(d)

    with_it = render_notice(load_valid(write_declaration(declared, "with.yaml")), lang, "md")
    without = render_notice(load_valid(write_declaration(removed, "without.yaml")), lang, "md")
    assert phrase in with_it, case
    assert phrase not in without, case
