"""How the linter reads real pages (issue 17): HTML left inside Markdown, abbreviations
inside sentences, negation in French and English, and the quoted list of what a right
of access returns. Each on a short text written for the test."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from lint_helpers import DATA

from gardien.declaration.models import Declaration
from gardien.declaration.transparency import TransparencyItem as Item
from gardien.policylint import LintReport, lint_policy
from gardien.policylint.markup import markup_view
from gardien.policylint.negation import is_negated, negated_at
from gardien.policylint.segment import cut_at_abbreviation


def declaration(*, all_in_eea: bool = False) -> Declaration:
    """Brightmail's declaration (Scaleway, Mailjet in France; Zendesk in the US, or in
    Ireland with ``all_in_eea``)."""
    data: dict[str, Any] = yaml.safe_load((DATA / "brightmail.yaml").read_text("utf-8"))
    if all_in_eea:
        data["recipients"]["zendesk"].update(country="IE")
        del data["recipients"]["zendesk"]["safeguard"]
    return Declaration.model_validate(data)


def defects(report: LintReport, kind: str) -> list[str]:
    return [report.text[d.start : d.end] for d in report.defects if d.kind == kind]


def quotes(report: LintReport, item: Item) -> list[str]:
    return [e.quote for e in report.items[item].evidence]


def assert_offsets_hold(report: LintReport) -> None:
    for result in report.items.values():
        for evidence in result.evidence:
            assert report.text[evidence.start : evidence.end] == evidence.quote


# --- HTML inside Markdown ------------------------------------------------------------------

HTML_TABLE = """# Politique de confidentialité

## Destinataires

Vos données sont transmises aux destinataires suivants :

<table>
  <thead>
    <tr><th>Données</th><th>Destinataire</th><th>Base légale</th></tr>
  </thead>
  <tbody>
    <tr>
      <td>Adresse e-mail</td>
      <td><strong>Mailjet</strong></td>
      <td>Consentement<br>(article 6.1.a)</td>
    </tr>
    <tr><td>Nom</td><td>Scaleway</td><td>Exécution du contrat</td></tr>
    <tr><td>Adresse IP</td><td>Brevo</td><td>Intérêt légitime</td></tr>
  </tbody>
