"""GDPR and CNIL rules that a declaration must satisfy, checked all at once.

Each rule is a small function registered in ``RULES`` with a stable code, the
article it enforces and a one-line summary (the docs list them from here).
A rule yields problems located at the entry they are about; errors make
``gardien validate`` fail, warnings are shown and let it pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from gardien.declaration.loader import LoadedDeclaration
from gardien.declaration.models import (
    RECORDED_EVENTS,
    Art9Condition,
    ConsentMechanism,
    ErasureStrategy,
    LegalBasis,
    RetentionAction,
    RetentionEvent,
    TransferSafeguard,
)
from gardien.declaration.source import PathKey
from gardien.declaration.taxonomy import (
    ancestry,
    fides_taxonomy,
    special_category,
    suggestion,
    transfer_rules,
)
from gardien.declaration.values import Duration, DurationUnit
from gardien.errors import Problem

MAX_COOKIE_LIFETIME = Duration(13, DurationUnit.MONTHS)
MAX_RESPONSE_DEADLINE = Duration(1, DurationUnit.MONTHS)
MAX_EXTENSION = Duration(2, DurationUnit.MONTHS)

Check = Callable[["RuleContext"], Iterator[Problem]]


@dataclass(frozen=True)
class Rule:
    code: str
    reference: str
    summary: str
    check: Check


@dataclass(frozen=True)
class RuleContext:
    loaded: LoadedDeclaration

    def error(self, path: PathKey, message: str, *, key: bool = False) -> Problem:
        return self.loaded.positions.problem(path, message, key=key)

    def warning(self, path: PathKey, message: str, *, key: bool = False) -> Problem:
        return self.loaded.positions.problem(path, message, key=key, severity="warning")


RULES: list[Rule] = []


def rule(code: str, reference: str, summary: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        RULES.append(Rule(code, reference, summary, check))
        return check

    return register


def check_rules(loaded: LoadedDeclaration) -> list[Problem]:
    """Every problem every rule finds, in file order."""
    context = RuleContext(loaded)
    problems = [problem for r in RULES for problem in r.check(context)]
    return sorted(problems, key=lambda p: (p.line, p.column, p.message))


@rule("controller-identity", "Art. 13(1)(a)", "the controller is named and reachable")
def _controller(ctx: RuleContext) -> Iterator[Problem]:
    controller = ctx.loaded.declaration.controller
    if not controller.name.strip():
        yield ctx.error(
            ("controller", "name"),
            "controller.name is empty: the notice must name the controller (Art. 13(1)(a)); "
            "write the company's legal name",
        )
    if controller.dpo is None:
        yield ctx.warning(
            ("controller",),
            "controller: no dpo given; if a DPO is designated (Art. 37) the notice must give "
            "their contact (Art. 13(1)(b)); add controller.dpo",
            key=True,
        )
    eea = transfer_rules().eea
    if controller.country not in eea and controller.eu_representative is None:
        yield ctx.error(
            ("controller", "country"),
            f"controller.country is {controller.country}, outside the EEA: designate a "
            "representative in the EU (Art. 27) under controller.eu_representative",
        )


@rule("consent-mechanism", "Art. 4(11), Art. 7; CNIL 2020-091", "consent is an affirmative act")
def _consent_mechanism(ctx: RuleContext) -> Iterator[Problem]:
    for pid, purpose in ctx.loaded.declaration.purposes.items():
        if purpose.consent and purpose.consent.mechanism is ConsentMechanism.CONTINUED_BROWSING:
            yield ctx.error(
                ("purposes", pid, "consent", "mechanism"),
                f'purpose "{pid}": continuing to browse is not consent (Art. 4(11) GDPR, CJEU '
                "Planet49, CNIL guidelines 2020-091); ask for an explicit action "
                "(mechanism: explicit_action)",
            )


@rule("legal-basis", "Art. 6(1), Art. 13(1)(c)-(d)", "each purpose has one legal basis, justified")
def _legal_basis(ctx: RuleContext) -> Iterator[Problem]:
    for pid, purpose in ctx.loaded.declaration.purposes.items():
        where: PathKey = ("purposes", pid)
        if (
            purpose.legal_basis is LegalBasis.LEGITIMATE_INTEREST
            and purpose.legitimate_interest is None
        ):
            yield ctx.error(
                (*where, "legal_basis"),
                f'purpose "{pid}": legal basis is legitimate interest but the interest pursued '
                "is not named (Art. 13(1)(d)); add legitimate_interest: {fr: …, en: …}",
            )
        if purpose.legal_basis is LegalBasis.CONSENT and purpose.consent is None:
            yield ctx.error(
                (*where, "legal_basis"),
                f'purpose "{pid}": legal basis is consent but no consent wording is given; '
                "add consent: {wording: {fr: …, en: …}} with the exact text shown to people",
            )
        if purpose.legal_basis is not LegalBasis.CONSENT and purpose.consent is not None:
            yield ctx.warning(
                (*where, "consent"),
                f'purpose "{pid}": consent wording is given but the legal basis is '
                f"{purpose.legal_basis.value}; asking for a consent you do not rely on "
                "misleads people",
                key=True,
            )
        if purpose.legal_basis is LegalBasis.LEGAL_OBLIGATION and purpose.legal_reference is None:
            yield ctx.warning(
                (*where, "legal_basis"),
                f'purpose "{pid}": legal obligation without legal_reference; name the law '
                "(e.g. Code de commerce, art. L123-22) so the register can cite it",
            )


def _used_categories(ctx: RuleContext) -> Iterator[tuple[PathKey, str]]:
    declaration = ctx.loaded.declaration
    for pid, purpose in declaration.purposes.items():
        for field_name in ("categories", "optional_categories"):
            for index, key in enumerate(getattr(purpose, field_name)):
                yield ("purposes", pid, field_name, index), key
    for sid, store in declaration.datastores.items():
        for cname, collection in store.collections.items():
            for fname, field in collection.fields.items():
                for index, key in enumerate(field.categories):
                    yield (
                        (
                            "datastores",
                            sid,
                            "collections",
                            cname,
                            "fields",
                            fname,
                            "categories",
                            index,
                        ),
                        key,
                    )
    for hid, hold in declaration.legal_holds.items():
        for index, key in enumerate(hold.categories):
            yield ("legal_holds", hid, "categories", index), key


@rule("categories-declared", "Art. 30(1)(c)", "every category used is declared and known")
def _categories(ctx: RuleContext) -> Iterator[Problem]:
    declared = ctx.loaded.declaration.data_categories
    taxonomy = fides_taxonomy().data_categories
    for path, key in _used_categories(ctx):
        if key not in declared:
            yield ctx.error(
                path,
                f"category {key!r} is used but not declared under data_categories"
                f"{suggestion(key, declared)}",
            )
    for key, category in declared.items():
        where: PathKey = ("data_categories", key)
        if key in taxonomy:
            replaced_by = taxonomy[key].replaced_by
            if replaced_by:
                yield ctx.warning(
                    where,
                    f"category {key!r} is deprecated in the Fides taxonomy; use {replaced_by!r}",
                    key=True,
                )
            continue
        if category.parent is None:
            yield ctx.error(
                where,
                f"category {key!r} is not in the Fides taxonomy"
                f"{suggestion(key, taxonomy)}; to add your own key, give it a parent that is "
                "(parent: user.content)",
                key=True,
            )
        elif not any(a in taxonomy for a in ancestry(key, declared)[1:]):
            yield ctx.error(
                (*where, "parent"),
                f"category {key!r}: parent {category.parent!r} is neither in the Fides "
                f"taxonomy nor declared here{suggestion(category.parent, taxonomy)}",
            )
        elif category.label is None:
            yield ctx.warning(
                where,
                f"custom category {key!r} has no label: the notice will "
                "show a label derived from its key; add label: {fr: …, en: …}",
                key=True,
            )


@rule("references-declared", "Art. 30(1)", "subjects, recipients, retention rules and uses exist")
def _references(ctx: RuleContext) -> Iterator[Problem]:
    declaration = ctx.loaded.declaration
    subjects = declaration.subjects
    fides_subjects = fides_taxonomy().data_subjects
    for key, subject in subjects.items():
        if key not in fides_subjects and subject.label is None:
            yield ctx.error(
                ("subjects", key),
                f"subject {key!r} is not a Fides subject key"
                f"{suggestion(key, fides_subjects)}; a subject of your own needs a "
                "label: {fr: …, en: …}",
                key=True,
            )
    uses = fides_taxonomy().data_uses
    for pid, purpose in declaration.purposes.items():
        where: PathKey = ("purposes", pid)
        for index, key in enumerate(purpose.subjects):
            if key not in subjects:
                yield ctx.error(
                    (*where, "subjects", index),
                    f'purpose "{pid}": subject {key!r} '
                    f"is not declared under subjects{suggestion(key, subjects)}",
                )
        for index, key in enumerate(purpose.recipients):
            if key not in declaration.recipients:
                yield ctx.error(
                    (*where, "recipients", index),
                    f'purpose "{pid}": recipient '
                    f"{key!r} is not declared under recipients"
                    f"{suggestion(key, declaration.recipients)}",
                )
        if purpose.retention is not None and purpose.retention not in declaration.retention:
            yield ctx.error(
                (*where, "retention"),
                f'purpose "{pid}": retention rule '
                f"{purpose.retention!r} is not declared under retention"
                f"{suggestion(purpose.retention, declaration.retention)}"
                f"{_event_not_rule(purpose.retention)}",
            )
        if purpose.data_use is not None and purpose.data_use not in uses:
            yield ctx.error(
                (*where, "data_use"),
                f'purpose "{pid}": data_use '
                f"{purpose.data_use!r} is not in the Fides taxonomy"
                f"{suggestion(purpose.data_use, uses)}",
            )
    for name, cookie in declaration.cookies.items():
        if cookie.purpose not in declaration.purposes:
            yield ctx.error(
                ("cookies", name, "purpose"),
                f'cookie "{name}": purpose '
                f"{cookie.purpose!r} is not declared"
                f"{suggestion(cookie.purpose, declaration.purposes)}",
            )
    for hid, hold in declaration.legal_holds.items():
        for index, key in enumerate(hold.purposes):
            if key not in declaration.purposes:
                yield ctx.error(
                    ("legal_holds", hid, "purposes", index),
                    f'legal hold "{hid}": purpose {key!r} is not declared',
                )
    used = {r for p in declaration.purposes.values() for r in p.recipients}
    for rid in declaration.recipients:
        if rid not in used:
            yield ctx.warning(
                ("recipients", rid),
                f'recipient "{rid}" is not named by any '
                "purpose: list it under the purposes it serves",
                key=True,
            )


def _event_not_rule(name: str) -> str:
    """When a purpose's ``retention`` names an event instead of a rule: how to declare it."""
    if name not in {e.value for e in RetentionEvent}:
        return ""
    return (
        f"; {name} is an event, and a purpose names a rule: declare one under retention "
        f"(e.g. until_{name}: {{until: {name}}}) and write its name here"
    )


