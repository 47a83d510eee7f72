"""Each defect kind of the text, found in short policies written for the test (fr and en)."""

from __future__ import annotations

import pytest
from lint_helpers import Lint

from gardien.policylint import TEXT_DEFECT_KINDS

CASES: list[tuple[str, str, str, str]] = [
    # (kind, language, text, the passage the defect must cover)
    (
        "duplicated_passage",
        "en",
        "We keep your invoices for ten years because the tax authorities require us to do so in every case.\n\n"
        "You may ask for a copy of your data.\n\n"
        "We keep your invoices for ten years because the tax authorities require us to do so in every case.\n",
        "We keep your invoices for ten years because the tax authorities require us to do so in every case.",
    ),
    (
        "duplicated_passage",
        "fr",
        "Nous conservons vos factures pendant dix ans car l'administration fiscale nous impose de le faire dans tous les cas.\n\n"
        "Vous pouvez demander une copie de vos données.\n\n"
        "Nous conservons vos factures pendant dix ans car l'administration fiscale nous impose de le faire dans tous les cas.\n",
        "Nous conservons vos factures pendant dix ans car l'administration fiscale nous impose de le faire dans tous les cas.",
    ),
    (
        "empty_enumeration",
        "en",
        "We may collect and store your personal data, in particular when you :\n"
        "We use your personal data to manage your account and to answer your requests.\n",
        "We may collect and store your personal data, in particular when you :",
    ),
    (
        "empty_enumeration",
        "fr",
        "Nous collectons vos données notamment lorsque vous :\n"
        "Nous utilisons vos données pour gérer votre compte et répondre à vos demandes.\n",
        "Nous collectons vos données notamment lorsque vous :",
    ),
    (
        "missing_subject",
        "en",
        "Our company cares about privacy. Therefore, does not sell personal information to anyone.\n",
        "Therefore, does not sell personal information to anyone.",
    ),
    (
        "missing_subject",
        "fr",
        "Nous protégeons vos données. Par ailleurs, s'engage à ne jamais vendre vos données personnelles.\n",
        "Par ailleurs, s'engage à ne jamais vendre vos données personnelles.",
    ),
    (
        "dangling_reference",
        "en",
        "You can file a complaint using the online form available at:\n\nWe answer within one month.\n",
        "You can file a complaint using the online form available at:",
    ),
    (
        "dangling_reference",
        "fr",
        "Le formulaire de plainte est disponible à l'adresse suivante :\n\nNous répondons sous un mois.\n",
        "Le formulaire de plainte est disponible à l'adresse suivante :",
    ),
    (
        "contact_promised_not_given",
        "en",
        "The list of our subcontractors can be sent to you by sending your request to\n\nWe keep data for 3 years.\n",
        "The list of our subcontractors can be sent to you by sending your request to",
    ),
    (
        "contact_promised_not_given",
        "fr",
        "Pour exercer vos droits, écrivez-nous à l'adresse suivante :\n\nNous conservons vos données 3 ans.\n",
        "Pour exercer vos droits, écrivez-nous à l'adresse suivante :",
    ),
    (
        "retention_without_period",
        "en",
        "We keep your personal data for as long as necessary.\n",
        "We keep your personal data for as long as necessary.",
    ),
    (
        "retention_without_period",
        "fr",
        "Nous conservons vos données personnelles aussi longtemps que nécessaire.\n",
        "Nous conservons vos données personnelles aussi longtemps que nécessaire.",
    ),
]


@pytest.mark.parametrize(("kind", "lang", "text", "passage"), CASES)
def test_defect_is_found_where_it_is(
    lint: Lint, kind: str, lang: str, text: str, passage: str
) -> None:
    report = lint(text, lang=lang)
    found = [d for d in report.defects if d.kind == kind]
    assert found, [d.kind for d in report.defects]
    start = text.rindex(passage) if kind == "duplicated_passage" else text.index(passage)
    end = start + len(passage)
    assert any(d.start < end and start < d.end for d in found)


def test_every_text_defect_kind_is_tested() -> None:
    assert {case[0] for case in CASES} == set(TEXT_DEFECT_KINDS)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "The data we collect:\n- your name;\n- your e-mail address.\n"),
        ("en", "Contact us at the following address:\nprivacy@example.com\n"),
        ("en", "The policies of these services are available at:\nhttps://example.com/privacy\n"),
        (
            "en",
            "We keep your data for as long as necessary, and at most 3 years after your last order.\n",
        ),
        ("fr", "Les données collectées :\n- votre nom ;\n- votre adresse électronique.\n"),
        ("fr", "Acme SAS, société immatriculée au RCS de Paris, est responsable du traitement.\n"),
    ],
)
def test_sound_text_has_no_defect(lint: Lint, lang: str, text: str) -> None:
    assert lint(text, lang=lang).defects == ()