</table>
"""


def test_table_markup_is_never_read_as_undeclared_recipients(pipelines: None) -> None:
    report = lint_policy(HTML_TABLE, lang="fr", declaration=declaration())
    # Only the real name in a cell that the declaration lacks; no tag, no column name.
    assert defects(report, "recipient_not_declared") == ["Brevo"]
    assert_offsets_hold(report)


def test_an_html_table_is_read_row_by_row_under_its_column_names(pipelines: None) -> None:
    report = lint_policy(HTML_TABLE, lang="fr")
    recipients = quotes(report, Item.RECIPIENTS)
    # Each row is one sentence, quoted from its <tr> as the text holds it.
    assert any(q.startswith("<tr><td>Nom</td><td>Scaleway</td>") for q in recipients)
    # "Base légale" as a column names the basis of each row, as a Markdown table does.
    assert report.items[Item.LEGAL_BASIS].present
    assert not any("<th>" in q for qs in report.items.values() for q in quotes(report, qs.key))


def test_the_view_keeps_every_offset_and_line(pipelines: None) -> None:
    view = markup_view(HTML_TABLE)
    assert len(view) == len(HTML_TABLE)
    assert "<" not in view and "strong" not in view
    rows = [line.strip() for line in view.splitlines() if line.strip().startswith("|")]
    assert [r.split("|")[1].strip() for r in rows] == [
        "Données",
        "Adresse e-mail",
        "Nom",
        "Adresse IP",
    ]
    assert "Consentement   (article 6.1.a)" in view.replace("    ", "   ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain *Markdown* with a < b and <3.\n", "Plain *Markdown* with a < b and <3.\n"),
        ("A&nbsp;B &amp; C\n", "A      B &     C\n"),
        ("<p>One</p><p>Two</p>", "\n  One\n   \n  Two\n   "),
        ("<ul><li>a</li></ul>", "\n   \n-  a\n    \n    "),
        ("x <!-- hidden --> y", "x                 y"),
    ],
)
def test_markup_view_examples(text: str, expected: str) -> None:
    assert markup_view(text) == expected


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<br>",
                "<b>",
                "</b>",
                "&amp;",
                "&eacute;",
                "text ",
                "\n",
                "a < b",
                "<li>",
                "<h2>",
                "<script>x\ny</script>",
                "<!-- c\n -->",
                "|",
                "<table>\n<tr><td>a\nb</td></tr>\n</table>",
            ]
        ),
        max_size=40,
    )
)
def test_markup_view_has_the_length_and_lines_of_the_text(parts: list[str]) -> None:
    text = "".join(parts)
    view = markup_view(text)
    assert len(view) == len(text)
    # A line break of the text is kept (a view may add some where a tag stood), except
    # inside a table, where a row is one line.
    tables = [(m, text.index("</table>", m)) for m in _all(text, "<table>")]
    kept = [i for i, c in enumerate(text) if c == "\n" and not any(a < i < b for a, b in tables)]
    assert all(view[i] == "\n" for i in kept)
    assert "<" not in view.replace("a < b", "")


def _all(text: str, word: str) -> list[int]:
    found, start = [], text.find(word)
    while start >= 0:
        found.append(start)
        start = text.find(word, start + 1)
    return found


# --- Abbreviations -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "cut"),
    [
        ("Under Art.", "15 GDPR, you may", True),
        ("Conformément à l'art.", "15 du RGPD", True),
        ("See cf.", "Article 77", True),
        ("for example, e.g.", "invoices", True),
        ("that is, i.e.", "billing", True),
        ("Contact M.", "Dupont", True),
        ("écrivez au n°", "12 de la rue", True),
        ("logs, cookies, etc.", "for one year", True),
        ("Brightmail S.A.S.", "qui est responsable", True),
        ("Acme Ltd.", "is the controller", True),
        ("logs, cookies, etc.", "We keep them", False),
        ("Acme Inc.", "We answer", False),
        ("The answer is no.", "We reply", False),
        ("We keep data.", "Art. 15 applies", False),
    ],
)
def test_sentences_are_not_cut_at_abbreviations(before: str, after: str, cut: bool) -> None:
    assert cut_at_abbreviation(before, after) is cut


@pytest.mark.parametrize(
    ("lang", "sentence", "item"),
    [
        (
            "fr",
            "Conformément à l'art. 15 du RGPD, vous pouvez obtenir une copie de vos données.",
            Item.RIGHT_ACCESS,
        ),
        (
            "en",
            "Under Art. 15 GDPR you have the right of access to the personal data we hold about you.",
            Item.RIGHT_ACCESS,
        ),
        (
            "fr",
            "M. Dupont, délégué à la protection des données, rappelle que vous pouvez retirer "
            "votre consentement à tout moment, cf. art. 7 du RGPD.",
            Item.WITHDRAW_CONSENT,
        ),
        (
            "en",
            "Our provider Acme Ltd. hosts the data, e.g. invoices, i.e. billing records, in Ireland.",
            Item.RECIPIENTS,
        ),
    ],
)
def test_evidence_is_the_whole_sentence_around_an_abbreviation(
    pipelines: None, lang: str, sentence: str, item: Item
) -> None:
    report = lint_policy(f"# Title\n\n{sentence}\n", lang=lang)
    assert quotes(report, item) == [sentence]


# --- Negation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "clause", "negated"),
    [
        ("fr", "Nous ne transférons pas vos données hors de l'UE", True),
        ("fr", "Vos données ne sont jamais transférées", True),
        ("fr", "Aucun transfert n'est effectué", True),
        ("fr", "Nous n'utilisons pas vos données", True),
        ("fr", "Nous ne partageons vos données avec personne", True),
        ("fr", "Elles ne sont utilisées que pour vous répondre", False),
        ("fr", "Nous transférons vos données hors de l'UE", False),
        ("en", "We do not sell your data", True),
        ("en", "We don't share your data", True),
        ("en", "We never use your data for marketing", True),
        ("en", "No data is transferred outside the EU", True),
        ("en", "Your data cannot be sent outside the EU", True),
        ("en", "We answer no later than one month after your request", False),
        ("en", "We share your data with Stripe", False),
    ],
)
def test_negation_cues(lang: str, clause: str, negated: bool) -> None:
    assert is_negated(clause, lang) is negated


def test_negation_is_read_clause_by_clause() -> None:
    text = "We do not sell your data, but we share it with Facebook for advertising."
    assert negated_at(text, text.index("sell"), "en")
    assert not negated_at(text, text.index("Facebook"), "en")


@pytest.mark.parametrize(
    "sentence",
    [
        "Nous ne transférons pas vos données hors de l'Union européenne.",
        "Aucun transfert de vos données hors de l'Union européenne n'est effectué.",
        "Vos données ne sont jamais transférées vers un pays tiers.",
    ],
)
def test_a_french_denial_of_transfers_is_understood(pipelines: None, sentence: str) -> None:
    text = f"# Transferts\n\n{sentence}\n"
    # Every recipient in the EEA: no contradiction ("describes transfers" was reported).
    report = lint_policy(text, lang="fr", declaration=declaration(all_in_eea=True))
    assert defects(report, "transfer_mismatch") == []
    # A recipient in the US: the text says none leaves, and that is the contradiction.
    report = lint_policy(text, lang="fr", declaration=declaration())
    [message] = [d.message for d in report.defects if d.kind == "transfer_mismatch"]
    assert "the text says no data leaves the EU" in message and "Zendesk" in message


def test_an_english_denial_with_a_contraction_is_understood(pipelines: None) -> None:
    text = "# Transfers\n\nWe don't transfer your personal data outside the European Union.\n"
    report = lint_policy(text, lang="en", declaration=declaration())
    [message] = [d.message for d in report.defects if d.kind == "transfer_mismatch"]
    assert "the text says no data leaves the EU" in message


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("We don't sell or share your personal data with Facebook or other third parties.", []),
        ("We never share your personal data with Facebook or any other third party.", []),
        (
            "We share your personal data with Facebook, a third party, for advertising.",
            ["Facebook"],
        ),
        (
            "We do not sell your data to third parties, but we share it with Facebook, a "
            "third party, for advertising.",
            ["Facebook"],
        ),
    ],
)
def test_a_name_in_a_negated_clause_is_not_a_recipient(
    pipelines: None, sentence: str, flagged: list[str]
) -> None:
    report = lint_policy(f"# Sharing\n\n{sentence}\n", lang="en", declaration=declaration())
    assert defects(report, "recipient_not_declared") == flagged


def test_marketing_and_a_basis_denied_are_not_contradictions(pipelines: None) -> None:
    decl = declaration()
    denied = (
        "# Use\n\nWe never use your personal data for marketing or newsletters of third "
        "parties.\nThe legal basis of this processing is not a vital interest.\n"
    )
    affirmed = (
        "# Use\n\nWe use your personal data for marketing of third parties.\n"
        "The legal basis of this processing is a vital interest.\n"
    )
    from gardien.declaration.models import LegalBasis

    no_marketing = decl.model_copy(
        update={
            "purposes": {
                k: p.model_copy(update={"direct_marketing": False})
                for k, p in decl.purposes.items()
            }
        }
    )
    kinds_denied = [
        d.message for d in lint_policy(denied, lang="en", declaration=no_marketing).defects
    ]
    kinds_affirmed = [
        d.message for d in lint_policy(affirmed, lang="en", declaration=no_marketing).defects
    ]
    marketing = "the text describes marketing, but no declared purpose is direct marketing"
    vital = f"the text gives {LegalBasis.VITAL_INTEREST.value} as a legal basis"
    assert not any(marketing in m or vital in m for m in kinds_denied)
    assert any(marketing in m for m in kinds_affirmed)
    assert any(vital in m for m in kinds_affirmed)


# --- The list of what access returns -------------------------------------------------------

RIGHTS_LIST = {
    "en": """## Your rights

