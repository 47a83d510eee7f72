"""Each general fix made for real policies, pinned on a short text written for the test.

Real policies (bench/data/policies/) phrase items in ways the written
policies did not; every fix below is a general rule, and each test states it
on a text of its own, never a passage of the dev set.
"""

from __future__ import annotations

import unicodedata

import pytest
from lint_helpers import Lint

# --- reading the text as a reader sees it ---------------------------------------------------


def test_decomposed_accents_read_as_composed(lint: Lint) -> None:
    text = unicodedata.normalize(
        "NFD", "Vos données sont traitées pour les finalités suivantes : la facturation.\n"
    )
    report = lint(text, lang="fr")
    assert report.items["purposes"].present
    [evidence] = report.items["purposes"].evidence
    assert text[evidence.start : evidence.end] == evidence.quote


def test_a_hard_wrapped_paragraph_is_one_paragraph(lint: Lint) -> None:
    text = (
        "Beyond the information given in this notice, you have the right of\n"
        "access to your personal data at any time, free of charge.\n"
    )
    report = lint(text, lang="en")
    assert report.items["right_access"].present
    [evidence] = report.items["right_access"].evidence
    assert evidence.quote == text.strip()
    assert report.defects == ()


def test_short_lines_without_punctuation_stay_apart(lint: Lint) -> None:
    text = "Data controller\nAcme Widgets GmbH\n12 Example Road\n"
    report = lint(text, lang="en")
    assert [e.quote for e in report.items["controller_identity"].evidence] == [
        "Data controller",
        "Acme Widgets GmbH",
    ]


def test_front_matter_and_comments_are_not_read(lint: Lint) -> None:
    text = (
        "---\n"
        "description: Why and for which purposes of the processing we collect data.\n"
        "---\n"
        "<!-- We keep your data for 3 years. -->\n"
        "{% include banner.html %}\n"
        "We do not collect anything.\n"
    )
    report = lint(text, lang="en")
    assert not report.items["purposes"].present
    assert not report.items["retention"].present


@pytest.mark.parametrize("heading", ["**Vos droits**", "<h2>Vos droits</h2>"])
def test_bold_and_html_headings_are_headings(lint: Lint, heading: str) -> None:
    report = lint(f"{heading}\nVous disposez d'un droit d'accès à vos données.\n", lang="fr")
    [evidence] = report.items["right_access"].evidence
    assert evidence.quote.startswith("Vous disposez")


# --- the controller named where real policies name it ---------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "name_line"),
    [
        ("en", 'Orchard Labs Ltd ("we", "us") runs this site.\n', 1),
        ("fr", "Dupont Conseil (ci-après « nous ») édite ce site.\n", 1),
        ("fr", "## Qui sommes-nous\n\n- **Éditeur** : Atelier Rivage\n", 3),
        ("fr", "Atelier Rivage, éditeur de l'application, vous informe.\n", 1),
        ("fr", "Atelier Rivage s'engage à protéger vos données.\n", 1),
        ("en", "Orchard Labs takes your privacy seriously.\n", 1),
        ("fr", "Le responsable du traitement des données est :\n\n**Atelier Rivage** (SAS)\n", 3),
        ("en", "## Owner and data controller\n\nORCHARD LABS SAS\n1 Example Street\n", 3),
        ("fr", "Le responsable de la collecte de vos données est la plateforme Rivage.\n", 1),
        ("fr", "L'application est développée par **Atelier Rivage**.\n", 1),
    ],
)
def test_controller_named_the_ways_real_policies_name_it(
    lint: Lint, lang: str, text: str, name_line: int
) -> None:
    report = lint(text, lang=lang)
    result = report.items["controller_identity"]
    assert result.present
    assert name_line in {report.line_col(e.start)[0] for e in result.evidence}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "## Data controller\nWe determine the purposes and means of processing.\n"),
        ("en", "The controller processes the following data:\n- Name\n- Email address\n"),
        ("fr", "## Responsable du traitement\n\nResponsable du traitement désigne la personne.\n"),
    ],
)
def test_no_name_no_controller(lint: Lint, lang: str, text: str) -> None:
    assert not lint(text, lang=lang).items["controller_identity"].present


