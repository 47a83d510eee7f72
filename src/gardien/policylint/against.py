# ruff: noqa: E501  (regular expressions read best on one line each)
"""Contradictions between a policy text and the company's declaration (``--against``).

They are reported in the report's ``defects`` list, with their own kinds
(``report.CONTRADICTION_KINDS``), so the JSON keeps one list of problems
located in the text. A contradiction that has no place in the text (a
declared recipient the text never names) points at the passage where it
should be (the recipients sentences, or else the start of the text).
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import TYPE_CHECKING

from gardien.declaration.models import Declaration, LegalBasis
from gardien.declaration.transparency import TransparencyItem
from gardien.declaration.values import Duration, Text, in_lang
from gardien.policylint.controller import NOT_NAMES
from gardien.policylint.detect import gives_period, is_retention_sentence, matching_sentences
from gardien.policylint.durations import find_periods, same_length
from gardien.policylint.items import ITEM_SPECS_BY_KEY
from gardien.policylint.negation import negated_at, negated_where
from gardien.policylint.report import Defect, ItemResult
from gardien.policylint.segment import Document, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Span

#: EEA member states: a recipient elsewhere means a transfer (Chapter V GDPR).
EEA = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO".split()  # noqa: SIM905
)
#: How a text names each legal basis.
BASIS_WORDS: dict[LegalBasis, str] = {
    LegalBasis.CONSENT: r"\bconsent|\bconsentement",
    LegalBasis.CONTRACT: r"\bcontra(ct|t)\b|\bagreement\b",
    LegalBasis.LEGAL_OBLIGATION: r"\blegal obligation|\bobligations? légales?",
    LegalBasis.LEGITIMATE_INTEREST: r"\blegitimate interest|\bintérêts? légitimes?",
    LegalBasis.VITAL_INTEREST: r"\bvital interest|\bintérêts? vita",
    LegalBasis.PUBLIC_TASK: r"\bpublic (interest|authority)|\bmission d'intérêt public|\bautorité publique",
}
#: Consent given in other words: "you explicitly authorise…", « vous autorisez ».
AUTHORISE = r"\byou (explicitly |expressly )?authori[sz]e\b|\bvous (nous )?autorisez\b"
#: The text says no data leaves the EU.
NO_TRANSFER = {
    "en": r"\b(no|none of|never|not)\b.{0,60}\btransfer\w*\b.{0,60}\b(outside|third countr)|\b(exclusively|only|solely) (hosted|stored|processed) (in|within) (the )?(eu|european union|eea|europe)\b|\ball\b.{0,120}\b(hosted|stored|located)\b.{0,40}\b(in|within) (the )?(eu|european union|eea|europe)\b",
    "fr": r"\b(aucune?|jamais|pas)\b.{0,60}\btransf[ée]r\w*\b.{0,60}\b(hors|en dehors|pays tiers)|\b(exclusivement|uniquement) (hébergées|stockées|traitées) (en|dans l'|au sein de l') ?(union européenne|europe|ue)\b",
}
#: Safeguards a text can name, by the declaration's value.
SAFEGUARD_WORDS = {
    "standard_contractual_clauses": r"\bstandard contractual clauses|\bclauses contractuelles types",
    "adequacy_decision": r"\badequacy decision|\bdécision d'adéquation",
    "binding_corporate_rules": r"\bbinding corporate rules|\brègles d'entreprise contraignantes",
}
#: A sentence about answering data-subject requests, and one about extending that time.
DEADLINE_CUE = r"\b(respon\w*|repl\w*|answer\w*|répond\w*|réponse)\b"
EXTENSION_CUE = r"\b(extend\w*|exceed\w*|prolong\w*|additional|further|supplémentaires?)\b"
#: Words of a purpose's name too common to tell whether the text mentions it.
COMMON_WORDS = frozenset(
    "service services data management processing providing sending données gestion traitement fourniture envoi".split()  # noqa: SIM905
)
#: A transfer the text only envisages ("in the event that…", "may include…"):
#: no contradiction with a declaration that has none.
HYPOTHETICAL = {
    "en": r"\b(in the event (that|of)|if|should|in case|may)\b",
    "fr": r"\b(en cas de|si|dans l'hypothèse|le cas échéant|peut|pourrait)\b",
}
#: Words of an address, a currency or a country, which a tagger takes for names.
NOT_RECIPIENTS = frozenset(
    "rue avenue boulevard place cedex euro euros eur dollar dollars regulation regulations law laws act gdpr rgpd article".split()  # noqa: SIM905
)
#: Where a sentence speaks of data leaving the EU: negated there, it says none does.
TRANSFER_CUE = {
    "en": r"\btransfer\w*|\b(outside|beyond|out of) (of )?(the )?(european union|eu|eea|european economic area|europe)\b|\bthird countr",
    "fr": r"\btransf[ée]r\w*|\b(hors|en dehors) (de l'|du |de la |de l')?(union européenne|ue|eee|espace économique européen|europe)\b|\bpays tiers",
}
MARKETING_CUE = r"\b(newsletters?|marketing|prospecting|prospection|lettres? d'information)\b"


def _at(sentences: list[Sentence], doc: Document) -> tuple[int, int]:
    """Where a contradiction without its own place is shown: a sentence, or the first line."""
    if sentences:
        return sentences[0].start, sentences[0].end
    return doc.lines[0].start, doc.lines[0].end


def _distinctive(name: str) -> list[str]:
    return [
        w
        for w in re.findall(r"[\w'-]+", name.lower())
        if len(w) >= 3
        and w not in NOT_NAMES
        and w not in {"sas", "sarl", "gmbh", "inc", "ltd", "llc", "limited"}
    ]


def retention_mismatches(doc: Document, declaration: Declaration) -> list[Defect]:
    declared: list[Duration] = [c.lifetime for c in declaration.cookies.values()]
    for rule in declaration.retention.values():
        declared += [
            d for d in (rule.duration, rule.archive.duration if rule.archive else None) if d
        ]
    listed = ", ".join(sorted({str(d) for d in declared})) or "none"
    defects = []
    for sentence in doc.sentences:
        if not (is_retention_sentence(sentence, doc.lang) and gives_period(sentence, doc.lang)):
            continue
        for period in find_periods(sentence.text):
            if not any(same_length(period.duration, d) for d in declared):
                message = f"the text keeps data for {period.duration}; the declaration declares no such period (declared: {listed})"
                start = sentence.start + period.start
                defects.append(
                    Defect("retention_mismatch", message, start, sentence.start + period.end)
                )
    return defects


def _every_name(name: Text | str) -> str:
    """A recipient's name in every language it is declared in, for matching words."""
    return name if isinstance(name, str) else " ".join(name[lang] for lang in name.languages)


