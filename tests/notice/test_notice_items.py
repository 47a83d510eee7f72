"""Every item GDPR Art. 13 and 14 require is in the notice, in both languages and formats."""

from __future__ import annotations

import pytest
from notice_helpers import visible_text

from gardien.declaration.models import Declaration
from gardien.declaration.transparency import CHECKLIST, TransparencyItem
from gardien.notice import ART_13_14_ITEMS, render_notice
from gardien.notice.environment import Format
from gardien.notice.items import NoticeItem
from gardien.notice.vocabulary import Lang

CASES = [
    pytest.param(item, lang, fmt, id=f"{item.key}-{lang}-{fmt}")
    for item in ART_13_14_ITEMS
    for lang in ("fr", "en")
    for fmt in ("md", "html")
]


@pytest.mark.parametrize(("item", "lang", "fmt"), CASES)
def test_item_is_present(
    declaration: Declaration, item: NoticeItem, lang: Lang, fmt: Format
) -> None:
    text = visible_text(render_notice(declaration, lang, fmt), fmt)
    expected = item.fr if lang == "fr" else item.en
    assert expected in text


def test_notice_writes_every_item_of_the_checklist_and_no_other() -> None:
    keys = [item.key for item in ART_13_14_ITEMS]
    assert [key for key in keys if not isinstance(key, TransparencyItem)] == []
    assert sorted(keys) == sorted(CHECKLIST)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_items_have_unique_keys_and_known_sections(lang: str) -> None:
    keys = [item.key for item in ART_13_14_ITEMS]
    assert len(keys) == len(set(keys))
    sections = {
        "controller", "purposes", "categories", "sources", "recipients", "transfers",
        "retention", "rights", "objection", "consent", "exercise", "complaint", "requirement",
        "automated", "cookies", "changes",
    }  # fmt: skip
    assert {item.section for item in ART_13_14_ITEMS} <= sections


FACTS = {
    "fr": [
        "Exemple Analytique",
        "RCS Paris 912 345 678",
        "dpo@exemple-analytique.fr",
        "article 6.1.a du RGPD",
        "article 6.1.b du RGPD",
        "article 6.1.c du RGPD",
        "article 6.1.d du RGPD",
        "article 6.1.e du RGPD",
        "article 6.1.f du RGPD",
        "améliorer nos services à partir de l'avis de nos clients",
        "articles L. 123-22 du Code de commerce",
        "Zendesk, Inc.",
        "États-Unis",
        "clauses contractuelles types",
        "Royaume-Uni",
        "décision d'adéquation",
        "votre consentement explicite (article 9.2.a du RGPD)",
        "3 ans à compter du dernier contact",
        "Jusqu'à la suppression du compte, puis archivage intermédiaire pendant 5 ans",
        "10 ans à compter de la clôture de l'exercice",
        "dans un délai d'un mois",
        "prolongé de deux mois",
        "droits@exemple-analytique.fr",
        "https://www.exemple-analytique.fr/mes-donnees",
        "Service Données personnelles",
        "code à usage unique",
        "www.cnil.fr",
        "J'accepte de recevoir la lettre d'information",
        "La fourniture de ces données conditionne la conclusion du contrat.",
        "La fourniture de ces données répond à une exigence légale ou réglementaire.",
        "nous ne pouvons pas créer votre compte",
        "ce traitement comporte un profilage",
        "un score de risque est calculé",
        "un paiement refusé retarde",
        "la société Annuaire Pro SAS",
        "sources accessibles au public",
        "Opposition à la prospection",
        "_pk_id",
        "13 mois",
        "Version 2.1, en vigueur au 1er mars 2025",
    ],
    "en": [
        "Exemple Analytique",
        "Article 6(1)(a) GDPR",
        "Article 6(1)(b) GDPR",
        "Article 6(1)(c) GDPR",
        "Article 6(1)(d) GDPR",
        "Article 6(1)(e) GDPR",
        "Article 6(1)(f) GDPR",
        "improving our services based on our customers' feedback",
        "United States",
        "standard contractual clauses",
        "United Kingdom",
        "adequacy decision",
        "your explicit consent (Article 9(2)(a) GDPR)",
        "3 years after the last contact",
        "Until the account is deleted, then kept in intermediate archives for 5 years",
        "within one month",
        "extended by two months",
        "Providing this data is a requirement to enter into a contract.",
        "Providing this data is a statutory requirement.",
        "we cannot create your account",
        "this processing involves profiling",
        "a risk score is computed",
        "Annuaire Pro SAS",
        "publicly accessible sources",
        "Objection to direct marketing",
        "13 months",
        "Version 2.1, effective 1 March 2025",
    ],
}


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_declared_facts_are_shown(declaration: Declaration, lang: Lang, fmt: Format) -> None:
    text = visible_text(render_notice(declaration, lang, fmt), fmt)
    missing = [fact for fact in FACTS[lang] if fact not in text]
    assert missing == []


def test_objection_listed_only_where_it_applies(declaration: Declaration) -> None:
    text = visible_text(render_notice(declaration, "en", "md"), "md")
    # Art. 21(4): the right to object is set out on its own, apart from the other rights.
    objection = text.split("Objection on grounds relating to your particular situation")[1]
    objection = objection.split("Objection to direct marketing")[0]
    assert "Customer feedback analysis" in objection
    assert "Apprentice training" in objection
    assert "Invoicing and accounting" not in objection


def test_without_dpo_the_privacy_contact_is_given(declaration: Declaration) -> None:
    """Without a declared DPO the notice does not claim none was designated: it gives
    the contact for privacy questions when it is not the controller's address already."""
    controller = declaration.controller.model_copy(update={"dpo": None})
    without = declaration.model_copy(update={"controller": controller})
    text = render_notice(without, "fr", "md")
    assert "délégué à la protection des données" not in text
    assert "Pour toute question relative au traitement de vos données" in text
    assert declaration.rights.contact_email and declaration.rights.contact_email in text
    same = controller.model_copy(update={"email": declaration.rights.contact_email})
    text = render_notice(without.model_copy(update={"controller": same}), "en", "md")
    assert "data protection officer" not in text
    assert "For any question on how we process your data" not in text


def test_eu_representative_is_shown_when_given(declaration: Declaration) -> None:
    from gardien.declaration.values import Contact

    representative = Contact(name="Rep Europe BV", email="rep@example.eu")
    controller = declaration.controller.model_copy(update={"eu_representative": representative})
    changed = declaration.model_copy(update={"controller": controller})
    assert "Notre représentant dans l'Union européenne" in render_notice(changed, "fr", "md")
    assert "Rep Europe BV" in render_notice(changed, "en", "html")


def test_no_automated_decision_is_stated_explicitly(declaration: Declaration) -> None:
    purposes = {
        key: p.model_copy(update={"automated_decision": None})
        for key, p in declaration.purposes.items()
    }
    text = render_notice(declaration.model_copy(update={"purposes": purposes}), "en", "md")
    assert "We do not make any decision based solely on automated processing" in text
