"""The rules of the shapes real policies need: operations on their own legal basis,
retention events of the company's own, data kept without limit, retention per kind of
person, recipients by region or the public, and how identity is checked.

Registered in ``rules.RULES`` like every other rule (``declaration/__init__`` imports
this module), each problem at its own line with what to write instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from gardien.declaration.models import HostingRegion, LegalBasis, RetentionEvent
from gardien.declaration.rules import RuleContext, rule
from gardien.declaration.source import PathKey
from gardien.declaration.taxonomy import suggestion
from gardien.errors import Problem

_OBJECTABLE = (LegalBasis.LEGITIMATE_INTEREST, LegalBasis.PUBLIC_TASK)


@rule(
    "operations",
    "Art. 6(1), Art. 13(1)(c)-(d), Art. 21(1)",
    "each operation of a purpose names its legal basis, justified, and fits the purpose",
)
def _operations(ctx: RuleContext) -> Iterator[Problem]:
    for pid, purpose in ctx.loaded.declaration.purposes.items():
        if not purpose.operations:
            continue
        where: PathKey = ("purposes", pid)
        bases = {o.legal_basis for o in purpose.operations}
        if purpose.legal_basis not in bases:
            yield ctx.error(
                (*where, "legal_basis"),
                f'purpose "{pid}": its legal_basis ({purpose.legal_basis.value}) is the basis '
                "of none of its operations; set it to the basis of its main operation "
                f"({', '.join(sorted(b.value for b in bases))})",
            )
        for index, operation in enumerate(purpose.operations):
            at: PathKey = (*where, "operations", index)
            name = f'purpose "{pid}", operation {index + 1}'
            basis = operation.legal_basis
            if basis is LegalBasis.LEGITIMATE_INTEREST and operation.legitimate_interest is None:
                yield ctx.error(
                    (*at, "legal_basis"),
                    f"{name}: legal basis is legitimate interest but the interest pursued is "
                    "not named (Art. 13(1)(d)); add legitimate_interest: {fr: …, en: …} to "
                    "the operation",
                )
            if basis is not LegalBasis.LEGITIMATE_INTEREST and operation.legitimate_interest:
                yield ctx.error(
                    (*at, "legitimate_interest"),
                    f"{name}: a legitimate interest is named but the legal basis is "
                    f"{basis.value}; remove legitimate_interest or set legal_basis: "
                    "legitimate_interest",
                )
            if basis is LegalBasis.CONSENT and purpose.legal_basis is not LegalBasis.CONSENT:
                yield ctx.error(
                    (*at, "legal_basis"),
                    f"{name} rests on consent, but consent is asked and checked per purpose "
                    f'and "{pid}" rests on {purpose.legal_basis.value}: declare this operation '
                    "as a purpose of its own with its consent wording",
                )
            if basis is LegalBasis.LEGAL_OBLIGATION and operation.legal_reference is None:
                yield ctx.warning(
                    (*at, "legal_basis"),
                    f"{name}: legal obligation without legal_reference; name the law "
                    "(e.g. Code général des impôts, art. 286) so the notice and the register "
                    "can cite it",
                )
            allowed = {*purpose.categories, *purpose.optional_categories}
            for cindex, category in enumerate(operation.categories):
                if category not in allowed:
                    yield ctx.error(
                        (*at, "categories", cindex),
                        f"{name}: category {category!r} is not among the purpose's categories"
                        f"{suggestion(category, allowed)}; add it to the purpose's categories "
                        "or remove it from the operation",
                    )
        if purpose.objection is False and any(
            o.legal_basis in _OBJECTABLE for o in purpose.operations
        ):
            yield ctx.error(
                (*where, "objection"),
                f'purpose "{pid}": objection is false, but an operation rests on legitimate '
                "interest or a public task, which Art. 21(1) lets people object to; remove "
                "objection: false",
            )


@rule(
    "retention-shapes",
    "Art. 5(1)(e), Art. 13(2)(a)",
    "retention events are built in or declared; data kept without limit is justified",
)
def _retention_shapes(ctx: RuleContext) -> Iterator[Problem]:
    declaration = ctx.loaded.declaration
    declared = declaration.retention_events
    known = [*(e.value for e in RetentionEvent), *declared]
    used: set[str] = set()
    for rid, retention in declaration.retention.items():
        for field in ("after", "until"):
            event = getattr(retention, field)
            if event is None or isinstance(event, RetentionEvent):
                continue
            used.add(event)
            if event not in declared:
                yield ctx.error(
                    ("retention", rid, field),
                    f"retention rule {rid!r}: {event!r} is neither a built-in event nor one "
                    f"declared under retention_events{suggestion(event, known)}; declare it: "
                    "retention_events: {" + event + ": {label: {fr: …, en: …}}}",
                )
        if retention.indefinitely is not None:
            yield ctx.warning(
                ("retention", rid, "indefinitely"),
                f"retention rule {rid!r} keeps data without any time limit: Art. 5(1)(e) "
                "allows this only where the purpose truly needs it (archiving in the public "
                "interest, content the person chose to publish…); the notice prints your "
                "reason as written: make sure it holds, or give a duration",
            )
    for key in declared:
        if key in {e.value for e in RetentionEvent}:
            yield ctx.error(
                ("retention_events", key),
                f"retention event {key!r} is built in already: remove it from retention_events",
                key=True,
            )
        elif key not in used:
            yield ctx.warning(
                ("retention_events", key),
                f"retention event {key!r} is used by no retention rule: name it in a rule's "
                "`after` or `until`, or remove it",
                key=True,
            )
    for pid, purpose in declaration.purposes.items():
        for subject, rule_key in purpose.retention_by_subject.items():
            at: PathKey = ("purposes", pid, "retention_by_subject", subject)
            if subject not in purpose.subjects:
                yield ctx.error(
                    at,
                    f'purpose "{pid}": retention_by_subject names {subject!r}, which is not '
                    f"among the purpose's subjects{suggestion(subject, purpose.subjects)}",
                    key=True,
                )
            if rule_key not in declaration.retention:
                yield ctx.error(
                    at,
                    f'purpose "{pid}": retention rule {rule_key!r} for {subject!r} is not '
                    f"declared under retention{suggestion(rule_key, declaration.retention)}",
                )
        named = set(purpose.retention_by_subject)
        if named and purpose.retention is None:
            missing = [s for s in purpose.subjects if s not in named]
            if missing:
                yield ctx.error(
                    ("purposes", pid, "retention_by_subject"),
                    f'purpose "{pid}": no retention rule for {", ".join(missing)}; add them '
                    "to retention_by_subject, or give `retention:` for the subjects not named",
                )


@rule(
    "retention-whichever-first",
    "Art. 5(1)(e)",
    "a binding's until_anchor goes with a rule that has both until and duration",
)
def _whichever_first(ctx: RuleContext) -> Iterator[Problem]:
    declaration = ctx.loaded.declaration
    for sid, store in declaration.datastores.items():
        for cname, collection in store.collections.items():
            binding = collection.retention
            if binding is None or binding.until_anchor is None:
                continue
            at: PathKey = ("datastores", sid, "collections", cname, "retention", "until_anchor")
            name = f"datastores.{sid}: {cname}"
            rule_ = declaration.retention.get(binding.rule)
            if binding.until_anchor not in collection.fields:
                yield ctx.error(
                    at,
                    f"{name}'s until_anchor {binding.until_anchor!r} is not a declared field"
                    f"{suggestion(binding.until_anchor, collection.fields)}: name the date "
                    "column recording when the rule's `until` event happened",
                )
            if binding.event is not None:
                yield ctx.error(
                    at,
                    f"{name}: until_anchor goes with `anchor:` (a date column), not with "
                    "`event:`; remove until_anchor",
                )
            if rule_ is not None and (rule_.until is None or rule_.duration is None):
                yield ctx.error(
                    at,
                    f"{name}: until_anchor is for a rule with both `until` and `duration` "
                    f"(whichever comes first), and {binding.rule!r} has not both; remove "
                    "until_anchor, or bind the event's column as `anchor` to a rule with "
                    "`until` only",
                )


@rule(
    "recipient-shapes",
    "Art. 13(1)(e), Art. 30(1)(d)",
    "the data a recipient receives is declared and used by its purposes",
)
def _recipient_shapes(ctx: RuleContext) -> Iterator[Problem]:
    declaration = ctx.loaded.declaration
    for rid, recipient in declaration.recipients.items():
        served = {
            c
            for p in declaration.purposes.values()
            if rid in p.recipients
            for c in (*p.categories, *p.optional_categories)
        }
        for index, category in enumerate(recipient.categories):
            at: PathKey = ("recipients", rid, "categories", index)
            if category not in declaration.data_categories:
                yield ctx.error(
                    at,
                    f'recipient "{rid}": category {category!r} is not declared under '
                    f"data_categories{suggestion(category, declaration.data_categories)}",
                )
            elif served and category not in served:
                yield ctx.warning(
                    at,
                    f'recipient "{rid}" receives {category!r}, which none of the purposes '
                    "naming it processes: add the category to those purposes, or remove it "
                    "here",
                )
        if declaration.notice.hosting is HostingRegion.EU and recipient.region is HostingRegion.EEA:
            yield ctx.warning(
                ("recipients", rid, "region"),
                f'recipient "{rid}" is declared in the EEA, but notice.hosting says all data '
                "is hosted in the EU (Iceland, Liechtenstein and Norway are not): write "
                "region: eu if that is so",
            )


@rule(
    "verification-declared",
    "Art. 12(2), Art. 12(6)",
    "how identity is checked is declared, not assumed",
)
def _verification(ctx: RuleContext) -> Iterator[Problem]:
    rights = ctx.loaded.declaration.rights
    if "verification" not in rights.model_fields_set:
        yield ctx.warning(
            ("rights",) if "rights" in ctx.loaded.declaration.model_fields_set else (),
            "rights.verification is not declared: the notice will not say how you check the "
            "identity of a person making a request; declare it, e.g. `verification: on_doubt` "
            "(proof asked only on reasonable doubt, Art. 12(6)), account_login, email_code, "
            "id_document, known_details or email_address_on_file",
            key=True,
        )
