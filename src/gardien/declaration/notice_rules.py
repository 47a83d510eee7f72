"""The rules that keep the notice truthful: it states only what is declared.

A notice is a statement the company publishes under its own name. These rules
(registered in ``rules.RULES`` like every other) report, each at its line:

- what a notice must state and the declaration is silent on (warnings: the
  notice then says nothing rather than assume an answer);
- statements that contradict each other (errors: a purpose using cookies with
  no cookie declared, a recipient outside the area where all data is declared
  hosted, a third-party source when all data is declared collected directly);
- declared texts that do not fit the sentence the notice puts them in
  (warnings: an archive reason is a clause after « pour » / "to", a consequence
  is a whole sentence, a company event's German label is a dative noun phrase after
  "nach" / "bis zu"), and names that look French in the English notice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gardien.declaration.legal_forms import english_legal_form
from gardien.declaration.models import (
    ConsentMechanism,
    DataSourceKind,
    HostingRegion,
    LegalBasis,
    Purpose,
)
from gardien.declaration.rules import RuleContext, rule
from gardien.declaration.source import PathKey
from gardien.declaration.taxonomy import transfer_rules
from gardien.declaration.values import Text
from gardien.errors import Problem

# EU member states: the EEA less Iceland, Liechtenstein and Norway.
_NOT_EU = frozenset({"IS", "LI", "NO"})

# What a purpose uses cookies or trackers by: a category of that name, or its
# consent wording.
_COOKIE_WORDS = re.compile(r"\b(cookies?|traceurs?|trackers?)\b", re.IGNORECASE)

# Words of French that an English sentence does not contain.
_FRENCH = re.compile(
    r"\b(et|des|du|les|aux|pour|avec|sur|données|prestataires?|autorités|réseaux|"
    r"hébergeurs?|sociaux|de\s+la|décision|contractuelles)\b",
    re.IGNORECASE,
)
# Words of a French legal form that _FRENCH does not know.
_FRENCH_LEGAL = re.compile(r"\b(société|capital|entreprise|coopérative|unipersonnelle)\b", re.I)
_INFINITIVE_FR = re.compile(r"^(\w+(er|ir|re|oir))\b", re.IGNORECASE)
# The words a German noun phrase in the dative opens with ("der Rücknahme", "dem Ende",
# "Ihrer Kündigung"): a company event follows "nach" or "bis zu" in the German notice.
_DATIVE_DE = frozenset(
    {"der", "dem", "den", "einer", "einem", "einen", "Ihrer", "Ihrem", "Ihren"}
    | {"unserer", "unserem", "unseren"}
)


def _uses_cookies(purpose: Purpose) -> PathKey | None:
    """Where a purpose shows that it uses cookies or trackers, else None."""
    for field_name in ("categories", "optional_categories"):
        for index, key in enumerate(getattr(purpose, field_name)):
            if any(part.startswith("cookie") for part in key.split(".")):
                return (field_name, index)
    consent = purpose.consent
    if consent is not None and consent.mechanism is not ConsentMechanism.OS_PERMISSION:
        for lang in ("fr", "en"):
            if _COOKIE_WORDS.search(consent.wording[lang]):
                return ("consent", "wording", lang)
        if consent.mechanism is ConsentMechanism.CONTINUED_BROWSING:
            return ("consent", "mechanism")
    return None


@rule(
    "notice-silent",
    "Art. 13(2)(e), Art. 14(2)(f), Art. 12(1)",
    "what a notice must state is declared, not assumed",
)
def _silent(ctx: RuleContext) -> Iterator[Problem]:
    declaration = ctx.loaded.declaration
    notice = declaration.notice
    if notice.effective_date is None:
        yield ctx.warning(
            ("notice",) if "notice" in declaration.model_fields_set else (),
            "notice.effective_date is not declared: the notice will state no date it "
            "takes effect (not the day it was generated); add notice.effective_date: YYYY-MM-DD",
            key=True,
        )
    for pid, purpose in declaration.purposes.items():
        from_person = not purpose.sources or any(
            s.kind is DataSourceKind.DATA_SUBJECT for s in purpose.sources
        )
        # Data given on consent is voluntary by law (Art. 7(4)): the notice says so.
        consent = purpose.legal_basis is LegalBasis.CONSENT
        if from_person and purpose.requirement is None and not consent:
            yield ctx.warning(
                ("purposes", pid),
                f'purpose "{pid}": the notice must say whether providing the data is required '
                "and what happens if it is not (Art. 13(2)(e)), and it will say nothing; add "
                "requirement: statutory, contractual, contract_prerequisite or voluntary",
                key=True,
            )
    if notice.collected_directly is None and not any(
        p.sources for p in declaration.purposes.values()
    ):
        yield ctx.warning(
            ("notice",) if "notice" in declaration.model_fields_set else (),
            "the declaration does not say where the data comes from: declare "
            "notice.collected_directly: true if all of it is collected from the people "
            "themselves, else sources on the purposes that obtain it elsewhere (Art. 14(2)(f))",
            key=True,
        )
    if "cookies" not in declaration.model_fields_set:
        yield ctx.warning(
            (),
            "cookies are not declared: the notice can say neither which cookies you set nor "
            "that you set none; declare them under cookies, or write `cookies: {}` if you "
            "set none",
        )


@rule(
    "notice-contradictions",
    "Art. 5(1)(a), Art. 12(1); art. 82 LIL",
    "the declaration does not contradict itself on cookies, hosting or sources",
)
def _contradictions(ctx: RuleContext) -> Iterator[Problem]:
    declaration = ctx.loaded.declaration
    notice = declaration.notice
    if not declaration.cookies:
        for pid, purpose in declaration.purposes.items():
            where = _uses_cookies(purpose)
            if where is not None:
                yield ctx.error(
                    ("purposes", pid, *where),
                    f'purpose "{pid}" uses cookies or trackers, but no cookie is declared: '
                    "the notice would say none is set; declare each cookie under cookies "
                    "(name, purpose, lifetime, provider)",
                )
    if notice.hosting is not None:
        area = transfer_rules().eea
        if notice.hosting is HostingRegion.EU:
            area = area - _NOT_EU
        region = "the EU" if notice.hosting is HostingRegion.EU else "the EEA"
        for rid, recipient in declaration.recipients.items():
            if recipient.country is not None and recipient.country not in area:
                yield ctx.error(
                    ("recipients", rid, "country"),
                    f'recipient "{rid}" is in {recipient.country}, but notice.hosting says all '
                    f"data is hosted in {region}: correct the recipient's country, or remove "
                    "notice.hosting and declare the transfer",
                )
    if notice.collected_directly:
        for pid, purpose in declaration.purposes.items():
            for index, source in enumerate(purpose.sources):
                if source.kind is not DataSourceKind.DATA_SUBJECT:
                    yield ctx.error(
                        ("purposes", pid, "sources", index),
                        f'purpose "{pid}" obtains data {source.kind.value.replace("_", " ")}'
                        " sources, but notice.collected_directly says all data is collected "
                        "from the people themselves: set it to false, or correct the source",
                    )


def _texts(ctx: RuleContext) -> Iterator[tuple[PathKey, str, Text]]:
    """Every declared archive reason, with its path and what it is."""
    for rid, retention in ctx.loaded.declaration.retention.items():
        if retention.archive is not None:
            yield (
                ("retention", rid, "archive", "reason"),
                f'retention rule "{rid}"',
                (retention.archive.reason),
            )


@rule(
    "notice-text-forms",
    "Art. 12(1)",
    "declared texts fit the sentence the notice puts them in, in both languages",
)
def _text_forms(ctx: RuleContext) -> Iterator[Problem]:
    declaration = ctx.loaded.declaration
    for path, what, text in _texts(ctx):
        fr, en = (text.fr or "").strip(), (text.en or "").strip()
        if fr and (not _INFINITIVE_FR.match(fr) or fr[0].isupper() or fr.endswith(".")):
            yield ctx.warning(
                (*path, "fr"),
                f"{what}: the archive reason follows « pour » in the notice, so write a "
                f"clause in lower case, starting with an infinitive and without a final "
                f"full stop (« conserver la preuve du contrat »), not {fr!r}",
            )
        first = en.split(maxsplit=1)[0] if en else ""
        if en and (
            first.lower() == "to" or first.endswith("ing") or en[:1].isupper() or en.endswith(".")
        ):
            yield ctx.warning(
                (*path, "en"),
                f'{what}: the archive reason follows "to" in the notice, so write a clause '
                "in lower case, starting with a verb and without a final full stop "
                f'("keep proof of the contract"), not {en!r}',
            )
    for pid, purpose in declaration.purposes.items():
        consequence = purpose.consequence_if_not_provided
        if consequence is None:
            continue
        for lang in consequence.languages:
            value = consequence[lang].strip()
            if not value[:1].isupper() or not value.endswith((".", "!")):
                yield ctx.warning(
                    ("purposes", pid, "consequence_if_not_provided", lang),
                    f'purpose "{pid}": consequence_if_not_provided is printed as a sentence '
                    "of its own: begin it with a capital letter and end it with a full stop "
                    f"({value!r})",
                )
    for eid, event in declaration.retention_events.items():
        german = (event.label.de or "").strip()
        if german and german.split(maxsplit=1)[0] not in _DATIVE_DE:
            yield ctx.warning(
                ("retention_events", eid, "label", "de"),
                f'retention event "{eid}": the German notice writes its label after "nach" '
                'or "bis zu" ("bis zur Rücknahme …", "3 Jahre nach dem Ende …"), so write a '
                "noun phrase in the dative opening with its article, in lower case "
                f'("der Rücknahme der Bewertung", "dem Ende der Mitgliedschaft"), not {german!r}',
            )
    legal_form = declaration.controller.legal_form
    if (
        isinstance(legal_form, str)
        and english_legal_form(legal_form) is None
        and (_FRENCH.search(legal_form) or _FRENCH_LEGAL.search(legal_form))
    ):
        yield ctx.warning(
            ("controller", "legal_form"),
            f"controller.legal_form {legal_form!r} looks French and is not a legal form gardien "
            "can describe in English (SAS, SARL, SA…, optionally with « au capital de N € »), "
            "so the English notice would print it as is; give both languages: "
            "legal_form: {fr: …, en: …}",
        )
    for rid, recipient in declaration.recipients.items():
        for field_name in ("name", "safeguard_reference"):
            value = getattr(recipient, field_name)
            if isinstance(value, str) and _FRENCH.search(value):
                yield ctx.warning(
                    ("recipients", rid, field_name),
                    f'recipient "{rid}": its {field_name} {value!r} looks French and would be '
                    "printed as is in the English notice; a description is written in both "
                    f"languages: {field_name}: {{fr: …, en: …}}",
                )
