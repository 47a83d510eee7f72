"""The facts of a notice in one language: what the templates show, already worded.

``build_view`` reads a ``Declaration`` and returns plain frozen dataclasses of
strings, lists and flags: labels resolved, legal bases and retention rules
written out, recipients split into those inside and outside the EEA. The
templates only arrange these facts into prose; they never look anything up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gardien.declaration.jurisdiction import (
    NationalLaw,
    lead_authority,
    national_law,
    takes_post_mortem_directives,
)
from gardien.declaration.legal_forms import english_legal_form
from gardien.declaration.models import (
    Art22Exception,
    ChangeNotification,
    ConsentCollector,
    ConsentMechanism,
    DataForm,
    DataRequirement,
    DataSourceKind,
    Declaration,
    LegalBasis,
    Purpose,
    Recipient,
    RecipientRole,
    TransferSafeguard,
)
from gardien.declaration.taxonomy import special_category, transfer_rules
from gardien.declaration.values import Contact, Text, in_lang
from gardien.errors import RenderError
from gardien.notice import shapes, wording_de
from gardien.notice import vocabulary as v
from gardien.notice.environment import lower_first
from gardien.notice.labels import category_label, data_use_label, subject_label, taxonomy_labels
from gardien.notice.vocabulary import Lang
from gardien.notice.wording import (
    country_name,
    format_date,
    format_duration,
    language_name,
    retention_sentence,
)


@dataclass(frozen=True)
class ContactView:
    name: str | None
    email: str | None
    address: str | None
    phone: str | None
    url: str | None


@dataclass(frozen=True)
class RecipientView:
    key: str
    name: str
    role: str
    service: str
    country: str
    outside_eea: bool
    safeguard: str | None
    safeguard_reference: str | None
    # False when the reference is the adequacy decision gardien looked up.
    safeguard_reference_declared: bool
    # "reçoit uniquement des données anonymisées…", None for identified data.
    receives: str | None
    # The service, followed by what the recipient receives when that is not identified data.
    service_detail: str
    joint: bool
    processor: bool
    arrangement: str | None
    # "OVHcloud (sous-traitant)"; a name that ends with its own parenthesis takes
    # its role after a comma: "Google Analytics (Google LLC), sous-traitant".
    with_role: str
    # The data categories it receives ("—" when not declared), and whether it is the public.
    categories: str = "—"
    public: bool = False
    # Declared by ``region`` (a category of recipients inside the EU or EEA), not a country.
    by_region: bool = False

    @property
    def path(self) -> str:
        """Where it is declared, for the provenance of the sentences that name it."""
        return f"recipients.{self.key}"


@dataclass(frozen=True)
class CategoryView:
    key: str
    label: str
    description: str | None
    special: str | None

    @property
    def path(self) -> str:
        return f"data_categories.{self.key}"


@dataclass(frozen=True)
class SourceView:
    kind: str
    description: str


@dataclass(frozen=True)
class AutomatedView:
    logic: str
    significance: str
    profiling: bool
    # The Art. 22(2) exception as a clause, None when the declaration names none.
    exception: str | None
    # Art. 22(3): human intervention, point of view, contest; not for a decision
    # authorised by law, which carries its own safeguards.
    human_review: bool


@dataclass(frozen=True)
class PurposeView:
    key: str
    name: str
    description: str
    sub_purposes: tuple[str, ...]
    use: str | None
    basis_key: str
    basis: str
    legitimate_interest: str | None
    legal_reference: str | None
    consent_wording: str | None
    consent_lifetime: str | None
    consent_os_permission: bool
    consent_by_customer: bool
    special_condition: str | None
    special_categories: tuple[str, ...]
    categories: tuple[str, ...]
    mandatory_categories: tuple[str, ...]
    optional_categories: tuple[str, ...]
    subjects: tuple[str, ...]
    # None when the declaration does not say (``validate`` warns): nothing is printed.
    requirement: str | None
    # False when ``requirement`` is the law's (data given on consent is voluntary).
    requirement_declared: bool
    consequence: str | None
    sources: tuple[SourceView, ...]
    # True when the purpose declares a source other than the person.
    indirect: bool
    # True when the purpose, or one of its operations, is direct marketing (Art. 21(2)).
    direct_marketing: bool
    objection: bool
    # Art. 21(1): objection on grounds of one's particular situation (for a direct
    # marketing purpose, to what is not marketing in it).
    situational_objection: bool
    portability: bool
    automated: AutomatedView | None
    retention: str
    # The rule's key under ``retention``.
    retention_key: str
    recipients: tuple[RecipientView, ...]
    # Whether the purpose declares its recipients (``recipients: []`` says "none").
    recipients_declared: bool
    # Operations on their own legal basis (``operations``), and the bases for the summary.
    operations: tuple[shapes.OperationView, ...] = ()
    basis_summary: str = ""
    # Whether the purpose and all its operations rest on one and the same basis.
    one_basis: bool = True
    # Where the declaration says it is direct marketing: the purpose's flag, or its
    # operations' (``operations.N.direct_marketing``).
    marketing_paths: tuple[str, ...] = ()
    # Every retention rule it names (``retention``, ``retention_by_subject``).
    retention_keys: tuple[str, ...] = ()
    # The names of its operations open to an Art. 21(1) objection (legitimate interest,
    # public task), when it declares operations.
    objectable_operations: tuple[str, ...] = ()
    # The purpose's keys that name its rules: ``retention``, ``retention_by_subject``.
    retention_fields: tuple[str, ...] = ("retention",)

    @property
    def path(self) -> str:
        return f"purposes.{self.key}"

    @property
    def objection_label(self) -> str:
        """Its name in the list of processing open to objection, with the operations it
        applies to when only some are: "Gestion de la clientèle (enquêtes de satisfaction)"."""
        if not self.objectable_operations:
            return self.name
        return f"{self.name} ({', '.join(lower_first(o) for o in self.objectable_operations)})"

    @property
    def retention_paths(self) -> tuple[str, ...]:
        """Where its retention rules are declared, and where it names them, for provenance."""
        keys = self.retention_keys or (self.retention_key,)
        named = tuple(f"{self.path}.{field}" for field in self.retention_fields)
        return (*named, *(f"retention.{k}" for k in keys))


@dataclass(frozen=True)
class CookieView:
    key: str
    name: str
    purpose: str
    lifetime: str
    # The provider's name: the declared recipient's when ``provider`` names one.
    provider: str | None
    description: str | None
    essential: bool

    @property
    def path(self) -> str:
        return f"cookies.{self.key}"


@dataclass(frozen=True)
class Authority:
    """The lead supervisory authority as the notice names it (``declaration.jurisdiction``)."""

    name: str
    address: str
    # Without its scheme: "www.cnil.fr".
    website: str
    # The complaint page, or the website when no complaint page was checked.
    complaint_url: str
    key: str = "cnil"
    # Whether ``complaint_url`` is a complaint page rather than the home page.
    complaint_page: bool = True
    # The name of the language the complaint page is in, in the notice's language
    # ("German"), when it is not the notice's; None when it is (or there is no page).
    complaint_language: str | None = None


@dataclass(frozen=True)
class NoticeView:
    lang: Lang
    version: str
    # False when ``version`` is the declaration's hash, not a version the company gave.
    version_declared: bool
    # The declared effective date, written out; None when none is declared.
    date: str | None
    date_iso: str | None
    url: str | None
    controller_name: str
    legal_form: str | None
    registration: str | None
    address: str
    email: str
    phone: str | None
    website: str | None
    dpo: ContactView | None
    representative: ContactView | None
    purposes: tuple[PurposeView, ...]
    categories: tuple[CategoryView, ...]
    recipients: tuple[RecipientView, ...]
    joint_controllers: tuple[RecipientView, ...]
    transfers: tuple[RecipientView, ...]
    legal_holds: tuple[str, ...]
    # The keys of ``legal_holds``, in the same order.
    legal_hold_keys: tuple[str, ...]
    # Whether any declared category is special (Art. 9) or criminal (Art. 10).
    special_categories: bool
    # notice.collected_directly: True, False, or None (not declared).
    collected_directly: bool | None
    # "l'Union européenne" / "the European Union" when all hosting is declared there.
    hosting: str | None
    # Whether the declaration says anything about cookies (``cookies: {}`` says "none").
    cookies_declared: bool
    cookies: tuple[CookieView, ...]
    essential_cookies: tuple[CookieView, ...]
    consent_cookies: tuple[CookieView, ...]
    rights_email: str
    # Where ``rights_email`` is declared: rights.contact_email, the DPO's or the controller's.
    rights_email_source: str
    rights_url: str | None
    rights_postal: str | None
    rights_in_person: str | None
    notify_recipients: bool
    security_measures: tuple[str, ...]
    # Brand and company names that keep their capital inside a sentence.
    proper_names: frozenset[str]
    deadline: str
    # Whether ``rights.response_deadline`` is declared (else Art. 12(3)'s one month).
    deadline_declared: bool
    # Only what the declaration says (``rights.extension``, ``rights.verification``):
    # a default of gardien's is not the company's statement.
    extension: str | None
    verification: str | None
    post_mortem: bool
    change_by_email: bool
    # notice.change_notification: page, declared (the default says nothing).
    change_on_page: bool
    authority: Authority
    # The national law the notice cites beside the GDPR: "fr", "de", or "eu" (GDPR only).
    law: str = "fr"
    # rights.verification includes on_doubt: identity is checked only on reasonable doubt.
    verification_on_doubt: bool = False
    # rights.channels: further ways to send a request.
    channels: tuple[shapes.ChannelView, ...] = ()
    # Whether some recipient declares the data categories it receives.
    recipient_categories: bool = False


def authority_view(declaration: Declaration, lang: Lang) -> Authority:
    """The lead supervisory authority in ``lang``: its name, its address (with its
    country for a reader of another language), its website and complaint page."""
    found = lead_authority(declaration.controller)
    if found is None:
        raise RenderError(
            "the notice must name the supervisory authority people may complain to "
            "(Art. 13(2)(d)), and none follows from the controller: run `gardien validate` "
            "and set controller.region or controller.supervisory_authority as it says"
        )
    address = found.address
    if lang != found.language:
        address = f"{address}, {country_name(found.country, lang)}"
    # The page printed, and its language: the English page apart in an English notice.
    page, page_lang = found.complaint_url, found.complaint_language
    if lang == "en" and found.complaint_url_en:
        page, page_lang = found.complaint_url_en, "en"
    return Authority(
        name=found.title(lang),
        address=address,
        website=found.host,
        complaint_url=page or found.website,
        key=found.key,
        complaint_page=page is not None,
        complaint_language=(
            language_name(page_lang, lang) if page is not None and page_lang != lang else None
        ),
    )


def legal_form_in(declared: Text | str | None, lang: Lang, company: str = "") -> str | None:
    """The controller's legal form in ``lang``: a French form is described in English
    (``SAS (simplified joint-stock company)``), ``{fr, en}`` as declared."""
    if declared is None or isinstance(declared, Text):
        return declared[lang] if declared is not None else None
    if lang == "en":
        return english_legal_form(declared, company) or declared
    return declared


def _contact(contact: Contact | None) -> ContactView | None:
    if contact is None:
        return None
    return ContactView(contact.name, contact.email, contact.address, contact.phone, contact.url)


def outside_eea(country: str) -> bool:
    """True when data sent to ``country`` leaves the European Economic Area."""
    return country not in transfer_rules().eea


def recipient_view(
    key: str, recipient: Recipient, lang: Lang, declaration: Declaration | None = None
) -> RecipientView:
    declared = recipient.safeguard_reference
    reference = in_lang(declared, lang) if declared is not None else None
    if (
        reference is None
        and recipient.country is not None
        and recipient.safeguard is TransferSafeguard.ADEQUACY_DECISION
    ):
        adequacy = transfer_rules().adequacy.get(recipient.country)
        reference = adequacy.decision if adequacy is not None else None
    service = recipient.service[lang]
    receives = (
        v.term(v.DATA_FORMS, recipient.receives, lang)
        if recipient.receives is not DataForm.IDENTIFIED
        else None
    )
    name = in_lang(recipient.name, lang)
    role = v.term(v.ROLES, recipient.role, lang)
    separator = " ; " if lang == "fr" else "; "
    role_detail = f"{role}{separator}{receives}" if receives else role
    # Inside a sentence, a description ({fr, en}) is a common noun phrase: "; the
    # customer company (…)"; a proper name keeps its capital.
    # German nouns keep their capital; only a determiner opening the name is lowered.
    if isinstance(recipient.name, Text):
        inline = wording_de.inline(name) if lang == "de" else lower_first(name)
    else:
        inline = name
    with_role = (
        f"{inline}, {role_detail}" if name.rstrip().endswith(")") else f"{inline} ({role_detail})"
    )
    return RecipientView(
        key=key,
        with_role=with_role,
        name=name,
        role=v.term(v.ROLES, recipient.role, lang),
        service=service,
        country=shapes.recipient_place(recipient, lang),
        outside_eea=recipient.transfer_country is not None
        and outside_eea(recipient.transfer_country),
        safeguard=v.term(v.SAFEGUARDS, recipient.safeguard, lang) if recipient.safeguard else None,
        safeguard_reference=reference,
        safeguard_reference_declared=declared is not None,
        receives=receives,
        service_detail=f"{service.strip().rstrip('.')} ({receives})" if receives else service,
        joint=recipient.role is RecipientRole.JOINT_CONTROLLER,
        processor=recipient.role is RecipientRole.PROCESSOR,
        arrangement=recipient.arrangement[lang] if recipient.arrangement else None,
        categories=shapes.recipient_categories(declaration, recipient, lang)
        if declaration is not None
        else "—",
        public=shapes.is_public(recipient),
        by_region=recipient.region is not None,
    )


# Art. 22(2)(b) for a controller outside France: the law of the Union or of its own
# Member State, never French law.
_ART22_LAW_ELSEWHERE = {
    "fr": "elle est autorisée par le droit de l'Union européenne ou de l'État membre auquel "
    "nous sommes soumis, qui prévoit des mesures appropriées pour la sauvegarde de vos droits "
    "et libertés et de vos intérêts légitimes (article 22.2.b du RGPD)",
    "en": "it is authorised by Union or Member State law to which we are subject, which lays "
    "down suitable measures to safeguard your rights, freedoms and legitimate interests "
    "(Article 22(2)(b) GDPR)",
}


def automated_view(
    purpose: Purpose, lang: Lang, *, french_law: bool = True
) -> AutomatedView | None:
    decision = purpose.automated_decision
    if decision is None:
        return None
    exception = v.term(v.ART22_EXCEPTIONS, decision.exception, lang) if decision.exception else None
    if decision.exception is Art22Exception.LAW and not french_law and lang in _ART22_LAW_ELSEWHERE:
        exception = _ART22_LAW_ELSEWHERE[lang]
    return AutomatedView(
        logic=decision.logic[lang],
        significance=decision.significance[lang],
        profiling=decision.profiling,
        exception=exception,
        human_review=decision.exception is not Art22Exception.LAW,
    )


def retention_of(declaration: Declaration, key: str, purpose: Purpose, lang: Lang) -> str:
    """The purpose's retention rule as a sentence; a missing rule is an error, not a blank."""
    if purpose.retention_by_subject:
        return shapes.retention_text(declaration, key, purpose, lang)
    if purpose.retention is None:
        raise RenderError(
            f'purpose "{key}" has no retention rule, and a notice must state how long data '
            "is kept (Art. 13(2)(a)): add `retention: <rule>` to the purpose"
        )
    rule = declaration.retention.get(purpose.retention)
    if rule is None:
        raise RenderError(
            f'purpose "{key}" names retention rule "{purpose.retention}", which is not '
            "declared: add it under `retention:` or fix the name"
        )
    return retention_sentence(rule, lang, declaration.retention_events)