# --- items in the words real policies use ---------------------------------------------------

PRESENT: list[tuple[str, str, str]] = [
    # (item, language, a sentence written for the test)
    ("purposes", "en", "We use the details we gather to deliver your parcels and send invoices."),
    ("purposes", "en", "Visits are logged for routine administration and security purposes."),
    ("purposes", "fr", "Vos données sont utilisées uniquement pour gérer vos réservations."),
    ("purposes", "fr", "Elles ne sont utilisées que pour calculer vos statistiques."),
    ("purposes", "fr", "Le club utilisera tes données pour t'inviter aux tournois."),
    ("purposes", "fr", "Nous utilisons un outil de mesure d'audience pour comprendre vos visites."),
    ("purposes", "fr", "Pour assurer la connexion à votre espace :"),
    ("legal_basis", "en", "We use your address to fulfil our contract with you."),
    ("legal_basis", "en", "Basis: the consent of the person who subscribes."),
    ("legal_basis", "fr", "Fournir le service : exécution du contrat."),
    ("legal_basis", "fr", "Ces données sont traitées sur la base de ton consentement."),
    ("recipients", "en", "The site is hosted by Example Hosting Ltd in Ireland."),
    ("recipients", "en", "We work with service providers who send our e-mails."),
    ("recipients", "en", "Payments are handled via Stripe."),
    ("recipients", "fr", "Nous faisons appel aux sous-traitants suivants :"),
    ("recipients", "fr", "Vos adresses sont gérées par un routeur de courriels."),
    ("recipients", "fr", "L'hébergeur du site conserve les journaux de connexion."),
    ("international_transfers", "en", "Place of processing: Canada."),
    ("international_transfers", "fr", "Les données sont hébergées et traitées en France."),
    ("retention", "en", "These cookies last for one year."),
    ("retention", "en", "Comments are retained indefinitely."),
    ("retention", "fr", "Vos messages sont supprimés une fois votre commande livrée."),
    ("retention", "fr", "Vos données sont conservées le temps de votre abonnement."),
    ("right_access", "en", "You may receive an exported file of the personal data we hold."),
    ("right_access", "fr", "Tu disposes des droits d'accès et de rectification."),
    ("right_rectification", "en", "You can see and edit your personal information at any time."),
    ("right_rectification", "fr", "Vous pouvez demander la correction de vos données."),
    ("right_erasure", "fr", "Vous avez le droit d'y accéder et de les supprimer."),
    ("right_objection", "fr", "Vous avez le droit de vous opposer à ce traitement."),
    ("right_objection", "fr", "Tu as le droit de t'opposer à la prospection."),
    ("right_objection", "fr", "Vous disposez des droits d'accès, d'effacement et d'opposition."),
    ("right_objection", "en", "You may opt out of certain processing for targeted ads."),
    ("withdraw_consent", "en", "You have the right to revoke your consent at any time."),
    ("withdraw_consent", "fr", "Ce traitement repose sur ton consentement, que tu peux retirer."),
    ("complaint_authority", "fr", "Vous pouvez déposer plainte auprès de la CNIL."),
    ("complaint_authority", "fr", "Tu as le droit de saisir une instance de contrôle."),
    (
        "statutory_requirement",
        "en",
        "An e-mail address is required so that we can confirm your account.",
    ),
    (
        "statutory_requirement",
        "en",
        "We cannot send the newsletter if you do not provide an address.",
    ),
    ("statutory_requirement", "fr", "Cela est entièrement facultatif."),
    ("data_source", "en", "We collect the information you provide directly to us."),
    ("data_source", "en", "When you create an account, we collect your e-mail address."),
    ("data_source", "fr", "L'application traite les données que vous saisissez vous-même."),
    ("data_source", "fr", "Nous pouvons vous demander de nous fournir votre adresse."),
    ("data_source", "fr", "Ton profil est construit à partir de vos échanges."),
]


