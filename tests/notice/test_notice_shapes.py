"""What the notice and the register say of the shapes real policies have.

The French SME's declaration (``fixtures/sme-fr.yaml``) was written for these tests in
the shape of the policies French SMEs publish; its notices were read sentence by
sentence and are pinned as golden files (regenerate with ``GARDIEN_UPDATE_GOLDEN=1``
and review the diff). The other tests change one thing and read the sentence it makes.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from notice_helpers import visible_text
from test_notice_examples import _golden

from gardien.declaration import load_valid
from gardien.declaration.models import CompanyEvent, Declaration, RetentionRule
from gardien.declaration.values import Text
from gardien.notice import export_register, render_notice
from gardien.notice.wording import retention_sentence

SME = Path(__file__).parent / "fixtures" / "sme-fr.yaml"


@cache
def _sme() -> Declaration:
    return load_valid(SME)


def _notice(declaration: Declaration, lang: str, fmt: str = "md") -> str:
    text = render_notice(declaration, lang, fmt, version="3", date=dt.date(2026, 1, 15))  # type: ignore[arg-type]
    return visible_text(text, fmt) if fmt == "html" else text


def _changed(**changes: Any) -> Declaration:
    data = copy.deepcopy(_sme().model_dump(by_alias=True, exclude_unset=True))
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[last] = value
    return Declaration.model_validate(data)


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_sme_notice_matches_golden(lang: str, fmt: str) -> None:
    produced = render_notice(_sme(), lang, fmt, version="3", date=dt.date(2026, 1, 15))  # type: ignore[arg-type]
    _golden(f"sme-fr.notice.{lang}.{fmt}", produced.encode("utf-8"))


def test_sme_register_matches_golden() -> None:
    _golden("sme-fr.register.json", export_register(_sme(), "json"))


def test_operations_are_printed_as_the_policy_tables_read() -> None:
    fr = _notice(_sme(), "fr")
    assert "Gestion de la clientèle : opérations et bases légales" in fr
    assert (
        "| Facturation et tenue de la comptabilité | le respect d'une obligation légale à "
        "laquelle nous sommes soumis (article 6.1.c du RGPD) | Texte de référence : Code de "
        "commerce, art. L123-22 ; Code général des impôts, art. 289 ; données : nom et "
        "prénom, adresse postale, historique d'achats |"
    ) in fr
    # The summary table names every basis of the purpose, once each.
    assert (
        "| Publication de vos avis | l'exécution du contrat conclu avec vous ou de mesures "
        "précontractuelles prises à votre demande (article 6.1.b du RGPD) ; notre intérêt "
        "légitime (article 6.1.f du RGPD) |"
    ) in fr
    # A purpose with operations does not claim one basis for all of them.
    section = fr.split("### Gestion de la clientèle")[1].split("###")[0]
    assert "**Base légale :**" not in section
    assert "**Bases légales :** chaque opération de ce traitement repose sur sa propre" in section


def test_objection_is_offered_for_the_operations_it_applies_to() -> None:
    en = _notice(_sme(), "en")
    assert (
        "you may object, on grounds relating to your particular situation, to the following "
        "operations of this processing: satisfaction surveys after delivery." in en
    )
    assert "Customer management (satisfaction surveys after delivery)" in en
    # Recruitment rests on the contract alone: no objection line.
    recruitment = en.split("### Recruitment")[1].split("###")[0]
    assert "Right to object" not in recruitment


def test_the_register_gives_one_line_per_operation() -> None:
    rows = json.loads(export_register(_sme(), "json"))["activities"]
    customers = next(r for r in rows if r["reference"] == "customers")
    assert customers["legal_basis"] == [
        "Traitement des commandes, paiement et livraison : Exécution d'un contrat (art. 6.1.b)",
        "Facturation et tenue de la comptabilité : Obligation légale (art. 6.1.c) (Code de "
        "commerce, art. L123-22 ; Code général des impôts, art. 289)",
        "Garanties légales et service après-vente : Obligation légale (art. 6.1.c) (Code de la "
        "consommation, art. L217-3 et suivants)",
        "Enquêtes de satisfaction après livraison : Intérêt légitime (art. 6.1.f) : mesurer la "
        "satisfaction de nos clients pour améliorer nos meubles et notre service",
    ]
    reviews = next(r for r in rows if r["reference"] == "reviews")
    assert any(
        line.startswith("Public : Les visiteurs de notre site")
        and "données reçues : Prénom, avis publiés sur nos produits" in line
        for line in reviews["recipients"]
    )
    assert any("Union européenne" in line for line in customers["recipients"])


def test_company_events_and_whichever_comes_first_are_written_out() -> None:
    fr, en = _notice(_sme(), "fr"), _notice(_sme(), "en")
    assert "Jusqu'au retrait de l'avis, dans la limite de 5 ans à compter de la collecte" in fr
    assert "Until the review is withdrawn, for no longer than 5 years after collection" in en
    assert (
        "Until your account on the social network is deleted, for no longer than 2 years "
        "after the last contact, then deleted." in en
    )


def test_retention_per_kind_of_person() -> None:
    fr = _notice(_sme(), "fr")
    assert (
        "| Prospection commerciale | Pour les prospects : 3 ans à compter du dernier contact, "
        "puis suppression. Pour les clients : 3 ans à compter de la fin de la relation "
        "commerciale, puis suppression. |"
    ) in fr


def test_indefinite_retention_prints_its_reason() -> None:
    reason = {
        "fr": "Les avis forment l'historique public de nos produits.",
        "en": "Reviews form the public history of our products.",
    }
    declaration = _changed(retention__reviews={"indefinitely": reason})
    assert (
        "Sans limitation de durée, pour la raison suivante : les avis forment l'historique "
        "public de nos produits." in _notice(declaration, "fr")
    )
    assert (
        "Without time limit, for the following reason: reviews form the public history of "
        "our products." in _notice(declaration, "en")
    )


def test_recipients_by_region_the_public_and_the_data_they_receive() -> None:
    en = _notice(_sme(), "en")
    assert "| Recipient | Role | Service | Country | Data received |" in en
    assert (
        "| Our carriers | processor | delivering orders | European Union | Name, postal "
        "address, phone number |" in en
    )
    assert (
        "| Visitors to our site | published content | reading published reviews | — | First "
        "name, reviews of our products you publish |" in en
    )
    assert "this is not a transfer of your data to a particular recipient" in en
    assert "Your data is not transferred outside the European Economic Area." in en


def test_no_data_received_column_when_no_recipient_declares_it() -> None:
    data = _sme().model_dump(by_alias=True, exclude_unset=True)
    for recipient in data["recipients"].values():
        recipient.pop("categories", None)
    en = _notice(Declaration.model_validate(data), "en")
    assert "| Recipient | Role | Service | Country |\n" in en
    assert "Data received" not in en


def test_identity_is_checked_only_on_doubt() -> None:
    fr, en = _notice(_sme(), "fr"), _notice(_sme(), "en")
    assert (
        "Nous vérifions votre identité uniquement en cas de doute raisonnable "
        "sur celle-ci (article 12.6 du RGPD), et nous nous limitons alors à ce qui est "
        "nécessaire pour lever ce doute. Dans ce cas, vous devrez joindre à votre demande la "
        "copie d'un justificatif d'identité." in fr
    )
    assert "we verify your identity before acting on your request" not in en
    alone = _notice(_changed(rights__verification="on_doubt"), "en")
    assert (
        "We verify your identity only where we have reasonable doubts about it "
        "(Article 12(6) GDPR), and we then ask only for what is needed to remove that doubt.\n"
    ) in alone


def test_several_verification_methods_are_alternatives() -> None:
    declaration = _changed(rights__verification=["account_login", "email_code"])
    assert (
        "we verify your identity before acting on your request: you will be asked to sign in "
        "to your account or you will be asked to enter a one-time code sent to the e-mail "
        "address we hold for you." in _notice(declaration, "en")
    )


def test_contact_channels_are_listed_in_order() -> None:
    fr = _notice(_sme(), "fr")
    assert (
        "- par e-mail à [donnees@atelier-gaudin.fr](<mailto:donnees@atelier-gaudin.fr>) ;\n"
        "- au moyen du formulaire disponible sur [https://www.atelier-gaudin.fr/contact]"
        "(<https://www.atelier-gaudin.fr/contact>) (rubrique « Mes données personnelles ») ;\n"
        "- par courrier à : Atelier Gaudin, Données personnelles, 14 quai de la Fosse, "
        "44000 Nantes ;\n"
        "- par téléphone au +33 2 40 12 34 56 (du lundi au vendredi, de 9 h à 17 h).\n"
    ) in fr


_LABEL = st.text(
    alphabet=st.characters(whitelist_categories=("Ll", "Lu"), whitelist_characters=" '"),
    min_size=3,
    max_size=40,
).filter(lambda s: s.strip() and not s.strip().endswith("."))


@settings(max_examples=50, deadline=None)
@given(fr=_LABEL, en=_LABEL, field=st.sampled_from(["after", "until"]))
def test_a_company_event_is_written_with_its_label(fr: str, en: str, field: str) -> None:
    # The label is printed as written, but for the spaces that end it.
    events = {"ev": CompanyEvent(label=Text(fr=f"le {fr}", en=f"the {en}"))}
    if field == "after":
        rule = RetentionRule.model_validate({"duration": "2 years", "after": "ev"})
        assert f"2 ans à compter du {fr.rstrip()}" in retention_sentence(rule, "fr", events)
        assert f"2 years after the {en.rstrip()}" in retention_sentence(rule, "en", events)
    else:
        rule = RetentionRule.model_validate({"until": "ev"})
        assert retention_sentence(rule, "fr", events).startswith(f"Jusqu'au {fr.rstrip()}")
        assert retention_sentence(rule, "en", events).startswith(f"Until the {en.rstrip()}")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_operation_that_markets_gives_the_absolute_right_to_object(lang: str) -> None:
    """Art. 21(2)-(4): direct marketing declared on one operation only still gets its
    objection, set apart, citing where the declaration says it."""
    from gardien.notice.provenance import notice_blocks, undeclared_sources

    declaration = _changed(purposes__prospecting__direct_marketing=False)
    purpose = declaration.purposes["prospecting"]
    assert not purpose.direct_marketing and purpose.operations[0].direct_marketing
    text = _notice(declaration, lang)
    marketing = {"fr": "Opposition à la prospection", "en": "Objection to direct marketing"}
    section = text.split(f"**{marketing[lang]}", 1)[1].split("\n\n", 1)[0]
    assert purpose.name[lang] in section
    blocks = notice_blocks(declaration, lang, "md")  # type: ignore[arg-type]
    assert undeclared_sources(declaration, blocks) == []
    cited = {path for block in blocks for path in block.paths}
    assert "purposes.prospecting.operations.0.direct_marketing" in cited