def _in_heading(span: Span, index: int) -> bool:
    """Whether the word at ``index`` is part of a heading written in capitals
    ("6- RECIPIENTS OR CATEGORIES OF RECIPIENTS"): it and a neighbour are all capitals."""
    word = span[index].text
    if not (word.isupper() and len(word) > 3):
        return False
    neighbours = [span[i].text for i in (index - 1, index + 1) if 0 <= i < len(span)]
    return any(n.isupper() and len(n) > 1 for n in neighbours)


def _own_names(declaration: Declaration) -> set[str]:
    """Capitalised words the declaration itself uses for its purposes and people: its
    product and brand names ("AMIKEO apps"), which are not recipients."""
    texts = [p.name for p in declaration.purposes.values()]
    texts += [p.description for p in declaration.purposes.values()]
    texts += [s.label for s in declaration.subjects.values() if s.label is not None]
    return {
        w.lower()
        for text in texts
        for value in (text[lang] for lang in text.languages)
        for w in re.findall(r"[\w'-]+", value)
        if w[:1].isupper()
    }


def _place_words(declaration: Declaration) -> set[str]:
    """Words of the declared addresses and of country names: places, not recipients."""
    addresses = [declaration.controller.address, declaration.rights.postal_address or ""]
    words = {w for a in addresses for w in re.findall(r"[\w'-]+", a.lower())}
    for names in _country_names():
        words.update(w for name in names for w in re.findall(r"[\w'-]+", name.lower()))
    return words


def _country_names() -> list[list[str]]:
    text = resources.files("gardien.notice").joinpath("data", "countries.json").read_text("utf-8")
    names: dict[str, list[str]] = json.loads(text)
    return list(names.values())