@pytest.mark.parametrize(("item", "lang", "text"), PRESENT)
def test_item_in_the_words_of_real_policies(lint: Lint, item: str, lang: str, text: str) -> None:
    result = lint(text + "\n", lang=lang).items[item]
    assert result.present
    assert [e.quote for e in result.evidence] == [text]


ABSENT: list[tuple[str, str, str]] = [
    ("right_access", "en", "Our hosting providers have access to your personal data."),
    ("right_access", "en", "Public funders may request access to the attendance lists."),
    ("right_erasure", "en", "Before deletion we may derive anonymous statistics you can consult."),
    ("statutory_requirement", "en", "We keep invoices as required by law."),
    ("data_source", "en", "You have the right to portability of the data you gave us."),
    ("legitimate_interests", "fr", "Nous avons un intérêt légitime à effectuer ce traitement."),
    (
        "legitimate_interests",
        "fr",
        "Ce traitement favorise l'intérêt légitime de notre entreprise.",
    ),
    (
        "international_transfers",
        "en",
        "You have the right to be informed of transfers to third countries.",
    ),
    ("purposes", "en", "The party responsible for purposes of data protection law is named below."),
    ("purposes", "fr", "Nous utilisons le protocole HTTPS pour sécuriser le site."),
]


@pytest.mark.parametrize(("item", "lang", "text"), ABSENT)
def test_look_alikes_are_not_the_item(lint: Lint, item: str, lang: str, text: str) -> None:
    assert not lint(text + "\n", lang=lang).items[item].present


@pytest.mark.parametrize(
    ("item", "heading", "body"),
    [
        ("right_access", "### Right of access", "What: a copy of everything we keep about you."),
        ("right_objection", "## Droit d'opposition", "Écrivez-nous pour l'exercer."),
    ],
)
def test_a_right_stated_by_its_heading_over_text(
    lint: Lint, item: str, heading: str, body: str
) -> None:
    report = lint(f"{heading}\n\n{body}\n")
    assert report.items[item].present


def test_a_heading_alone_states_no_right(lint: Lint) -> None:
    assert (
        not lint("### Right of access\n\n### Right to object\n", lang="en")
        .items["right_access"]
        .present
    )


def test_a_bold_label_opens_a_line_of_text_not_a_heading(lint: Lint) -> None:
    report = lint("**What:** Get a copy of all data we hold about you\n", lang="en")
    assert report.items["right_access"].present


# --- each defect once, with its count -------------------------------------------------------

PASTED = (
    "Our commitments to the people who use the booking service, written for them in plain words.\n"
    "Therefore, does not sell personal information to anyone who asks for it.\n"
    "The form to send a complaint is available at:\n\n"
)


def test_a_defect_in_every_copy_of_a_pasted_passage_is_reported_once(lint: Lint) -> None:
    report = lint(PASTED * 3, lang="en")
    kinds = [d.kind for d in report.defects]
    assert kinds.count("missing_subject") == 1
    assert kinds.count("dangling_reference") == 1
    assert kinds.count("duplicated_passage") == 1
    for defect in report.defects:
        if defect.kind != "duplicated_passage":
            assert "3 times in all" in defect.message
            assert report.line_col(defect.start)[0] in (2, 3)


def test_the_text_report_counts_each_kind(pipelines: None) -> None:
    from io import StringIO

    from rich.console import Console

    from gardien.policylint import lint_policy
    from gardien.policylint.render import print_report

    out = StringIO()
    print_report(lint_policy(PASTED * 3, lang="en"), Console(file=out, width=200), "policy.md")
    text = out.getvalue()
    assert "missing_subject (1)" in text
    assert text.count(": missing_subject: ") == 1


# --- evidence that supports its verdict -----------------------------------------------------


def test_a_quoted_article_is_not_the_policy_stating_its_purposes(lint: Lint) -> None:
    text = (
        "The regulation puts it this way:\n\n"
        '"Having regard to the nature, context and purposes of the processing, the controller '
        'shall take measures appropriate to the risks for the people concerned."\n'
    )
    assert not lint(text, lang="en").items["purposes"].present


def test_user_data_is_not_using_data(lint: Lint) -> None:
    text = "Mirrors abroad may lead user data to be stored outside our country.\n"
    assert not lint(text, lang="en").items["purposes"].present