You have the right of access: you may obtain confirmation that we process your data and the following information:

- the purposes of the processing;
- the recipients or categories of recipients to whom the data have been disclosed, in particular recipients in third countries;
- the period for which the data will be stored;
- the right to lodge a complaint with a supervisory authority;
- where the data are not collected from you, any available information as to their source.
""",
    "fr": """## Vos droits

Vous disposez d'un droit d'accès : vous pouvez obtenir la confirmation que vos données sont traitées et les informations suivantes :

- les finalités du traitement ;
- les destinataires ou catégories de destinataires auxquels les données ont été communiquées, en particulier les destinataires établis dans des pays tiers ;
- la durée de conservation envisagée ;
- le droit d'introduire une réclamation auprès d'une autorité de contrôle ;
- lorsque les données ne sont pas collectées auprès de vous, toute information sur leur source.
""",
}
LISTED = (
    Item.PURPOSES,
    Item.RECIPIENTS,
    Item.INTERNATIONAL_TRANSFERS,
    Item.RETENTION,
    Item.COMPLAINT_AUTHORITY,
    Item.DATA_SOURCE,
)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_list_of_what_access_returns_is_evidence_of_nothing_else(
    pipelines: None, lang: str
) -> None:
    report = lint_policy(RIGHTS_LIST[lang], lang=lang, declaration=declaration(all_in_eea=True))
    assert report.items[Item.RIGHT_ACCESS].present
    for item in LISTED:
        assert not report.items[item].present, (item, quotes(report, item))
    # Nor a contradiction, nor a retention "without period".
    assert defects(report, "transfer_mismatch") == []
    assert defects(report, "retention_without_period") == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_same_items_stated_elsewhere_are_still_found(pipelines: None, lang: str) -> None:
    stated = {
        "en": "\n## Complaints\n\nYou may lodge a complaint with the CNIL, the supervisory authority.\n",
        "fr": "\n## Réclamation\n\nVous pouvez introduire une réclamation auprès de la CNIL.\n",
    }[lang]
    report = lint_policy(RIGHTS_LIST[lang] + stated, lang=lang)
    assert quotes(report, Item.COMPLAINT_AUTHORITY) == [stated.strip().splitlines()[-1]]


def test_a_list_of_recipients_is_not_a_list_of_rights(pipelines: None) -> None:
    text = """## Recipients