@rule("transfers", "Art. 44-49, Art. 13(1)(f)", "a recipient outside the EEA has a safeguard")
def _transfers(ctx: RuleContext) -> Iterator[Problem]:
    rules = transfer_rules()
    for rid, recipient in ctx.loaded.declaration.recipients.items():
        where: PathKey = ("recipients", rid)
        country = recipient.transfer_country
        if country is None or country in rules.eea:
            continue
        adequacy = rules.adequacy.get(country)
        if adequacy is None and recipient.safeguard is None:
            yield ctx.error(
                (*where, "country"),
                f'recipient "{rid}" is in {country}, outside the EEA and without an adequacy '
                "decision: declare its safeguard (standard_contractual_clauses, "
                "binding_corporate_rules, …) under safeguard",
            )
        elif adequacy is None and recipient.safeguard is TransferSafeguard.ADEQUACY_DECISION:
            yield ctx.error(
                (*where, "safeguard"),
                f'recipient "{rid}": {country} has no adequacy decision (list of '
                f"{rules.as_of}); use standard_contractual_clauses or another safeguard",
            )
        elif adequacy is not None and adequacy.scope and recipient.safeguard is None:
            # A partial decision covers only some organisations: the company must say
            # that this recipient is one of them, or rely on another safeguard.
            yield ctx.error(
                (*where, "country"),
                f'recipient "{rid}" is in {country}, outside the EEA: the adequacy decision '
                f"for {adequacy.name} covers {adequacy.scope}; declare safeguard: "
                "adequacy_decision if that applies, or standard_contractual_clauses",
            )


