"""Each field the declaration gained is shown by the notice and the register, in both languages.

Table-driven: each case changes the fixture declaration (or keeps it), then
checks phrases that must and must not appear, in French and English, in
Markdown and HTML. A phrase is looked for in one section of the notice so that
a sentence written in the wrong place does not pass.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from notice_helpers import visible_text

from gardien.declaration.models import (
    Art22Exception,
    ChangeNotification,
    ConsentCollector,
    ConsentMechanism,
    DataForm,
    Declaration,
    RetentionEvent,
    RetentionRule,
)
from gardien.declaration.values import Text
from gardien.notice import export_register, render_notice
from gardien.notice.environment import Format
from gardien.notice.vocabulary import EVENTS, Lang
from gardien.notice.wording import retention_sentence

Change = Callable[[Declaration], Declaration]

# The heading each section starts with; a section runs to the next heading.
HEADINGS: dict[Lang, dict[str, str]] = {
    "fr": {
        "purposes": "Finalités, bases légales et données traitées",
        "recipients": "Destinataires des données",
        "rights": "Vos droits",
        "consent": "Retrait de votre consentement",
        "automated": "Décision automatisée et profilage",
        "cookies": "Cookies et autres traceurs",
        "changes": "Modifications de la présente politique",
    },
    "en": {
        "purposes": "Purposes, legal bases and data processed",
        "recipients": "Recipients of your data",
        "rights": "Your rights",
        "consent": "Withdrawing your consent",
        "automated": "Automated decision-making and profiling",
        "cookies": "Cookies and similar technologies",
        "changes": "Changes to this notice",
    },
}
ORDER = [
    "purposes",
    "categories",
    "sources",
    "recipients",
    "transfers",
    "retention",
    "rights",
    "consent",
    "exercise",
    "complaint",
    "requirement",
    "automated",
    "cookies",
    "changes",
]
NEXT = {
    "fr": {
        "categories": "Catégories de données",
        "transfers": "Transferts hors de l'Union européenne",
        "exercise": "Exercer vos droits",
        "complaint": "Réclamation auprès de la CNIL",
        "requirement": "Caractère obligatoire ou facultatif des données",
        "sources": "Origine des données",
        "retention": "Durées de conservation",
    },
    "en": {
        "categories": "Categories of personal data",
        "transfers": "Transfers outside the European Economic Area",
        "exercise": "How to exercise your rights",
        "complaint": "Complaints to the CNIL",
        "requirement": "Whether you must provide your data",
        "sources": "Where your data comes from",
        "retention": "Retention periods",
    },
}


def section(document: str, lang: Lang, fmt: Format, name: str) -> str:
    """The visible text of one section of the notice, after the table of contents."""
    text = visible_text(document, fmt)
    headings = {**HEADINGS[lang], **NEXT[lang]}
    body = text.rsplit(headings[name], 1)[1]
    following = ORDER[ORDER.index(name) + 1 :]
    for other in following:
        if headings[other] in body:
            return body.split(headings[other], 1)[0]
    return body


# ----------------------------------------------------------------- changes


def purposes_with(declaration: Declaration, key: str, **update: Any) -> Declaration:
    purpose = declaration.purposes[key].model_copy(update=update)
    return declaration.model_copy(update={"purposes": {**declaration.purposes, key: purpose}})


def recipient_with(declaration: Declaration, key: str, **update: Any) -> Declaration:
    recipient = declaration.recipients[key].model_copy(update=update)
    recipients = {**declaration.recipients, key: recipient}
    return declaration.model_copy(update={"recipients": recipients})


def exception(value: Art22Exception) -> Change:
    def change(declaration: Declaration) -> Declaration:
        decision = declaration.purposes["payment_fraud"].automated_decision
        assert decision is not None
        return purposes_with(
            declaration,
            "payment_fraud",
            automated_decision=decision.model_copy(update={"exception": value}),
        )

    return change


def consent(key: str, **update: Any) -> Change:
    def change(declaration: Declaration) -> Declaration:
        spec = declaration.purposes[key].consent
        assert spec is not None
        return purposes_with(declaration, key, consent=spec.model_copy(update=update))

    return change


def cookies_essential(value: bool) -> Change:
    def change(declaration: Declaration) -> Declaration:
        cookies = {
            name: c.model_copy(update={"essential": value})
            for name, c in declaration.cookies.items()
        }
        return declaration.model_copy(update={"cookies": cookies})

    return change


def notification(value: ChangeNotification) -> Change:
    def change(declaration: Declaration) -> Declaration:
        notice = declaration.notice.model_copy(update={"change_notification": value})
        return declaration.model_copy(update={"notice": notice})

    return change


def post_mortem(value: bool) -> Change:
    def change(declaration: Declaration) -> Declaration:
        rights = declaration.rights.model_copy(update={"post_mortem_directives": value})
        return declaration.model_copy(update={"rights": rights})

    return change


def no_joint_controller(declaration: Declaration) -> Declaration:
    recipients = {k: r for k, r in declaration.recipients.items() if k != "events_partner"}
    declaration = purposes_with(declaration, "accessibility", recipients=("support_team",))
    return declaration.model_copy(update={"recipients": recipients})


def keep(declaration: Declaration) -> Declaration:
    return declaration


@dataclass(frozen=True)
class Case:
    id: str
    change: Change
    section: str
    present: dict[Lang, list[str]]
    absent: dict[Lang, list[str]] = field(default_factory=lambda: {"fr": [], "en": []})


CASES = [
    Case(
        "sub-purposes",
        keep,
        "purposes",
        {
            "fr": [
                "Sous-finalités : ouverture et fermeture du compte ; authentification lors "
                "de la connexion ; assistance technique."
            ],
            "en": [
                "Specific purposes: opening and closing the account; authentication at "
                "sign-in; technical support."
            ],
        },
    ),
    Case(
        "no-sub-purposes",
        lambda d: purposes_with(d, "account", sub_purposes=()),
        "purposes",
        {"fr": ["Base légale :"], "en": ["Legal basis:"]},
        {"fr": ["ouverture et fermeture du compte"], "en": ["opening and closing the account"]},
    ),
    Case(
        "receives-in-purposes",
        keep,
        "purposes",
        {
            "fr": [
                "Feedback Insights Ltd (sous-traitant ; reçoit uniquement des données "
                "anonymisées avant leur transmission)",
                "InnoCraft (sous-traitant ; reçoit uniquement des données pseudonymisées)",
                "OVHcloud (sous-traitant) ;",
            ],
            "en": [
                "Feedback Insights Ltd (processor; receives only data anonymised before it "
                "is sent)",
                "InnoCraft (processor; receives pseudonymised data only)",
                "OVHcloud (processor);",
            ],
        },
    ),
    Case(
        "receives-in-table",
        keep,
        "recipients",
        {
            "fr": [
                "Analyse sémantique des avis anonymisés (reçoit uniquement des données "
                "anonymisées avant leur transmission)",
                "Matomo Cloud (reçoit uniquement des données pseudonymisées)",
            ],
            "en": [
                "Semantic analysis of anonymised feedback (receives only data anonymised "
                "before it is sent)",
                "Matomo Cloud audience measurement tool (receives pseudonymised data only)",
            ],
        },
        {"fr": ["Hébergement de la plateforme ("], "en": ["Hosting of the platform ("]},
    ),
    Case(
        "receives-identified",
        lambda d: recipient_with(d, "insights_uk", receives=DataForm.IDENTIFIED),
        "recipients",
        {"fr": ["Analyse sémantique des avis anonymisés"], "en": ["Semantic analysis"]},
        {
            "fr": ["anonymisées avant leur transmission"],
            "en": ["anonymised before it is sent"],
        },
    ),
    Case(
        "joint-controller-arrangement",
        keep,
        "recipients",
        {
            "fr": [
                "responsables conjoints du traitement (article 26 du RGPD)",
                "Salon Numérique SAS : Salon Numérique SAS gère l'accueil sur place",
                "vous pouvez exercer vos droits auprès de chacun des responsables conjoints",
            ],
            "en": [
                "as joint controllers (Article 26 GDPR)",
                "Salon Numérique SAS: Salon Numérique SAS handles the on-site welcome",
                "against each of the joint controllers",
            ],
        },
    ),
    Case(
        "joint-controller-without-arrangement",
        lambda d: recipient_with(d, "events_partner", arrangement=None),
        "recipients",
        {
            "fr": ["l'essentiel de cet accord vous est communiqué sur simple demande"],
            "en": ["the essence of this arrangement is available on request"],
        },
    ),
    Case(
        "no-joint-controller",
        no_joint_controller,
        "recipients",
        {"fr": ["Destinataires et catégories"], "en": ["Recipients and categories"]},
        {"fr": ["responsables conjoints"], "en": ["joint controllers"]},
    ),
    Case(
        "art22-contract",
        exception(Art22Exception.CONTRACT),
        "automated",
        {
            "fr": [
                "Cette décision est permise car elle est nécessaire à la conclusion ou à "
                "l'exécution d'un contrat entre vous et nous (article 22.2.a du RGPD).",
                "Vous avez le droit d'obtenir une intervention humaine de notre part, "
                "d'exprimer votre point de vue et de contester la décision (article 22.3",
                "Pour exercer ces droits, écrivez-nous à",
            ],
            "en": [
                "This decision is allowed because it is necessary for entering into, or "
                "performing, a contract between you and us (Article 22(2)(a) GDPR).",
                "You have the right to obtain human intervention on our part, to express "
                "your point of view and to contest the decision (Article 22(3) GDPR).",
            ],
        },
    ),
    Case(
        "art22-explicit-consent",
        exception(Art22Exception.EXPLICIT_CONSENT),
        "automated",
        {
            "fr": [
                "elle repose sur votre consentement explicite (article 22.2.c du RGPD)",
                "obtenir une intervention humaine",
            ],
            "en": [
                "it is based on your explicit consent (Article 22(2)(c) GDPR)",
                "obtain human intervention",
            ],
        },
    ),
    Case(
        "art22-law",
        exception(Art22Exception.LAW),
        "automated",
        {
            "fr": ["elle est autorisée par le droit de l'Union européenne ou le droit français"],
            "en": ["it is authorised by EU or French law, which lays down suitable measures"],
        },
        {
            "fr": ["intervention humaine", "article 22.3", "Pour exercer ces droits"],
            "en": ["human intervention", "Article 22(3)", "To exercise these rights"],
        },
    ),
    Case(
        "consent-os-permission",
        keep,
        "consent",
        {
            "fr": [
                "Ce consentement vous est demandé par la fenêtre "
                "d'autorisation du système de votre appareil ; vous pouvez le retirer à tout "
                "moment dans les réglages de l'appareil."
            ],
            "en": [
                "We ask for this consent through your device's system permission prompt; you "
                "can withdraw it at any time in your device's settings."
            ],
        },
    ),
    Case(
        "consent-collected-by-customer",
        keep,
        "consent",
        {
            "fr": [
                "Le consentement est recueilli par nos clients auprès des personnes concernées",
                "adressez-vous à l'entreprise qui l'a recueilli",
            ],
            "en": [
                "This consent is collected by our business customers from the people concerned",
                "contact the business that collected it",
            ],
        },
    ),
    Case(
        "consent-in-purposes",
        keep,
        "purposes",
        {
            "fr": [
                "il est recueilli par nos clients auprès des personnes concernées",
                "il est demandé par la fenêtre d'autorisation de votre appareil",
            ],
            "en": [
                "it is collected by our business customers from the people concerned",
                "it is requested through your device's permission prompt",
            ],
        },
    ),
    Case(
        "consent-by-controller-explicit-action",
        lambda d: consent("client_feedback", collected_by=ConsentCollector.CONTROLLER)(
            consent("push_notifications", mechanism=ConsentMechanism.EXPLICIT_ACTION)(d)
        ),
        "consent",
        {"fr": ["Mesure d'audience"], "en": ["Audience measurement"]},
        {
            "fr": ["fenêtre d'autorisation", "recueilli par nos clients"],
            "en": ["permission prompt", "collected by our business customers"],
        },
    ),
    Case(
        "cookies-essential-and-consent",
        keep,
        "cookies",
        {
            "fr": [
                "strictement nécessaires à la fourniture du service que vous avez expressément "
                "demandé. Conformément à l'article 82 de la loi Informatique et Libertés, ils "
                "sont dispensés de votre consentement.",
                "Traceurs strictement nécessaires",
                "ne sont déposés qu'avec votre consentement. Vous pouvez les refuser et, si "
                "vous les avez acceptés, retirer votre consentement à tout moment",
                "Traceurs soumis à votre consentement",
            ],
            "en": [
                "strictly necessary to provide the service you have expressly asked for. Under "
                "Article 82 of the French Data Protection Act, they do not require your "
                "consent.",
                "Strictly necessary cookies",
                "set only with your consent. You may refuse them and, if you have accepted "
                "them, withdraw your consent at any time",
                "Cookies that require your consent",
            ],
        },
    ),
    Case(
        "cookies-all-essential",
        cookies_essential(True),
        "cookies",
        {"fr": ["Traceurs strictement nécessaires"], "en": ["Strictly necessary cookies"]},
        {
            "fr": ["Traceurs soumis à votre consentement"],
            "en": ["Cookies that require your consent"],
        },
    ),
    Case(
        "cookies-none-essential",
        cookies_essential(False),
        "cookies",
        {
            "fr": ["Traceurs soumis à votre consentement"],
            "en": ["Cookies that require your consent"],
        },
        {"fr": ["Traceurs strictement nécessaires"], "en": ["Strictly necessary cookies"]},
    ),
    Case(
        "changes-by-email",
        notification(ChangeNotification.EMAIL),
        "changes",
        {
            "fr": ["nous vous informerons de tout changement important par e-mail"],
            "en": ["we will inform you of any significant change by e-mail"],
        },
    ),
    Case(
        "changes-on-page",
        notification(ChangeNotification.PAGE),
        "changes",
        {
            "fr": [
                "nous vous informerons de tout changement important en le publiant sur cette page."
            ],
            "en": ["we will inform you of any significant change by publishing it on this page."],
        },
        {"fr": ["par e-mail"], "en": ["by e-mail"]},
    ),
    Case(
        "post-mortem-directives",
        post_mortem(True),
        "rights",
        {
            "fr": ["Directives post mortem (article 85 de la loi Informatique et Libertés)"],
            "en": ["Instructions after death (Article 85 of the French Data Protection Act)"],
        },
    ),
    Case(
        "no-post-mortem-directives",
        post_mortem(False),
        "rights",
        {"fr": ["Droit d'accès"], "en": ["Right of access"]},
        {"fr": ["post mortem", "décès"], "en": ["after death", "death"]},
    ),
]

PARAMS = [
    pytest.param(case, lang, fmt, id=f"{case.id}-{lang}-{fmt}")
    for case in CASES
    for lang in ("fr", "en")
    for fmt in ("md", "html")
]


@pytest.mark.parametrize(("case", "lang", "fmt"), PARAMS)
def test_notice_shows_field(declaration: Declaration, case: Case, lang: Lang, fmt: Format) -> None:
    document = render_notice(case.change(declaration), lang, fmt)
    text = section(document, lang, fmt, case.section)
    assert [p for p in case.present[lang] if p not in text] == []
    assert [p for p in case.absent[lang] if p in text] == []


# ----------------------------------------------------------------- retention events


@pytest.mark.parametrize("event", list(RetentionEvent), ids=str)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_retention_event_is_worded(event: RetentionEvent, lang: Lang) -> None:
    """A value added to ``RetentionEvent`` without wording fails here."""
    assert event in EVENTS, f"add {event!r} to gardien.notice.vocabulary.EVENTS"
    fr, en = EVENTS[event]
    phrase = fr if lang == "fr" else en
    for rule in (
        RetentionRule.model_validate({"duration": "1 year", "after": event}),
        RetentionRule.model_validate({"until": event}),
    ):
        sentence = retention_sentence(rule, lang)
        assert phrase in sentence or phrase[3:] in sentence  # « du » contracts « le »
        assert "_" not in sentence


@pytest.mark.parametrize(
    ("event", "fr", "en"),
    [
        (
            "app_uninstall",
            "Jusqu'à la désinstallation de l'application, puis suppression.",
            "Until the app is uninstalled, then deleted.",
        ),
        (
            "dispute_closed",
            "Jusqu'à la clôture définitive du litige, puis suppression.",
            "Until the dispute is finally resolved, then deleted.",
        ),
    ],
)
def test_new_retention_events_read_well(event: str, fr: str, en: str) -> None:
    rule = RetentionRule.model_validate({"until": event})
    assert retention_sentence(rule, "fr") == fr
    assert retention_sentence(rule, "en") == en


# ----------------------------------------------------------------- register


def activity(declaration: Declaration, reference: str) -> dict[str, Any]:
    activities = json.loads(export_register(declaration, "json"))["activities"]
    found: dict[str, Any] = next(a for a in activities if a["reference"] == reference)
    return found


def test_register_lists_sub_purposes(declaration: Declaration) -> None:
    assert activity(declaration, "account")["purposes"] == [
        "Gestion des comptes clients : Création et gestion de votre compte, accès à la "
        "plateforme et assistance technique.",
        "Sous-finalité : ouverture et fermeture du compte",
        "Sous-finalité : authentification lors de la connexion",
        "Sous-finalité : assistance technique",
    ]
    assert len(activity(declaration, "invoicing")["purposes"]) == 1


def test_register_date_is_the_purpose_start_else_blank(
    declaration: Declaration,
) -> None:
    assert activity(declaration, "account")["updated"] == "2023-09-01"
    # No `since`: the register states no date rather than the export's or the notice's.
    assert activity(declaration, "invoicing")["updated"] == ""


def test_register_says_what_a_recipient_receives(declaration: Declaration) -> None:
    feedback = activity(declaration, "feedback_analysis")["recipients"]
    assert feedback == [
        "Sous-traitants : Feedback Insights Ltd (Analyse sémantique des avis anonymisés ; "
        "reçoit uniquement des données anonymisées avant leur transmission)"
    ]
    audience = " ".join(activity(declaration, "audience")["recipients"])
    assert "InnoCraft (" in audience and "reçoit uniquement des données pseudonymisées" in audience
    account = " ".join(activity(declaration, "account")["recipients"])
    assert "reçoit uniquement" not in account


def test_register_names_the_joint_controller(declaration: Declaration) -> None:
    accessibility = activity(declaration, "accessibility")
    assert accessibility["joint_controllers"] == ["Salon Numérique SAS"]
    assert any("responsable conjoint" in r for r in accessibility["recipients"])


@pytest.mark.parametrize("fmt", ["csv", "md"])
def test_register_text_formats_carry_the_new_cells(declaration: Declaration, fmt: str) -> None:
    data = export_register(declaration, fmt).decode("utf-8-sig")  # type: ignore[arg-type]
    assert "2023-09-01" in data
    assert "Sous-finalité : ouverture et fermeture du compte" in data
    assert "reçoit uniquement des données anonymisées avant leur transmission" in data


def test_fixture_uses_every_new_field(declaration: Declaration) -> None:
    """The fixture keeps exercising what these tests check."""
    purposes = declaration.purposes.values()
    assert any(p.sub_purposes for p in purposes)
    assert any(p.since for p in purposes)
    forms = {r.receives for r in declaration.recipients.values()}
    assert {DataForm.ANONYMISED, DataForm.PSEUDONYMISED} <= forms
    assert any(r.arrangement for r in declaration.recipients.values())
    assert any(p.automated_decision and p.automated_decision.exception for p in purposes)
    consents = [p.consent for p in purposes if p.consent]
    assert any(c.mechanism is ConsentMechanism.OS_PERMISSION for c in consents)
    assert any(c.collected_by is ConsentCollector.CUSTOMER for c in consents)
    assert {c.essential for c in declaration.cookies.values()} == {True, False}
    assert declaration.notice.change_notification is ChangeNotification.EMAIL
    assert declaration.rights.post_mortem_directives
    events = {e for r in declaration.retention.values() for e in (r.after, r.until)}
    assert RetentionEvent.APP_UNINSTALL in events
    assert isinstance(declaration.purposes["account"].sub_purposes[0], Text)
