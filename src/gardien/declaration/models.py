"""The pydantic models of ``privacy.yaml``: what a company declares about its processing.

A ``Declaration`` is immutable once loaded. The models check the shape of each
entry (types, enumerations, required keys); the rules that span several
entries (a purpose naming an undeclared category, a transfer without a
safeguard) live in ``rules.py`` so that all of them are reported at once, each
at its own line.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, Field, field_validator, model_validator

from gardien.declaration.branding import Branding
from gardien.declaration.countries import CountryCode
from gardien.declaration.values import (
    Contact,
    Duration,
    DurationField,
    Email,
    EnvRef,
    Name,
    SecretOrLiteral,
    StrictModel,
    Text,
)

KEY_PATTERN = r"^[a-z0-9][a-z0-9_\-]*(\.[a-z0-9][a-z0-9_\-]*)*$"


class LegalBasis(StrEnum):
    """Art. 6(1) GDPR: each basis is one point of that paragraph (the one home of that fact)."""

    CONSENT = "consent"
    CONTRACT = "contract"
    LEGAL_OBLIGATION = "legal_obligation"
    VITAL_INTEREST = "vital_interest"
    PUBLIC_TASK = "public_task"
    LEGITIMATE_INTEREST = "legitimate_interest"

    @property
    def point(self) -> str:
        """The point of Art. 6(1) this basis is: ``"a"`` for consent … ``"f"``."""
        return "abcdef"[list(LegalBasis).index(self)]

    @property
    def article(self) -> str:
        """The citation decisions and audit entries carry, e.g. ``GDPR Art. 6(1)(a)``."""
        return f"GDPR Art. 6(1)({self.point})"

    def citation(self, lang: str) -> str:
        """The citation a notice writes: ``article 6.1.a du RGPD`` / ``Article 6(1)(a) GDPR``."""
        if lang == "fr":
            return f"article 6.1.{self.point} du RGPD"
        return f"Article 6(1)({self.point}) GDPR"


class SpecialCategory(StrEnum):
    """Art. 9(1) special categories, and Art. 10 criminal data."""

    RACIAL_ETHNIC_ORIGIN = "racial_ethnic_origin"
    POLITICAL_OPINIONS = "political_opinions"
    RELIGIOUS_BELIEFS = "religious_beliefs"
    TRADE_UNION = "trade_union_membership"
    GENETIC = "genetic"
    BIOMETRIC = "biometric"
    HEALTH = "health"
    SEX_LIFE_ORIENTATION = "sex_life_orientation"
    CRIMINAL = "criminal_convictions"


class Art9Condition(StrEnum):
    """Art. 9(2)(a)-(j): the condition lifting the ban on special categories."""

    EXPLICIT_CONSENT = "explicit_consent"
    EMPLOYMENT_SOCIAL_SECURITY = "employment_social_security"
    VITAL_INTERESTS = "vital_interests"
    NOT_FOR_PROFIT_BODY = "not_for_profit_body"
    MADE_PUBLIC = "made_public_by_subject"
    LEGAL_CLAIMS = "legal_claims"
    SUBSTANTIAL_PUBLIC_INTEREST = "substantial_public_interest"
    HEALTH_OR_SOCIAL_CARE = "health_or_social_care"
    PUBLIC_HEALTH = "public_health"
    ARCHIVING_RESEARCH_STATISTICS = "archiving_research_statistics"


class DataRequirement(StrEnum):
    """Art. 13(2)(e): why the person has to provide the data, if they have to."""

    STATUTORY = "statutory"
    CONTRACTUAL = "contractual"
    CONTRACT_PREREQUISITE = "contract_prerequisite"
    VOLUNTARY = "voluntary"


class DataSourceKind(StrEnum):
    """Where the data of a purpose comes from (Art. 14(2)(f))."""

    DATA_SUBJECT = "data_subject"
    THIRD_PARTY = "third_party"
    PUBLIC_SOURCES = "public_sources"


class RecipientRole(StrEnum):
    PROCESSOR = "processor"
    JOINT_CONTROLLER = "joint_controller"
    INDEPENDENT_CONTROLLER = "independent_controller"
    INTERNAL = "internal"
    PUBLIC_AUTHORITY = "public_authority"
    #: Anyone: content the person publishes (a review, a comment) is seen by the public.
    PUBLIC = "public"


class TransferSafeguard(StrEnum):
    """Chapter V GDPR: what makes a transfer outside the EEA lawful."""

    ADEQUACY_DECISION = "adequacy_decision"
    STANDARD_CONTRACTUAL_CLAUSES = "standard_contractual_clauses"
    BINDING_CORPORATE_RULES = "binding_corporate_rules"
    CODE_OF_CONDUCT = "code_of_conduct"
    CERTIFICATION = "certification"
    DEROGATION = "derogation_art49"


class RetentionEvent(StrEnum):
    """The event a retention period runs from, or that ends the active phase."""

    COLLECTION = "collection"
    DEPOSIT = "deposit"
    LAST_CONTACT = "last_contact"
    LAST_ACTIVITY = "last_activity"
    ACCOUNT_DELETION = "account_deletion"
    CONTRACT_END = "contract_end"
    END_OF_RELATIONSHIP = "end_of_relationship"
    CONSENT_WITHDRAWAL = "consent_withdrawal"
    TRANSACTION = "transaction"
    FISCAL_YEAR_END = "fiscal_year_end"
    REQUEST_CLOSED = "request_closed"
    APPLICATION_CLOSED = "application_closed"
    EMPLOYMENT_END = "employment_end"
    APP_UNINSTALL = "app_uninstall"
    DISPUTE_CLOSED = "dispute_closed"


#: The events the company's systems can tell gardien happened for a person (the API's
#: ``/retention-events``, ``gardien retention event``): a binding may run from one of them
#: instead of a date column. The others are dates a row holds (a contact, a deposit).
RECORDED_EVENTS: frozenset[RetentionEvent] = frozenset(
    {
        RetentionEvent.ACCOUNT_DELETION,
        RetentionEvent.CONTRACT_END,
        RetentionEvent.END_OF_RELATIONSHIP,
        RetentionEvent.EMPLOYMENT_END,
        RetentionEvent.APP_UNINSTALL,
    }
)


#: The key of an event the company declares under ``retention_events``.
EventKey = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
#: A built-in event first (``account_deletion`` stays a ``RetentionEvent``), else the key of
#: an event the company declares.
AnyEvent = Annotated[RetentionEvent | EventKey, Field(union_mode="left_to_right")]


# Shapes real policies need (issue 17): operations, company events, contact channels ------


class Operation(StrictModel):
    """One operation inside a purpose, on its own legal basis: a row of the tables
    French policies publish ("Gestion des commandes — exécution du contrat", "Enquêtes
    de satisfaction — intérêt légitime")."""

    name: Text
    legal_basis: LegalBasis
    legitimate_interest: Text | None = None
    legal_reference: Text | None = None
    #: The purpose's categories this operation uses (all of them when empty).
    categories: tuple[str, ...] = ()
    direct_marketing: bool = False


class CompanyEvent(StrictModel):
    """An event of the company's own that a retention rule runs from or until.

    ``label`` is what the notice writes after « à compter de » / « jusqu'à » and
    "after" / "until": a noun phrase with its article in French (« le retrait de la
    publication »), a clause or noun phrase in English ("the publication is withdrawn").
    """

    label: Text


class ChannelKind(StrEnum):
    """How a request reaches the company."""

    WEBSITE = "website"
    FORM = "form"
    EMAIL = "email"
    POST = "post"
    PHONE = "phone"


class ContactChannel(StrictModel):
    """A way to send a request besides ``contact_email``/``contact_url``/``postal_address``."""

    kind: ChannelKind
    #: The address, URL or number.
    value: str = Field(min_length=1)
    #: What it is for or when it is open ("for members", "Monday to Friday, 9:00-17:00").
    note: Text | None = None

    @model_validator(mode="after")
    def _value_fits(self) -> Self:
        if self.kind is ChannelKind.EMAIL and not re.match(
            r"^[^@\s]+@[^@\s]+\.[^@\s]+$", self.value
        ):
            raise ValueError(f"{self.value!r} is not an e-mail address")
        if self.kind in (ChannelKind.WEBSITE, ChannelKind.FORM) and not re.match(
            r"^https?://", self.value
        ):
            raise ValueError(f"{self.value!r} is not a web address: write it in full, https://…")
        return self


class RetentionAction(StrEnum):
    """What happens to data once its retention (and any archive phase) has run out."""

    DELETE = "delete"
    ANONYMISE = "anonymise"


class ErasureStrategy(StrEnum):
    """What erasure does to one field of a datastore."""

    DELETE_ROW = "delete_row"
    NULLIFY = "nullify"
    ANONYMISE = "anonymise"
    REDACT = "redact"
    HASH = "hash"
    KEEP = "keep"


class VerificationMethod(StrEnum):
    EMAIL_CODE = "email_code"
    ACCOUNT_LOGIN = "account_login"
    SMS_CODE = "sms_code"
    ID_DOCUMENT = "id_document"
    #: Art. 12(6): identity is checked only where there is reasonable doubt about it.
    ON_DOUBT = "on_doubt"
    #: The person is asked about information only they and the company know.
    KNOWN_DETAILS = "known_details"
    #: The request must come from the e-mail address the company holds for the person.
    EMAIL_ADDRESS_ON_FILE = "email_address_on_file"


class SupervisoryAuthority(StrEnum):
    CNIL = "cnil"


class Controller(StrictModel):
    """Art. 13(1)(a): who decides why and how the data is processed."""

    name: str = Field(min_length=1)
    # A plain string (``SAS au capital de 10 000 €``) is written in English from
    # gardien.declaration.legal_forms; ``{fr, en}`` gives both languages.
    legal_form: Name | None = None
    registration: str | None = None
    address: str = Field(min_length=1)
    country: CountryCode = "FR"
    email: Email
    phone: str | None = None
    website: str | None = None
    dpo: Contact | None = None
    eu_representative: Contact | None = None
    #: The lead supervisory authority, a key of ``declaration/data/authorities.json``
    #: (``cnil``, ``de-by``…); by default the authority of ``country`` (and, in Germany,
    #: of ``region``): see ``gardien.declaration.jurisdiction``.
    supervisory_authority: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9-]*$")
    #: The controller's region, ISO 3166-2 (``DE-BY`` for Bavaria): in Germany the
    #: authority competent for a private body is that of its Land.
    region: str | None = Field(default=None, pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


class DataCategory(StrictModel):
    """A data category the company processes: a taxonomy key or its own key."""

    parent: str | None = Field(default=None, pattern=KEY_PATTERN)
    label: Text | None = None
    description: Text | None = None
    special: SpecialCategory | None = None
    free_text: bool = False


class DataSubject(StrictModel):
    """A kind of person whose data is processed: customer, prospect…"""

    label: Text | None = None
    description: Text | None = None


class ConsentMechanism(StrEnum):
    """How the person expresses consent."""

    EXPLICIT_ACTION = "explicit_action"
    OS_PERMISSION = "os_permission"
    CONTINUED_BROWSING = "continued_browsing"


class ConsentCollector(StrEnum):
    """Who asks for the consent: the controller, or its customer (B2B2C platforms)."""

    CONTROLLER = "controller"
    CUSTOMER = "customer"


class ConsentSpec(StrictModel):
    """How consent is asked for a consent-based purpose."""

    wording: Text
    lifetime: DurationField | None = None
    mechanism: ConsentMechanism = ConsentMechanism.EXPLICIT_ACTION
    collected_by: ConsentCollector = ConsentCollector.CONTROLLER


class Art22Exception(StrEnum):
    """Art. 22(2): what allows a decision based solely on automated processing."""

    CONTRACT = "contract"
    LAW = "authorised_by_law"
    EXPLICIT_CONSENT = "explicit_consent"


class AutomatedDecision(StrictModel):
    """Art. 22: a decision based solely on automated processing."""

    logic: Text
    significance: Text
    profiling: bool = False
    exception: Art22Exception | None = None


class Source(StrictModel):
    """Art. 14(2)(f): data not obtained from the person themselves."""

    kind: DataSourceKind = DataSourceKind.THIRD_PARTY
    description: Text


class Purpose(StrictModel):
    """One processing activity: a row of the Art. 30 register."""

    name: Text
    description: Text
    sub_purposes: tuple[Text, ...] = ()
    since: dt.date | None = None
    data_use: str | None = Field(default=None, pattern=KEY_PATTERN)
    legal_basis: LegalBasis
    legitimate_interest: Text | None = None
    legal_reference: Text | None = None
    special_category_condition: Art9Condition | None = None
    subjects: tuple[str, ...] = Field(min_length=1)
    categories: tuple[str, ...] = Field(min_length=1)
    optional_categories: tuple[str, ...] = ()
    #: Art. 13(2)(e); None when not declared: the notice then says nothing, and
    #: ``validate`` asks for it.
    requirement: DataRequirement | None = None
    consequence_if_not_provided: Text | None = None
    sources: tuple[Source, ...] = ()
    direct_marketing: bool = False
    objection: bool | None = None
    automated_decision: AutomatedDecision | None = None
    consent: ConsentSpec | None = None
    retention: str | None = None
    recipients: tuple[str, ...] = ()
    security_measures: Text | None = None
    #: Operations inside this processing, each on its own legal basis (the rows of a
    #: French policy's table); see ``Operation``.
    operations: tuple[Operation, ...] = ()
    #: A retention rule per kind of person (``{prospect: prospects, customer: customers}``),
    #: instead of (or besides, for the subjects not named) ``retention``.
    retention_by_subject: dict[str, str] = Field(default_factory=dict)

    @property
    def objection_allowed(self) -> bool:
        """Art. 21: objection applies to legitimate interest, public task and marketing
        (the purpose's own basis, or any of its operations')."""
        if self.objection is not None:
            return self.objection
        bases = {self.legal_basis, *(o.legal_basis for o in self.operations)}
        return (
            self.direct_marketing
            or any(o.direct_marketing for o in self.operations)
            or bool(bases & {LegalBasis.LEGITIMATE_INTEREST, LegalBasis.PUBLIC_TASK})
        )


class Webhook(StrictModel):
    """Where Art. 19 notices (rectification, erasure, restriction) are sent."""

    url: SecretOrLiteral
    secret: EnvRef | None = None


class DataForm(StrEnum):
    """In which form a recipient receives the data."""

    IDENTIFIED = "identified"
    PSEUDONYMISED = "pseudonymised"
    ANONYMISED = "anonymised"


class Recipient(StrictModel):
    """A processor or third party that receives personal data.

    ``name`` is a plain string for a proper name (``Stripe Payments Europe``),
    or ``{fr, en}`` for a description (``Hébergeurs de l'Union européenne``).
    """

    name: Name
    role: RecipientRole
    service: Text
    #: Where the recipient is (ISO 3166 code); ``region`` instead for a category of
    #: recipients all inside the EU or the EEA; neither for ``role: public``.
    country: CountryCode | None = None
    safeguard: TransferSafeguard | None = None
    safeguard_reference: Name | None = None
    receives: DataForm = DataForm.IDENTIFIED
    arrangement: Text | None = None
    webhook: Webhook | None = None
    #: ``eu`` or ``eea``: a category of recipients ("our IT providers in the EU") that
    #: are all inside that area, instead of one ``country``.
    region: HostingRegion | None = None
    #: The data categories this recipient receives (all of its purposes' when empty).
    categories: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _located(self) -> Self:
        if self.role is RecipientRole.PUBLIC:
            if self.country is not None or self.region is not None or self.safeguard:
                raise ValueError(
                    "a recipient with role: public is anyone who reads what is published: "
                    "remove country, region and safeguard (publication is not a transfer)"
                )
            return self
        if self.country is None and self.region is None:
            raise ValueError(
                "say where this recipient is: `country: FR` (an ISO 3166 code), or "
                "`region: eu` / `region: eea` for a category of recipients all inside it"
            )
        if self.country is not None and self.region is not None:
            raise ValueError(
                "give `country` (one recipient's country) or `region` (a category of "
                "recipients inside the EU or EEA), not both"
            )
        if self.region is not None and self.safeguard is not None:
            raise ValueError(
                f"region: {self.region.value} is inside the EEA, where no transfer safeguard "
                "applies: remove safeguard, or declare the recipients outside it with a country"
            )
        return self

    @property
    def transfer_country(self) -> str | None:
        """The country a transfer is judged by; None for a region inside the EEA or the
        public (Chapter V applies to a recipient in a third country, not to publication)."""
        return self.country


class ArchivePhase(StrictModel):
    """Intermediate archiving: kept apart, for a legal reason, for a while."""

    duration: DurationField
    reason: Text


class RetentionRule(StrictModel):
    """How long data is kept, and what happens after.

    The active phase runs ``duration`` after an event, or ``until`` an event;
    an optional ``archive`` phase follows (intermediate archiving, kept apart
    for a legal reason); then the data is deleted or anonymised.
    """

    duration: DurationField | None = None
    #: A built-in ``RetentionEvent``, or an event the company declares under
    #: ``retention_events`` (``publication_withdrawn``).
    after: AnyEvent = RetentionEvent.COLLECTION
    until: AnyEvent | None = None
    archive: ArchivePhase | None = None
    then: RetentionAction = RetentionAction.DELETE
    criterion: Text | None = None
    #: Kept without any time limit, for this reason (printed in the notice; ``validate``
    #: warns): the rule then has neither ``duration`` nor ``until``.
    indefinitely: Text | None = None

    @model_validator(mode="after")
    def _has_a_limit(self) -> Self:
        if self.indefinitely is not None:
            if self.duration is not None or self.until is not None or self.archive is not None:
                raise ValueError(
                    "`indefinitely` keeps data without a limit: remove duration, until and "
                    "archive, or remove indefinitely"
                )
            return self
        if self.duration is None and self.until is None:
            raise ValueError(
                "a retention rule needs a limit: give `duration` (with `after`) "
                "or `until` (an event such as account_deletion), or, if the data is truly "
                "kept without limit, `indefinitely: {fr: …, en: …}` with the reason"
            )
        return self

    @property
    def deleted_with_the_account(self) -> bool:
        """Kept until the account is deleted and deleted with it, nothing after:
        the notice says the deletion once ("until the account is deleted"),
        not twice ("…, then deleted")."""
        return (
            self.until is RetentionEvent.ACCOUNT_DELETION
            and self.duration is None
            and self.archive is None
            and self.then != RetentionAction.ANONYMISE
        )


class LegalHold(StrictModel):
    """A suspension of retention: data under litigation or inquiry is kept."""

    reason: Text
    categories: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    until: dt.date | None = None


class Follow(StrEnum):
    """Which way a request follows a reference from the person's rows.

    ``down`` (the default): from a row of the person's to the rows that point
    at it (a customer's orders). ``up``: from a row of the person's to the row
    it points at (a device's account). ``both``; ``none``: never (a user's
    team is not the user's data: following it would reach other members).
    """

    DOWN = "down"
    UP = "up"
    BOTH = "both"
    NONE = "none"

    @property
    def down(self) -> bool:
        return self in (Follow.DOWN, Follow.BOTH)

    @property
    def up(self) -> bool:
        return self in (Follow.UP, Follow.BOTH)


class FieldReference(StrictModel):
    """A field pointing at another collection's field: ``customers.id``."""

    collection: str
    field: str
    follow: Follow = Follow.DOWN


class ThirdParties(StrEnum):
    """What an access export does with other people named in a free-text field."""

    KEEP = "keep"
    REDACT = "redact"


class IdentityMatch(StrEnum):
    """How a person's identity is compared with the values an identity column holds."""

    #: As stored: the column holds identities in gardien's normal form (an e-mail in
    #: lower case, a phone number in E.164).
    EXACT = "exact"
    #: Whatever the case: the column holds e-mail addresses as people typed them
    #: ("Alice.Martin@Example.com"), compared in lower case (on PostgreSQL, an index on
    #: ``lower(column)`` keeps it fast).
    CASEFOLD = "casefold"


class StoreField(StrictModel):
    """One column of a datastore collection and what it holds."""

    categories: tuple[str, ...] = ()
    identity: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")
    match: IdentityMatch = IdentityMatch.EXACT
    primary_key: bool = False
    references: FieldReference | None = None
    erasure: ErasureStrategy = ErasureStrategy.NULLIFY
    #: Free text that may name other people (a support message): ``redact`` hides
    #: their names, through the redaction room, in the person's access export.
    third_parties: ThirdParties = ThirdParties.KEEP

    @model_validator(mode="after")
    def _match_needs_identity(self) -> StoreField:
        if self.match is not IdentityMatch.EXACT and self.identity is None:
            raise ValueError(
                f"match: {self.match.value} compares a person's identity with this column, "
                "which holds none: add identity: (e.g. identity: email) or remove match"
            )
        return self


class RowHold(StrictModel):
    """Rows the law requires to keep after an erasure request, and until when.

    Fields declared ``erasure: keep`` stay while ``anchor`` (a date column of the
    collection) plus ``duration`` is in the future, e.g. invoices kept 10 years
    after they were issued (French Commercial Code, art. L123-22); the other
    fields follow their own strategy, and the person is told what was kept, why
    and until when.
    """

    reason: Text
    duration: DurationField
    anchor: str


class ArchiveTarget(StrictModel):
    """Where a collection's rows wait out their intermediate archiving: a table the company
    created with restricted access, with the collection's declared columns."""

    collection: str = Field(min_length=1)
    #: Another declared datastore (an archive database); by default the same one.
    datastore: str | None = None


class RetentionBinding(StrictModel):
    """The retention rule a collection's rows follow, and the date column it runs from.

    ``anchor`` is the date the rule's clock starts (``last_contact_at`` for "3
    years after the last contact"), or, for a rule that lasts ``until`` an
    event, the date that event happened (``closed_at``; NULL: not yet). When
    the time is up the rule's ``then`` happens to each row: ``delete`` (rows
    pointing at it follow as their references declare), or ``anonymise`` the
    ``fields`` named (all declared fields but the key and the references, when
    none are named); a rule with an ``archive`` phase first moves the rows to
    ``archive``, where they are deleted when that phase ends. ``event`` instead of
    ``anchor``: the clock runs from an event gardien records for a person (an account
    deletion), and the person's rows are found from the identities recorded with it.
    """

    rule: str = Field(min_length=1)
    anchor: str | None = Field(default=None, min_length=1)
    #: Instead of ``anchor``: the clock runs from this event, recorded by gardien for a
    #: person (``POST /api/v1/retention-events``, ``gardien retention event``); the
    #: person's rows are found from the identities recorded with it.
    event: RetentionEvent | None = None
    fields: tuple[str, ...] = ()
    archive: ArchiveTarget | None = None
    #: For a rule with both ``until`` and ``duration`` ("whichever comes first"): the date
    #: column recording when the ``until`` event happened (NULL: not yet). A row is then
    #: due when its ``anchor`` plus the duration is over, or as soon as this date is past.
    until_anchor: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_clock(self) -> Self:
        if self.anchor is None and self.event is None:
            raise ValueError(
                "a retention binding needs a clock: `anchor: DATE_FIELD` (the column it runs "
                "from) or `event: EVENT` (an event gardien records, e.g. account_deletion)"
            )
        if self.anchor is not None and self.event is not None:
            raise ValueError(
                "a retention binding runs from one clock: give `anchor` (a date column) or "
                "`event` (an event gardien records), not both"
            )
        return self


class Collection(StrictModel):
    """A table (or collection) of a datastore."""

    fields: dict[str, StoreField] = Field(min_length=1)
    erasure: ErasureStrategy | None = None
    legal_hold: RowHold | None = None
    retention: RetentionBinding | None = None
    #: Whether the collection holds data the person provided, exported by a
    #: portability request (GDPR Art. 20); derived data is not.
    portable: bool = True


class Datastore(StrictModel):
    """A database of the company's that holds personal data."""

    kind: str = Field(default="sql", pattern=r"^[a-z][a-z0-9_]*$")
    url: SecretOrLiteral
    fides_dataset: str | None = None
    collections: dict[str, Collection] = Field(default_factory=dict)


class Cookie(StrictModel):
    """A cookie or tracker set on the company's site or app."""

    purpose: str
    lifetime: DurationField
    essential: bool = False
    provider: str | None = None
    description: Text | None = None


class Rights(StrictModel):
    """How data subjects exercise their rights, and how fast they are answered."""

    response_deadline: DurationField = Field(default_factory=lambda: Duration.parse("1 month"))
    extension: DurationField = Field(default_factory=lambda: Duration.parse("2 months"))
    verification: VerificationMethod | tuple[VerificationMethod, ...] = (
        VerificationMethod.EMAIL_CODE
    )
    contact_email: Email | None = None
    contact_url: str | None = None
    postal_address: str | None = None
    #: Where and how people may come to exercise their rights in person.
    in_person: Text | None = None
    notify_recipients: bool = True
    post_mortem_directives: bool = True
    #: Further ways to send a request: other websites, forms, e-mail addresses,
    #: postal addresses, phone lines (``ContactChannel``).
    channels: tuple[ContactChannel, ...] = ()

    @property
    def verification_methods(self) -> tuple[VerificationMethod, ...]:
        """``verification`` as a tuple, whether one method or several were declared."""
        if isinstance(self.verification, tuple):
            return self.verification
        return (self.verification,)


def _not_personal(term: str) -> str:
    if "@" in term or sum(c.isdigit() for c in term) >= 5:
        raise ValueError(
            f"{term!r} looks like an e-mail address or a number: keep lists product, "
            "service and brand names; remove it"
        )
    return term


KeepTerm = Annotated[str, Field(min_length=2, max_length=100), AfterValidator(_not_personal)]


class RedactionSettings(StrictModel):
    """How free text is redacted for this company (``gardien.redact``)."""

    #: Words never redacted where they stand alone: the company's own product,
    #: service and brand names, which a model takes for a person or a place
    #: ("Colissimo", "Gift Card"). Only what the company declares here may be
    #: exempted when text goes to a recipient declared to receive anonymised
    #: or pseudonymised data.
    keep: tuple[KeepTerm, ...] = Field(default=(), max_length=1000)


class ChangeNotification(StrEnum):
    """How people learn of a substantial change of the notice."""

    PAGE = "page"
    EMAIL = "email"


#: The languages gardien writes notices in.
NoticeLanguage = Literal["fr", "en", "de"]


class HostingRegion(StrEnum):
    """Where the company declares that all its data is hosted."""

    EU = "eu"
    EEA = "eea"


class NoticeSettings(StrictModel):
    """Version and date the published notice carries, and statements it makes on the
    company's word (each one printed only when declared)."""

    version: str | None = None
    effective_date: dt.date | None = None
    url: str | None = None
    change_notification: ChangeNotification = ChangeNotification.PAGE
    #: True: every datum is collected from the person themselves (no purpose may
    #: then declare a third-party or public source); the notice says so.
    collected_directly: bool | None = None
    #: All data hosted in the EU (or the EEA): the notice says so, and no
    #: recipient may be outside it.
    hosting: HostingRegion | None = None
    #: The languages the notice is published in: every declared text is required in
    #: each of them (``validate``), and ``gardien notice --lang`` offers only these.
    languages: tuple[NoticeLanguage, ...] = ("fr", "en")

    @field_validator("languages")
    @classmethod
    def _distinct_languages(cls, languages: tuple[str, ...]) -> tuple[str, ...]:
        if not languages:
            raise ValueError("list at least one language the notice is published in, e.g. [en]")
        if len(set(languages)) != len(languages):
            raise ValueError("a language is listed twice: list each language once, e.g. [en, de]")
        return languages


def _duration(text: str) -> Any:
    return Field(default_factory=lambda: Duration.parse(text))


class OwnRecords(StrictModel):
    """How long gardien keeps the records it makes itself (``own_records:``).

    The defaults are the French civil limitation period (5 years, Code civil
    art. 2224) for what proves the company's compliance, and a week for the
    job queue's finished rows. Verification codes and access packages have no
    period: a code goes when it is used or expires, a package when it is
    downloaded or its link expires.
    """

    #: A consent event, counted from the moment the consent it records ended:
    #: withdrawn, expired, refused, or replaced by a later choice. The choice in
    #: force is never deleted, whatever its age.
    consent_proofs: DurationField = _duration("5 years")
    #: A closed request (completed, rejected, withdrawn, expired) with its
    #: timeline, from its closing; a post-mortem directive is kept while it may
    #: be needed, whatever its request's age.
    closed_requests: DurationField = _duration("5 years")
    #: An audit entry, from the moment it was written. Before old entries go,
    #: a checkpoint of the last one removed is signed, so the chain still verifies.
    audit_entries: DurationField = _duration("5 years")
    #: A finished background job (sent e-mail, executed request...), from its end:
    #: its payload may hold a recipient's address in clear.
    finished_jobs: DurationField = _duration("7 days")
    #: An event recorded for a person (an account deletion), from the moment every
    #: sweep that runs from it was done; its identities were dropped then already.
    recorded_events: DurationField = _duration("5 years")


# The cookie banner (``/privacy-center/consent.js``) ----------------------------------

_ORIGIN = re.compile(r"^(https://[a-z0-9.-]+|http://(localhost|127\.0\.0\.1))(:[0-9]{1,5})?$")
#: The CNIL's longest life for a tracker and for the consent to it (délibération 2020-091).
BANNER_MAX_REMEMBER = Duration.parse("13 months")


def _origin(value: str) -> str:
    if not _ORIGIN.match(value):
        raise ValueError(
            f"{value!r} is not a site origin: write scheme, host and port only, such as "
            "https://www.example.com (http:// only for localhost or 127.0.0.1), no path"
        )
    return value


Origin = Annotated[str, AfterValidator(_origin)]


class Banner(StrictModel):
    """The cookie banner a company adds to its site with one script tag."""

    #: The sites whose pages show the banner and may record choices (CORS); none: the
    #: origin of ``controller.website``.
    origins: tuple[Origin, ...] = ()
    #: How long a choice, refusal included, is remembered before the person is asked again.
    remember: DurationField = Field(default_factory=lambda: Duration.parse("6 months"))

    @field_validator("remember")
    @classmethod
    def _at_most_13_months(cls, remember: Duration) -> Duration:
        if remember.in_days() > BANNER_MAX_REMEMBER.in_days():
            raise ValueError(
                f"{remember} is too long: the CNIL allows a choice about cookies to be "
                "kept 13 months at most (6 months is its recommended default)"
            )
        return remember


class Declaration(StrictModel):
    """Everything a company declares about its processing of personal data."""

    controller: Controller
    notice: NoticeSettings = NoticeSettings()
    data_categories: dict[str, DataCategory] = Field(min_length=1)
    subjects: dict[str, DataSubject] = Field(min_length=1)
    purposes: dict[str, Purpose] = Field(min_length=1)
    recipients: dict[str, Recipient] = Field(default_factory=dict)
    retention: dict[str, RetentionRule] = Field(default_factory=dict)
    #: Events of the company's own that retention rules run from or until
    #: (``publication_withdrawn``), beside the built-in ones.
    retention_events: dict[str, CompanyEvent] = Field(default_factory=dict)
    legal_holds: dict[str, LegalHold] = Field(default_factory=dict)
    datastores: dict[str, Datastore] = Field(default_factory=dict)
    cookies: dict[str, Cookie] = Field(default_factory=dict)
    #: Art. 32 measures protecting all processing, shown in the notice and the
    #: register: short noun phrases (``chiffrement des données au repos``).
    security_measures: tuple[Text, ...] = ()
    rights: Rights = Rights()
    redaction: RedactionSettings = RedactionSettings()
    own_records: OwnRecords = OwnRecords()
    #: The company's colours in the privacy center; gardien's own when not declared.
    branding: Branding | None = None
    banner: Banner = Banner()