def recipient_mismatches(doc: Document, declaration: Declaration) -> list[Defect]:
    sentences = matching_sentences(ITEM_SPECS_BY_KEY[TransparencyItem.RECIPIENTS], doc)
    # "Open.AI" names OpenAI: dots inside a word are dropped for the comparison.
    text = re.sub(r"(?<=\w)\.(?=\w)", "", doc.text.lower())
    declared_words = {
        key: _distinctive(_every_name(r.name)) for key, r in declaration.recipients.items()
    }
    defects = []
    start, end = _at(sentences, doc)
    for key, words in declared_words.items():
        if words and not any(re.search(rf"\b{re.escape(w)}\b", text) for w in words):
            name = in_lang(declaration.recipients[key].name, doc.lang)
            defects.append(
                Defect(
                    "recipient_not_named",
                    f"the declaration lists recipient {name!r}, which the text never names",
                    start,
                    end,
                )
            )
    known = (
        {w for words in declared_words.values() for w in words}
        | set(_distinctive(declaration.controller.name))
        | {w.lower() for term in declaration.redaction.keep for w in term.split()}
        | _own_names(declaration)
        | _place_words(declaration)
        | NOT_RECIPIENTS
    )
    for sentence in sentences:
        for token in sentence.span:
            word = token.text.lower()
            begin = sentence.start + token.idx - sentence.span.start_char
            # "Open.AI" is one name, OpenAI: the token with what follows it, dots dropped.
            joined = re.sub(r"\W", "", doc.text[begin:].split(maxsplit=1)[0]).lower()
            if (
                token.pos_ == "PROPN"
                and token.text[:1].isupper()
                and word not in NOT_NAMES
                and len(word) >= 3
                and word not in known
                and joined not in known
                and not _in_heading(sentence.span, token.i - sentence.span.start)
                # "We never share your data with Facebook": not a recipient.
                and not negated_at(
                    sentence.span.text, token.idx - sentence.span.start_char, doc.lang
                )
            ):
                message = (
                    f"the text names recipient {token.text!r}, which the declaration does not list"
                )
                defects.append(
                    Defect("recipient_not_declared", message, begin, begin + len(token.text))
                )
    return defects


def purpose_mismatches(doc: Document, declaration: Declaration) -> list[Defect]:
    text = doc.text.lower()
    sentences = matching_sentences(ITEM_SPECS_BY_KEY[TransparencyItem.PURPOSES], doc)
    start, end = _at(sentences, doc)
    defects = []
    for key, purpose in declaration.purposes.items():
        words = [w for w in _distinctive(purpose.name[doc.lang]) if w not in COMMON_WORDS]
        if words and not any(w[:6] in text for w in words):
            message = f"the declaration's purpose {key!r} ({purpose.name[doc.lang]}) is not described in the text"
            defects.append(Defect("purpose_mismatch", message, start, end))
    if not any(p.direct_marketing for p in declaration.purposes.values()):
        for sentence in sentences:
            # "We never use your data for marketing" says there is none.
            if re.search(MARKETING_CUE, sentence.low) and not negated_where(
                sentence.text, MARKETING_CUE, doc.lang
            ):
                message = (
                    "the text describes marketing, but no declared purpose is direct marketing"
                )
                defects.append(Defect("purpose_mismatch", message, sentence.start, sentence.end))
    return defects


def legal_basis_mismatches(
    doc: Document, items: dict[TransparencyItem, ItemResult], declaration: Declaration
) -> list[Defect]:
    sentences = matching_sentences(
        ITEM_SPECS_BY_KEY[TransparencyItem.LEGAL_BASIS], doc
    ) + matching_sentences(ITEM_SPECS_BY_KEY[TransparencyItem.LEGITIMATE_INTERESTS], doc)
    declared = {p.legal_basis for p in declaration.purposes.values()}
    defects = []
    stated: set[LegalBasis] = set()
    for sentence in _with_their_lists(sentences, doc):
        for basis, words in BASIS_WORDS.items():
            # "We do not rely on your consent" does not give consent as a basis.
            if re.search(words, sentence.low) and not negated_where(sentence.text, words, doc.lang):
                stated.add(basis)
                if basis not in declared:
                    message = f"the text gives {basis.value} as a legal basis; no declared purpose uses it"
                    defects.append(
                        Defect("legal_basis_mismatch", message, sentence.start, sentence.end)
                    )
    # "Never gives" is said only of a basis the text names nowhere: a text that lists
    # its bases in a section the checklist does not recognise, or says "you explicitly
    # authorise", still gives them.
    whole = doc.text.lower()
    stated |= {
        b
        for b, words in BASIS_WORDS.items()
        if any(
            re.search(words, s.low) and not negated_where(s.text, words, doc.lang)
            for s in doc.sentences
        )
    }
    if re.search(AUTHORISE, whole):
        stated.add(LegalBasis.CONSENT)
    start, end = _at(sentences, doc)
    for basis in sorted(declared - stated):
        message = (
            f"declared purposes rely on {basis.value}, which the text never gives as a legal basis"
        )
        defects.append(Defect("legal_basis_mismatch", message, start, end))
    return defects