def purpose_view(declaration: Declaration, key: str, purpose: Purpose, lang: Lang) -> PurposeView:
    declared = declaration.data_categories
    specials = {special_category(c, declared) for c in purpose.categories} - {None}
    optional = list(purpose.optional_categories)
    all_categories = list(dict.fromkeys([*purpose.categories, *optional]))
    recipients = tuple(
        recipient_view(r, declaration.recipients[r], lang, declaration)
        for r in purpose.recipients
        if r in declaration.recipients
    )
    consent = purpose.consent
    # A consent must be free (Art. 4(11), 7(4)): data given on consent is voluntary by law.
    requirement = purpose.requirement or (
        DataRequirement.VOLUNTARY if purpose.legal_basis is LegalBasis.CONSENT else None
    )
    marketing_paths = (
        (f"purposes.{key}.direct_marketing",) if purpose.direct_marketing else ()
    ) + tuple(
        f"purposes.{key}.operations.{index}.direct_marketing"
        for index, operation in enumerate(purpose.operations)
        if operation.direct_marketing
    )
    return PurposeView(
        key=key,
        name=purpose.name[lang],
        description=purpose.description[lang],
        sub_purposes=tuple(s[lang] for s in purpose.sub_purposes),
        use=data_use_label(purpose.data_use, lang) if purpose.data_use else None,
        basis_key=str(purpose.legal_basis),
        basis=v.term(v.LEGAL_BASES, purpose.legal_basis, lang),
        legitimate_interest=purpose.legitimate_interest[lang]
        if purpose.legitimate_interest
        else None,
        legal_reference=purpose.legal_reference[lang] if purpose.legal_reference else None,
        consent_wording=consent.wording[lang] if consent else None,
        consent_lifetime=(
            format_duration(consent.lifetime, lang) if consent and consent.lifetime else None
        ),
        consent_os_permission=consent is not None
        and consent.mechanism is ConsentMechanism.OS_PERMISSION,
        consent_by_customer=consent is not None
        and consent.collected_by is ConsentCollector.CUSTOMER,
        special_condition=(
            v.term(v.ART9_CONDITIONS, purpose.special_category_condition, lang)
            if purpose.special_category_condition
            else None
        ),
        special_categories=tuple(
            sorted(v.term(v.SPECIAL_CATEGORIES, s, lang) for s in specials if s)
        ),
        categories=tuple(category_label(c, lang, declaration) for c in all_categories),
        mandatory_categories=tuple(
            category_label(c, lang, declaration) for c in all_categories if c not in optional
        ),
        optional_categories=tuple(category_label(c, lang, declaration) for c in optional),
        subjects=tuple(subject_label(s, lang, declaration) for s in purpose.subjects),
        requirement=v.term(v.REQUIREMENTS, requirement, lang) if requirement else None,
        requirement_declared=purpose.requirement is not None,
        consequence=purpose.consequence_if_not_provided[lang]
        if purpose.consequence_if_not_provided
        else None,
        sources=tuple(
            SourceView(v.term(v.SOURCE_KINDS, s.kind, lang), s.description[lang])
            for s in purpose.sources
        ),
        indirect=any(s.kind is not DataSourceKind.DATA_SUBJECT for s in purpose.sources),
        direct_marketing=bool(marketing_paths),
        objection=purpose.objection_allowed,
        situational_objection=purpose.objection_allowed
        and (
            bool(shapes.bases(purpose) & {LegalBasis.LEGITIMATE_INTEREST, LegalBasis.PUBLIC_TASK})
            or not marketing_paths
        ),
        # Art. 20(1): portability covers data processed by automated means on
        # the basis of consent or a contract.
        portability=bool(shapes.bases(purpose) & {LegalBasis.CONSENT, LegalBasis.CONTRACT}),
        automated=automated_view(
            purpose,
            lang,
            french_law=national_law(declaration.controller) is NationalLaw.FRANCE,
        ),
        retention=retention_of(declaration, key, purpose, lang),
        retention_key=purpose.retention or next(iter(purpose.retention_by_subject.values()), ""),
        recipients=recipients,
        recipients_declared="recipients" in purpose.model_fields_set,
        operations=shapes.operation_views(declaration, key, purpose, lang),
        basis_summary=shapes.basis_summary(purpose, lang),
        one_basis=len(shapes.bases(purpose)) == 1,
        marketing_paths=marketing_paths,
        retention_keys=shapes.retention_keys(purpose),
        objectable_operations=shapes.objectable_operations(purpose, lang),
        retention_fields=tuple(
            f
            for f, declared in (
                ("retention", purpose.retention is not None),
                ("retention_by_subject", bool(purpose.retention_by_subject)),
            )
            if declared
        ),
    )