@rule("retention", "Art. 5(1)(e), Art. 13(2)(a)", "every purpose has a retention rule")
def _retention(ctx: RuleContext) -> Iterator[Problem]:
    declaration = ctx.loaded.declaration
    for pid, purpose in declaration.purposes.items():
        if purpose.retention is None and not purpose.retention_by_subject:
            yield ctx.error(
                ("purposes", pid),
                f'purpose "{pid}": no retention rule; add '
                "retention: RULE_ID naming a rule under retention (Art. 5(1)(e))",
                key=True,
            )
    used = {p.retention for p in declaration.purposes.values()}
    used |= {r for p in declaration.purposes.values() for r in p.retention_by_subject.values()}
    for rid in declaration.retention:
        if rid not in used:
            yield ctx.warning(
                ("retention", rid), f'retention rule "{rid}" is used by no purpose', key=True
            )


@rule(
    "cookies",
    "CNIL délibération 2020-091, art. 82 LIL",
    "a cookie lives at most 13 months; one not essential needs consent",
)
def _cookies(ctx: RuleContext) -> Iterator[Problem]:
    purposes = ctx.loaded.declaration.purposes
    for name, cookie in ctx.loaded.declaration.cookies.items():
        if cookie.lifetime.in_days() > MAX_COOKIE_LIFETIME.in_days():
            yield ctx.error(
                ("cookies", name, "lifetime"),
                f'cookie "{name}": lifetime '
                f"{cookie.lifetime} exceeds the CNIL maximum of 13 months",
            )
        purpose = purposes.get(cookie.purpose)
        if not cookie.essential and purpose and purpose.legal_basis is not LegalBasis.CONSENT:
            yield ctx.error(
                ("cookies", name, "purpose"),
                f'cookie "{name}" is not strictly necessary, so it needs consent (art. 82 loi '
                f'Informatique et Libertés), but purpose "{cookie.purpose}" rests on '
                f"{purpose.legal_basis.value}; mark it essential: true if the service cannot "
                "work without it, or attach it to a consent purpose",
            )
    cookie_purposes = {c.purpose for c in ctx.loaded.declaration.cookies.values()}
    for pid, purpose in ctx.loaded.declaration.purposes.items():
        consent = purpose.consent
        if pid not in cookie_purposes or consent is None or consent.lifetime is None:
            continue
        if consent.lifetime.in_days() > MAX_COOKIE_LIFETIME.in_days():
            yield ctx.warning(
                ("purposes", pid, "consent", "lifetime"),
                f'purpose "{pid}": a '
                f"consent kept {consent.lifetime} is older than the CNIL's 13 "
                "months; ask again sooner",
            )