_LIST_ITEM = re.compile(
    r"^\s*(\(?[ivx\d]{1,4}\)|[ivx\d]{1,4}[.)-]|[-•*–]|[a-h]\))\s", re.IGNORECASE
)


def _with_their_lists(sentences: list[Sentence], doc: Document) -> list[Sentence]:
    """The sentences, each followed by the list items it introduces ("as follows:" then
    "(i) …; (ii) …"): the items are where a list of legal bases actually names them."""
    chosen = {s.start for s in sentences}
    result = list(sentences)
    ordered = doc.sentences
    for index, sentence in enumerate(ordered):
        if sentence.start not in chosen or not sentence.text.rstrip().endswith(":"):
            continue
        for follower in ordered[index + 1 : index + 12]:
            if not _LIST_ITEM.match(follower.text) or follower.start in chosen:
                break
            result.append(follower)
    return result


def transfer_mismatches(
    doc: Document, items: dict[TransparencyItem, ItemResult], declaration: Declaration
) -> list[Defect]:
    outside = [
        r
        for r in declaration.recipients.values()
        if r.transfer_country is not None and r.transfer_country not in EEA
    ]
    transfer_sentences = matching_sentences(
        ITEM_SPECS_BY_KEY[TransparencyItem.INTERNATIONAL_TRANSFERS], doc
    )
    defects = []
    denials = [
        s
        for s in transfer_sentences
        if re.search(NO_TRANSFER[doc.lang], s.low)
        or negated_where(s.text, TRANSFER_CUE[doc.lang], doc.lang)
    ]
    for sentence in denials:
        if outside:
            names = ", ".join(f"{in_lang(r.name, doc.lang)} ({r.country})" for r in outside)
            defects.append(
                Defect(
                    "transfer_mismatch",
                    f"the text says no data leaves the EU, but the declaration has recipients outside the EEA: {names}",
                    sentence.start,
                    sentence.end,
                )
            )
    declared_safeguards = {r.safeguard.value for r in outside if r.safeguard}
    for sentence in transfer_sentences:
        if sentence in denials:
            continue
        if not outside:
            if re.search(HYPOTHETICAL[doc.lang], sentence.low):
                continue
            defects.append(
                Defect(
                    "transfer_mismatch",
                    "the text describes transfers outside the EU, but every declared recipient is in the EEA",
                    sentence.start,
                    sentence.end,
                )
            )
            continue
        for safeguard, words in SAFEGUARD_WORDS.items():
            if re.search(words, sentence.low) and safeguard not in declared_safeguards:
                defects.append(
                    Defect(
                        "transfer_mismatch",
                        f"the text relies on {safeguard.replace('_', ' ')}, which no declared transfer uses",
                        sentence.start,
                        sentence.end,
                    )
                )
    return defects


def deadline_mismatches(doc: Document, declaration: Declaration) -> list[Defect]:
    rights = declaration.rights
    defects = []
    for sentence in doc.sentences:
        if not re.search(DEADLINE_CUE, sentence.low):
            continue
        # Periods after "extended", "prolonged"… are the extension; before, the deadline.
        cue = re.search(EXTENSION_CUE, sentence.text, re.IGNORECASE)
        for period in find_periods(sentence.text):
            extension = cue is not None and period.start > cue.start()
            expected = rights.extension if extension else rights.response_deadline
            what = "extension of the response time" if extension else "time to answer a request"
            if not same_length(period.duration, expected):
                message = f"the text gives {period.duration} as the {what}; the declaration says {expected}"
                begin = sentence.start + period.start
                defects.append(
                    Defect("deadline_mismatch", message, begin, sentence.start + period.end)
                )
    return defects


def find_contradictions(
    doc: Document, items: dict[TransparencyItem, ItemResult], declaration: Declaration
) -> list[Defect]:
    """Every place where the text and ``declaration`` disagree."""
    return (
        retention_mismatches(doc, declaration)
        + recipient_mismatches(doc, declaration)
        + purpose_mismatches(doc, declaration)
        + legal_basis_mismatches(doc, items, declaration)
        + transfer_mismatches(doc, items, declaration)
        + deadline_mismatches(doc, declaration)
    )
