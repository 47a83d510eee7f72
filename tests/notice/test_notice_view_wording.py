"""Facts the view words for the templates: the postal channel, objection, legal form."""

from __future__ import annotations

import pytest

from gardien.declaration.models import Declaration, LegalBasis
from gardien.notice import render_notice
from gardien.notice.view import postal_channel


@pytest.mark.parametrize(
    ("company", "address", "expected"),
    [
        # The letter goes to the company: its name heads the address ...
        ("Auticiel", "3 rue Jules César, 75012 Paris", "Auticiel, 3 rue Jules César, 75012 Paris"),
        # ... unless the address gives it already, whole or shorter.
        ("KIO SOFTWARE", "KIO SOFTWARE, « Vie Privée », 143 bis avenue", None),
        ("ActiveViam SAS", "ActiveViam, 46 rue de l'Arbre Sec, 75001 Paris", None),
        ("Pertimm Développement", "Claire Exemple, Pertimm Développement, 51 bd", None),
    ],
)
def test_the_postal_channel_names_the_company_once(
    company: str, address: str, expected: str | None
) -> None:
    assert postal_channel(company, address) == (expected or address)
    assert postal_channel(company, None) is None


def test_a_legitimate_interest_purpose_that_markets_keeps_both_objections(
    declaration: Declaration,
) -> None:
    """Art. 21(2)-(3) for the marketing, Art. 21(1) for the rest of the purpose."""
    marketing = [
        key
        for key, p in declaration.purposes.items()
        if p.direct_marketing and p.legal_basis is LegalBasis.LEGITIMATE_INTEREST
    ]
    assert marketing  # the fixture's B2B prospecting
    name = declaration.purposes[marketing[0]].name
    fr = render_notice(declaration, "fr", "md")
    assert (
        "à des fins de prospection commerciale ; vous pouvez vous opposer au reste de ce "
        "traitement pour des raisons tenant à votre situation particulière." in fr
    )
    objection = next(
        line
        for line in fr.splitlines()
        if "**Opposition pour des raisons tenant à votre situation particulière" in line
    )
    assert name.fr in objection
    en = render_notice(declaration, "en", "md")
    assert "to the use of your data for direct marketing; you may object to the rest" in en
    # A consent purpose that markets has only the absolute right: nothing else to object to.
    consent = [
        p
        for p in declaration.purposes.values()
        if p.direct_marketing and p.legal_basis is LegalBasis.CONSENT
    ]
    assert consent
    assert consent[0].name.fr not in objection