@rule("special-categories", "Art. 9(2), Art. 10", "special categories need an Art. 9(2) condition")
def _special(ctx: RuleContext) -> Iterator[Problem]:
    declaration = ctx.loaded.declaration
    for pid, purpose in declaration.purposes.items():
        keys = [*purpose.categories, *purpose.optional_categories]
        special = sorted(
            {s.value for k in keys if (s := special_category(k, declaration.data_categories))}
        )
        if special and purpose.special_category_condition is None:
            yield ctx.error(
                ("purposes", pid, "categories"),
                f'purpose "{pid}" processes special categories ({", ".join(special)}): name '
                "the Art. 9(2) condition under special_category_condition",
            )
        condition = purpose.special_category_condition
        if (
            condition is Art9Condition.EXPLICIT_CONSENT
            and purpose.legal_basis is not LegalBasis.CONSENT
        ):
            yield ctx.error(
                ("purposes", pid, "special_category_condition"),
                f'purpose "{pid}": explicit consent (Art. 9(2)(a)) needs legal_basis: consent',
            )


@rule("automated-decisions", "Art. 22(2), Art. 26(2)", "automated decisions and joint controllers")
def _automated(ctx: RuleContext) -> Iterator[Problem]:
    declaration = ctx.loaded.declaration
    for pid, purpose in declaration.purposes.items():
        decision = purpose.automated_decision
        if decision is not None and decision.exception is None:
            yield ctx.error(
                ("purposes", pid, "automated_decision"),
                f'purpose "{pid}": a decision based solely on automated processing is allowed '
                "only under an Art. 22(2) exception; add exception: contract, "
                "authorised_by_law or explicit_consent",
            )
    for rid, recipient in declaration.recipients.items():
        if recipient.role.value == "joint_controller" and recipient.arrangement is None:
            yield ctx.warning(
                ("recipients", rid, "role"),
                f'recipient "{rid}" is a joint controller: the essence of the arrangement must '
                "be made available to people (Art. 26(2)); add arrangement: {fr: …, en: …}",
            )