We share your data with the following recipients:

- our hosting provider, which stores the data;
- our payment processor, which receives your card details;
- the tax authorities, when the law requires it.
"""
    assert lint_policy(text, lang="en").items[Item.RECIPIENTS].present


def test_an_access_sentence_that_enumerates_art_15_names_nothing_else(pipelines: None) -> None:
    text = (
        "# Rights\n\nYou have the right of access to your data and to information on the "
        "purposes, the recipients, the storage period and your right to lodge a complaint.\n"
    )
    report = lint_policy(text, lang="en")
    assert report.items[Item.RIGHT_ACCESS].present
    assert not report.items[Item.RECIPIENTS].present
    assert not report.items[Item.COMPLAINT_AUTHORITY].present


def test_a_table_of_an_html_page_is_read_row_by_row(pipelines: None) -> None:
    from gardien.policylint.reader import policy_from_string

    page = (
        "<!DOCTYPE html><html><body><h2>Destinataires</h2><table>\n"
        "<thead><tr><th>Données</th><th>Destinataire</th><th>Finalité</th></tr></thead>\n"
        "<tbody><tr><td>Nom<br>prénom</td><td><p>Scaleway</p></td><td>Hébergement</td></tr>\n"
        "<tr><td>E-mail</td><td>Brevo</td><td>Envoi de la lettre</td></tr></tbody></table>"
        "</body></html>"
    )
    text = policy_from_string(page, "policy.html").text
    assert re.search(r"^\| Nom prénom \| +Scaleway +\| Hébergement \|$", text, re.MULTILINE)
    report = lint_policy(text, lang="fr", declaration=declaration())
    assert defects(report, "recipient_not_declared") == ["Brevo"]
    assert_offsets_hold(report)