def _cookie_purpose(declaration: Declaration, purpose: str, lang: Lang) -> str:
    if purpose in declaration.purposes:
        return declaration.purposes[purpose].name[lang]
    if purpose in taxonomy_labels()["data_uses"]:
        return data_use_label(purpose, lang)
    return purpose


def _provider(declaration: Declaration, provider: str | None, lang: Lang) -> str | None:
    recipient = declaration.recipients.get(provider) if provider else None
    return in_lang(recipient.name, lang) if recipient is not None else provider


def proper_names(declaration: Declaration) -> frozenset[str]:
    """The first words that are names, not common nouns: the company's, its recipients',
    and the brand names it declares under ``redaction.keep``."""
    names = [declaration.controller.name, *declaration.redaction.keep]
    names += [r.name for r in declaration.recipients.values() if isinstance(r.name, str)]
    return frozenset(word.lower() for name in names for word in name.replace(".", " ").split())


def build_view(
    declaration: Declaration,
    lang: Lang,
    version: str,
    date: dt.date | None,
    *,
    version_declared: bool = True,
) -> NoticeView:
    """Every fact the notice shows, worded in ``lang``."""
    controller = declaration.controller
    rights = declaration.rights
    used = list(dict.fromkeys(c for p in declaration.purposes.values() for c in p.categories))
    used += [c for c in declaration.data_categories if c not in used]
    recipients = tuple(
        recipient_view(key, r, lang, declaration) for key, r in declaration.recipients.items()
    )
    cookies = tuple(
        CookieView(
            key=name,
            name=name,
            purpose=_cookie_purpose(declaration, c.purpose, lang),
            lifetime=format_duration(c.lifetime, lang),
            provider=_provider(declaration, c.provider, lang),
            description=c.description[lang] if c.description else None,
            essential=c.essential,
        )
        for name, c in declaration.cookies.items()
    )
    return NoticeView(
        lang=lang,
        version=version,
        version_declared=version_declared,
        date=format_date(date, lang) if date else None,
        date_iso=date.isoformat() if date else None,
        url=declaration.notice.url,
        controller_name=controller.name,
        legal_form=legal_form_in(controller.legal_form, lang, controller.name),
        registration=controller.registration,
        address=controller.address,
        email=controller.email,
        phone=controller.phone,
        website=controller.website,
        dpo=_contact(controller.dpo),
        representative=_contact(controller.eu_representative),
        purposes=tuple(
            purpose_view(declaration, key, p, lang) for key, p in declaration.purposes.items()
        ),
        categories=tuple(
            CategoryView(
                key=c,
                label=category_label(c, lang, declaration),
                description=_category_description(declaration, c, lang),
                special=_special_label(declaration, c, lang),
            )
            for c in used
        ),
        recipients=recipients,
        joint_controllers=tuple(r for r in recipients if r.joint),
        transfers=tuple(r for r in recipients if r.outside_eea),
        legal_holds=tuple(h.reason[lang] for h in declaration.legal_holds.values()),
        legal_hold_keys=tuple(declaration.legal_holds),
        special_categories=any(
            special_category(c, declaration.data_categories) for c in declaration.data_categories
        ),
        collected_directly=declaration.notice.collected_directly,
        hosting=v.term(v.HOSTING, declaration.notice.hosting, lang)
        if declaration.notice.hosting
        else None,
        cookies_declared="cookies" in declaration.model_fields_set,
        cookies=cookies,
        essential_cookies=tuple(c for c in cookies if c.essential),
        consent_cookies=tuple(c for c in cookies if not c.essential),
        rights_email=rights.contact_email
        or (controller.dpo and controller.dpo.email)
        or controller.email,
        rights_email_source=(
            "rights.contact_email"
            if rights.contact_email
            else "controller.dpo.email"
            if controller.dpo and controller.dpo.email
            else "controller.email"
        ),
        rights_url=rights.contact_url,
        # The letter goes to the company: its name heads the address when the declared
        # address does not already give it.
        rights_postal=postal_channel(controller.name, rights.postal_address),
        rights_in_person=rights.in_person[lang] if rights.in_person else None,
        notify_recipients=rights.notify_recipients,
        security_measures=tuple(m[lang] for m in declaration.security_measures),
        proper_names=proper_names(declaration),
        deadline=wording_de.within(rights.response_deadline)
        if lang == "de"
        else format_duration(rights.response_deadline, lang, words=True),
        deadline_declared="response_deadline" in rights.model_fields_set,
        extension=format_duration(rights.extension, lang, words=True)
        if "extension" in rights.model_fields_set
        else None,
        verification=shapes.verification_methods(rights, lang)
        if "verification" in rights.model_fields_set
        else None,
        post_mortem=takes_post_mortem_directives(declaration),
        change_by_email=declaration.notice.change_notification is ChangeNotification.EMAIL,
        change_on_page="change_notification" in declaration.notice.model_fields_set
        and declaration.notice.change_notification is ChangeNotification.PAGE,
        authority=authority_view(declaration, lang),
        law=national_law(declaration.controller).value,
        verification_on_doubt="verification" in rights.model_fields_set
        and shapes.verification_on_doubt(rights),
        channels=shapes.channel_views(rights, lang),
        recipient_categories=any(r.categories for r in declaration.recipients.values()),
    )


def postal_channel(company: str, address: str | None) -> str | None:
    """The letter goes to the company: its name heads the address when the declared
    address does not already start with it (or with a shorter form of it: "ActiveViam"
    for "ActiveViam SAS")."""
    if address is None:
        return None
    first = address.split(",", 1)[0].strip()
    if company in address or (first and company.startswith(first)):
        return address
    return f"{company}, {address}"


def _category_description(declaration: Declaration, key: str, lang: Lang) -> str | None:
    entry = declaration.data_categories.get(key)
    if entry is None or entry.description is None:
        return None
    return entry.description[lang]


def _special_label(declaration: Declaration, key: str, lang: Lang) -> str | None:
    special = special_category(key, declaration.data_categories)
    return v.term(v.SPECIAL_CATEGORIES, special, lang) if special else None