@rule("objection", "Art. 21(2)-(3)", "direct marketing can always be objected to")
def _objection(ctx: RuleContext) -> Iterator[Problem]:
    for pid, purpose in ctx.loaded.declaration.purposes.items():
        if purpose.direct_marketing and purpose.objection is False:
            yield ctx.error(
                ("purposes", pid, "objection"),
                f'purpose "{pid}" is direct '
                "marketing: people may always object to it (Art. 21(2)); "
                "remove objection: false",
            )


@rule("deadlines", "Art. 12(3)", "answer within one month, extended by two at most")
def _deadlines(ctx: RuleContext) -> Iterator[Problem]:
    rights = ctx.loaded.declaration.rights
    if rights.response_deadline.in_days() > MAX_RESPONSE_DEADLINE.in_days():
        yield ctx.error(
            ("rights", "response_deadline"),
            "rights.response_deadline is "
            f"{rights.response_deadline}: Art. 12(3) allows one month at most",
        )
    if rights.extension.in_days() > MAX_EXTENSION.in_days():
        yield ctx.error(
            ("rights", "extension"),
            f"rights.extension is {rights.extension}: Art. 12(3) allows two further months at most",
        )
    if not (rights.contact_email or rights.contact_url or rights.postal_address):
        yield ctx.warning(
            ("rights",),
            "rights: no contact_email, contact_url or postal_address: "
            "the notice will send people to the controller's e-mail",
            key=True,
        )


@rule(
    "own-records",
    "Art. 5(1)(e), Art. 5(2)",
    "gardien's own records are kept for a period, and the audit trail outlives what it proves",
)
def _own_records(ctx: RuleContext) -> Iterator[Problem]:
    own = ctx.loaded.declaration.own_records
    periods = {
        "consent_proofs": own.consent_proofs,
        "closed_requests": own.closed_requests,
        "audit_entries": own.audit_entries,
    }
    for name, period in periods.items():
        if period.in_days() <= 0:
            yield ctx.error(
                ("own_records", name),
                f"own_records.{name} is {period}: these records prove the company's "
                "compliance; give the period they may be needed for (e.g. 5 years)",
            )
    for name in ("consent_proofs", "closed_requests"):
        if own.audit_entries.in_days() < periods[name].in_days():
            yield ctx.warning(
                ("own_records", "audit_entries"),
                f"own_records.audit_entries ({own.audit_entries}) is shorter than "
                f"own_records.{name} ({periods[name]}): the audit entries recording them "
                "would go first; keep audit entries at least as long",
            )