def test_rules_for_staff_are_not_purposes(lint: Lint) -> None:
    text = "Staff must log visits for audit and security purposes.\n"
    assert not lint(text, lang="en").items["purposes"].present


def test_a_sentence_cut_before_its_last_words_is_whole_again(lint: Lint) -> None:
    text = "Vos données sont utilisées uniquement pour :\n- gérer votre compte ;\n"
    [evidence] = lint(text, lang="fr").items["purposes"].evidence
    assert evidence.quote == "Vos données sont utilisées uniquement pour :"


def test_a_table_of_contents_entry_states_nothing(lint: Lint) -> None:
    text = "- [Right to erasure](#right-to-erasure)\n- [Right to object](#right-to-object)\n"
    report = lint(text, lang="en")
    assert not report.items["right_erasure"].present
    assert not report.items["right_objection"].present


# --- contact details as real policies write them --------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Write to us: privacy [at] example.org\n"),
        ("en", "Phone: +49 (0)30 1234-5678\n"),
        ("en", "Example Works GmbH<br>\nMusterweg 12<br>\n10115 Berlin<br>\n"),
        ("fr", "Pour toute question : [formulaire de contact](https://forms.example/abc)\n"),
    ],
)
def test_contact_details_in_other_formats(lint: Lint, lang: str, text: str) -> None:
    assert lint(text, lang=lang).items["controller_contact"].present


def test_the_authority_address_under_its_name_is_not_ours(lint: Lint) -> None:
    text = "Supervisory authority: Example Data Protection Office\nEmail: desk@dpa.example\n"
    assert not lint(text, lang="en").items["controller_contact"].present


def test_a_dpo_address_names_no_dpo(lint: Lint) -> None:
    report = lint("Write to dpo@example.org with your questions.\n", lang="en")
    assert report.items["controller_contact"].present
    assert not report.items["dpo_contact"].present


def test_dpo_contact_in_the_section_under_their_heading(lint: Lint) -> None:
    text = (
        "## Data protection officer\n\nJane Roe\nExample Works GmbH\n"
        "Phone: +33 (0)1 23 45 67 89\n\n## Your rights\n"
    )
    assert lint(text, lang="en").items["dpo_contact"].present


def test_the_law_s_list_of_what_to_tell_states_no_right(lint: Lint) -> None:
    text = "A notice must tell people:\n- the existence of the right to object to processing;\n"
    assert not lint(text, lang="en").items["right_objection"].present


def test_a_link_to_the_contact_heading_is_not_a_contact(lint: Lint) -> None:
    text = "To exercise your rights, see [Contact us](#contact-us) below.\n"
    assert not lint(text, lang="en").items["controller_contact"].present


# --- tables read cell by cell under their column names --------------------------------------


def test_a_table_row_reads_under_its_column_names(lint: Lint) -> None:
    text = (
        "| Data | Basis | Reason |\n|---|---|---|\n"
        "| Server logs | Legitimate interest | Spotting attacks on the shop |\n"
    )
    report = lint(text, lang="en")
    for item in ("legal_basis", "legitimate_interests"):
        [evidence] = report.items[item].evidence
        assert (
            evidence.quote == "| Server logs | Legitimate interest | Spotting attacks on the shop |"
        )


def test_a_required_column_says_what_is_mandatory(lint: Lint) -> None:
    text = "| Donnée | Usage | Obligatoire |\n|---|---|---|\n| Adresse | Livraison | Oui |\n"
    assert lint(text, lang="fr").items["statutory_requirement"].present


def test_a_french_table_names_the_interest(lint: Lint) -> None:
    text = (
        "| Traitement | Base légale | Finalité |\n|---|---|---|\n"
        "| Journaux | Intérêt légitime | sécurité du site |\n"
    )
    assert lint(text, lang="fr").items["legitimate_interests"].present


def test_security_measures_are_not_purposes(lint: Lint) -> None:
    text = "HTTPS is used to secure access to data, and backups are made to prevent loss.\n"
    assert not lint(text, lang="en").items["purposes"].present