@rule(
    "datastore-erasure",
    "Art. 17(3)(b)",
    "a field kept on erasure needs its collection's legal hold, whose anchor is a declared field",
)
def _kept_fields(ctx: RuleContext) -> Iterator[Problem]:
    for sid, store in ctx.loaded.declaration.datastores.items():
        for cname, collection in store.collections.items():
            where: PathKey = ("datastores", sid, "collections", cname)
            hold = collection.legal_hold
            kept = [
                fname
                for fname, field in collection.fields.items()
                if field.erasure is ErasureStrategy.KEEP
            ]
            if collection.erasure is ErasureStrategy.KEEP:
                kept.append("(all its fields)")
            if kept and hold is None:
                yield ctx.error(
                    where,
                    f"datastores.{sid}: {cname} keeps {', '.join(kept)} when a person asks for "
                    "erasure: declare `legal_hold` on the collection with the reason (the "
                    "law that requires it), its duration and the date field it runs from",
                    key=True,
                )
            if hold is not None and hold.anchor not in collection.fields:
                yield ctx.error(
                    (*where, "legal_hold", "anchor"),
                    f"datastores.{sid}: {cname}'s legal hold runs from {hold.anchor!r}, "
                    f"which is not a declared field{suggestion(hold.anchor, collection.fields)}",
                )


@rule("datastore-references", "Art. 15-17", "references between collections point at fields")
def _datastores(ctx: RuleContext) -> Iterator[Problem]:
    for sid, store in ctx.loaded.declaration.datastores.items():
        identities = 0
        for cname, collection in store.collections.items():
            for fname, field in collection.fields.items():
                identities += field.identity is not None
                ref = field.references
                if ref is None:
                    continue
                where: PathKey = (
                    "datastores",
                    sid,
                    "collections",
                    cname,
                    "fields",
                    fname,
                    "references",
                )
                target = store.collections.get(ref.collection)
                if target is None:
                    yield ctx.error(
                        where,
                        f"datastores.{sid}: {cname}.{fname} references "
                        f"collection {ref.collection!r}, which is not declared"
                        f"{suggestion(ref.collection, store.collections)}",
                    )
                elif ref.field not in target.fields:
                    yield ctx.error(
                        where,
                        f"datastores.{sid}: {cname}.{fname} references "
                        f"{ref.collection}.{ref.field}, which is not a declared field"
                        f"{suggestion(ref.field, target.fields)}",
                    )
        if store.collections and identities == 0:
            yield ctx.warning(
                ("datastores", sid),
                f'datastore "{sid}" has no identity field: '
                "requests cannot find a person in it; mark one field identity: email",
                key=True,
            )


@rule(
    "datastore-retention",
    "Art. 5(1)(e)",
    "each collection holding personal data is bound to a retention rule, from a declared date "
    "or an event gardien records",
)
def _bound_retention(ctx: RuleContext) -> Iterator[Problem]:
    declaration = ctx.loaded.declaration
    for sid, store in declaration.datastores.items():
        bound = {c for c, collection in store.collections.items() if collection.retention}
        for cname in sorted(bound):
            yield from _binding_problems(ctx, sid, cname)
        personal = [
            cname
            for cname, collection in store.collections.items()
            if any(field.categories for field in collection.fields.values())
        ]
        if not bound:
            if personal:
                yield ctx.warning(
                    ("datastores", sid),
                    f"datastore {sid!r}: no collection is bound to a retention rule, so "
                    "nothing in it is deleted when its rules run out: give each collection "
                    "`retention: {rule: RULE_ID, anchor: DATE_FIELD}`",
                    key=True,
                )
            continue
        covered = covered_by_retention(declaration, sid)
        for cname in personal:
            if cname not in covered:
                yield ctx.warning(
                    ("datastores", sid, "collections", cname),
                    f"datastores.{sid}: {cname} holds personal data and no retention rule "
                    "covers it (neither bound to one nor pointing, by a reference followed "
                    "down, at a collection that is): bind it with `retention: {rule: RULE_ID, "
                    "anchor: DATE_FIELD}`",
                    key=True,
                )


def covered_by_retention(declaration: Any, datastore: str) -> set[str]:
    """The collections whose rows some rule governs: bound ones, and those whose rows
    follow a governed row's fate (a reference to it, followed down)."""
    collections = declaration.datastores[datastore].collections
    covered = {c for c, collection in collections.items() if collection.retention}
    for store_id, store in declaration.datastores.items():
        for collection in store.collections.values():
            archive = collection.retention.archive if collection.retention else None
            if archive is not None and (archive.datastore or store_id) == datastore:
                covered.add(archive.collection)  # its archive phase governs it
    grew = True
    while grew:
        grew = False
        for cname, collection in collections.items():
            if cname in covered:
                continue
            if any(
                field.references is not None
                and field.references.follow.down
                and field.references.collection in covered
                for field in collection.fields.values()
            ):
                covered.add(cname)
                grew = True
    return covered


def _event_problems(ctx: RuleContext, sid: str, cname: str) -> Iterator[Problem]:
    """A binding that runs from an event gardien records: one it can record, the event
    its rule runs from, a collection where a person's rows can be found, no archive."""
    declaration = ctx.loaded.declaration
    collection = declaration.datastores[sid].collections[cname]
    binding = collection.retention
    assert binding is not None and binding.event is not None
    where: PathKey = ("datastores", sid, "collections", cname, "retention")
    name = f"datastores.{sid}: {cname}"
    event = binding.event.value
    if binding.event not in RECORDED_EVENTS:
        recorded = ", ".join(sorted(e.value for e in RECORDED_EVENTS))
        yield ctx.error(
            (*where, "event"),
            f"{name}'s retention runs from event {event!r}, which gardien is not told about "
            f"(it can record: {recorded}): a {event} is a date the row holds, bind it with "
            "`anchor: DATE_FIELD`",
        )
    rule_ = declaration.retention.get(binding.rule)
    if rule_ is not None and binding.event not in (rule_.until, rule_.after):
        runs = f"until {rule_.until}" if rule_.until is not None else ""
        runs = runs or f"from {rule_.after}"
        yield ctx.error(
            (*where, "event"),
            f"{name}'s retention runs from event {event!r}, but rule {binding.rule!r} runs "
            f"{runs}: bind the event the rule names, or a rule that names {event!r}",
        )
    if rule_ is not None and rule_.archive is not None:
        yield ctx.error(
            (*where, "event"),
            f"{name}'s retention runs from event {event!r} and rule {binding.rule!r} "
            "archives: an archive phase is not carried out for an event-anchored binding "
            "yet (the archived rows carry no date to purge them by); bind a date column "
            "with `anchor:` instead",
        )
    if not any(field.identity for field in collection.fields.values()):
        yield ctx.error(
            (*where, "event"),
            f"{name}'s retention runs from event {event!r}, found by the person's "
            f"identities, but {cname} has no identity field: mark the field that names the "
            "person (`identity: email`, `identity: user_id`) or bind a date column with "
            "`anchor:`",
        )


def _binding_problems(ctx: RuleContext, sid: str, cname: str) -> Iterator[Problem]:
    declaration = ctx.loaded.declaration
    store = declaration.datastores[sid]
    collection = store.collections[cname]
    binding = collection.retention
    assert binding is not None
    where: PathKey = ("datastores", sid, "collections", cname, "retention")
    name = f"datastores.{sid}: {cname}"
    rule_ = declaration.retention.get(binding.rule)
    if rule_ is None:
        yield ctx.error(
            (*where, "rule"),
            f"{name} follows retention rule {binding.rule!r}, which is not declared under "
            f"retention{suggestion(binding.rule, declaration.retention)}",
        )
    if binding.event is not None:
        yield from _event_problems(ctx, sid, cname)
    elif binding.anchor is not None and binding.anchor not in collection.fields:
        yield ctx.error(
            (*where, "anchor"),
            f"{name}'s retention runs from {binding.anchor!r}, which is not a declared field"
            f"{suggestion(binding.anchor, collection.fields)}: name the date column it runs "
            "from (e.g. created_at, last_contact_at, closed_at)",
        )
    for index, fname in enumerate(binding.fields):
        declared = collection.fields.get(fname)
        if declared is None:
            yield ctx.error(
                (*where, "fields", index),
                f"{name}'s retention names field {fname!r}, which is not declared"
                f"{suggestion(fname, collection.fields)}",
            )
        elif declared.primary_key or declared.references is not None:
            yield ctx.error(
                (*where, "fields", index),
                f"{name}'s retention would clear {fname!r}, a key or a reference: it "
                "identifies the row, it is not personal data to clear; remove it",
            )
    targets = binding.fields or tuple(
        f for f, d in collection.fields.items() if not d.primary_key and d.references is None
    )
    anonymises = bool(binding.fields) or (
        rule_ is not None and rule_.then is RetentionAction.ANONYMISE
    )
    if (
        anonymises
        and targets
        and all(
            collection.fields[f].erasure is ErasureStrategy.REDACT
            for f in targets
            if f in collection.fields
        )
    ):
        yield ctx.error(
            where,
            f"{name}'s retention only redacts free text, so a row it already anonymised "
            "cannot be told from one it has not: name at least one field it clears "
            "(a name, an e-mail, an IP address) among its fields",
        )
    if rule_ is None:
        return
    if rule_.archive is not None and binding.archive is None and not binding.fields:
        yield ctx.error(
            where,
            f"{name} follows {binding.rule!r}, which archives before it deletes: say where "
            "its rows are archived, `archive: {collection: TABLE}` (a table with restricted "
            "access, with the same declared columns; `datastore:` for another database)",
            key=True,
        )
    if binding.archive is not None:
        if rule_.archive is None or binding.fields:
            yield ctx.error(
                (*where, "archive"),
                f"{name} names an archive, but {binding.rule!r} has no archive phase"
                if rule_.archive is None
                else f"{name} clears fields: its rows stay in place, nothing is archived",
            )
        target_store = binding.archive.datastore or sid
        if target_store not in declaration.datastores:
            yield ctx.error(
                (*where, "archive", "datastore"),
                f"{name} archives to datastore {target_store!r}, which is not declared"
                f"{suggestion(target_store, declaration.datastores)}",
            )


@rule(
    "branding-contrast",
    "WCAG 2.1 SC 1.4.3 (AA)",
    "the privacy center's text colour on its primary colour is readable",
)
def _branding_contrast(ctx: RuleContext) -> Iterator[Problem]:
    from gardien.declaration.branding import AA_TEXT_CONTRAST, contrast_ratio

    branding = ctx.loaded.declaration.branding
    if branding is None:
        return
    ratio = contrast_ratio(branding.primary_colour, branding.text_colour)
    if ratio < AA_TEXT_CONTRAST:
        readable = [
            (colour, contrast_ratio(branding.primary_colour, colour))
            for colour in ("#ffffff", "#000000")
            if contrast_ratio(branding.primary_colour, colour) >= AA_TEXT_CONTRAST
        ]
        fix = (
            f"choose text_colour {readable[0][0]} ({readable[0][1]:.2f}:1 on it), or a "
            "darker or lighter primary_colour"
            if readable
            else "choose a darker or lighter primary_colour"
        )
        yield ctx.error(
            ("branding", "primary_colour"),
            f"branding: text_colour {branding.text_colour} on primary_colour "
            f"{branding.primary_colour} has a contrast of {ratio:.2f}:1, below the "
            f"{AA_TEXT_CONTRAST}:1 WCAG 2.1 AA asks for text (SC 1.4.3); {fix}",
        )
