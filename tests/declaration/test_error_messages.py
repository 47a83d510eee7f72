"""Every message `gardien validate` prints for bad YAML or a bad shape says what to write
instead, at the line where the mistake is.

Each case edits one line of the starter declaration as a person would (the raw
text, so that YAML's own mistakes can be made), and names the fragments the
message must hold and the line it must point at (the line holding ``at``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gardien.declaration import validate
from gardien.declaration.taxonomy import fides_taxonomy, suggestion
from gardien.errors import Problem
from tests.conftest import STARTER


@dataclass(frozen=True)
class Case:
    id: str
    old: str
    new: str
    fragments: tuple[str, ...]
    at: str  # text of the line the message must point at, in the edited file

    def write(self, tmp_path: Path) -> Path:
        assert STARTER.count(self.old) >= 1, self.old
        path = tmp_path / "privacy.yaml"
        path.write_text(STARTER.replace(self.old, self.new, 1), "utf-8")
        return path


def line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def problems(path: Path) -> list[Problem]:
    """The errors `gardien validate` prints for the file: from reading it, or its rules."""
    return list(validate(path).errors)


CASES = [
    # --- YAML syntax ---------------------------------------------------------------------
    Case(
        "colon-in-text",
        "      en: Sending our newsletter and offers by e-mail.",
        "      en: Note: we send our newsletter by e-mail.",
        ("mapping values are not allowed here", "put the whole value in quotes"),
        "Note: we send",
    ),
    Case(
        "colon-inside-braces",
        "name: {fr: Lettre d'information, en: Newsletter}",
        "name: {fr: Lettre d'information, en: Note: Newsletter}",
        ("inside {…}", 'put a text that contains ": " in quotes'),
        "en: Note: Newsletter}",
    ),
    Case(
        "braces-not-closed",
        "name: {fr: Lettre d'information, en: Newsletter}",
        "name: {fr: Lettre d'information, en: Newsletter",
        ("the {…} opened here is not closed on its line", "close it with }"),
        "en: Newsletter",
    ),
    Case(
        "list-not-closed",
        "    subjects: [customer, prospect]",
        "    subjects: [customer, prospect",
        ("the […] opened here is not closed on its line", "close it with ]"),
        "subjects: [customer, prospect",
    ),
    Case(
        "tab",
        "  name: Example SAS",
        "\tname: Example SAS",
        ("a tab", "YAML indents with spaces only"),
        "name: Example SAS",
    ),
    Case(
        "quote-not-closed",
        "  legal_form: SAS au capital de 10 000 €",
        '  legal_form: "SAS au capital de 10 000 €',
        ("the quote opened here closes only at line", "close it at the end of this value"),
        "legal_form:",
    ),
    Case(
        "apostrophe-in-single-quotes",
        "  legal_form: SAS au capital de 10 000 €",
        "  legal_form: 'l'exemple SAS'",
        ("put the whole value in double quotes", "'l''exemple'"),
        "legal_form:",
    ),
    Case(
        "line-without-colon",
        "  registration: RCS Paris 000 000 000",
        "  registration RCS Paris 000 000 000",
        ("neither `key: value` nor a list entry", "add the colon after the key"),
        "registration RCS",
    ),
    Case(
        "indented-too-little",
        "  address: 1 rue de l'Exemple",
        " address: 1 rue de l'Exemple",
        ("indentation does not match", "same number of spaces"),
        "address: 1 rue",
    ),
    Case(
        "value-starting-with-at",
        "  email: privacy@example.com",
        "  email: @example",
        ("cannot start with @", "put the value in quotes"),
        "email: @example",
    ),
    Case(
        "value-starting-with-star",
        "  legal_form: SAS au capital de 10 000 €",
        "  legal_form: *SAS*",
        ("cannot start with *", "put the value in quotes"),
        "legal_form: *SAS*",
    ),
    # --- Shapes ----------------------------------------------------------------------------
    Case(
        "comma-inside-braces",
        "label: {fr: Demandes adressées au support, en: Requests sent to support}",
        "label: {fr: Nom, prénom, en: Name}",
        ("the text contains a comma", 'put the whole text in quotes, fr: "Nom, prénom"'),
        "Nom, prénom",
    ),
    Case(
        "comma-and-colon-inside-braces",
        "label: {fr: Demandes adressées au support, en: Requests sent to support}",
        "label: {fr: Demandes, par exemple: remboursement, en: Requests}",
        ("unknown key; allowed here: de, en, fr", "cut by a comma, put that whole text in quotes"),
        "par exemple: remboursement",
    ),
    Case(
        "text-as-plain-string",
        "name: {fr: Facturation, en: Invoicing}",
        "name: Facturation",
        (
            "purposes.invoicing.name: expected a text written in each language the notice "
            "publishes, got the plain text 'Facturation'",
            "write {fr: …, en: …}",
        ),
        "name: Facturation",
    ),
    Case(
        "text-as-list",
        "name: {fr: Facturation, en: Invoicing}",
        "name: [Facturation]",
        ("expected a text written in each language", "write {fr: …, en: …}"),
        "name: [Facturation]",
    ),
    Case(
        "name-as-list",
        "    name: Example Hosting SAS",
        "    name: [Example, Hosting]",
        ("recipients.hosting.name: expected a name as plain text", "{fr: …, en: …}"),
        "name: [Example, Hosting]",
    ),
    Case(
        "missing-key",
        "  address: 1 rue de l'Exemple, 75001 Paris, France\n",
        "",
        ("controller.address: this key is required but missing", "add address: … under controller"),
        "controller:",
    ),
    Case(
        "empty-text",
        "  name: Example SAS",
        "  name: ''",
        ("controller.name: must not be empty", "write its value"),
        "name: ''",
    ),
    Case(
        "nothing-after-colon",
        "  name: Example SAS",
        "  name:",
        ("controller.name: expected text, got nothing", "write the text after the colon"),
        "  name:",
    ),
    Case(
        "number-for-text",
        "  name: Example SAS",
        "  name: 12",
        ("controller.name: expected text, got int 12", 'put it in quotes: "12"'),
        "name: 12",
    ),
    Case(
        "text-for-list",
        "    subjects: [customer, prospect]",
        "    subjects: customer",
        ("expected a list, got str 'customer'", "write [customer]"),
        "subjects: customer",
    ),
    Case(
        "text-for-mapping",
        "  invoicing:\n",
        "  invoicing: Facturation\n  invoicing_old:\n",
        ("purposes.invoicing: expected a mapping of keys", "allowed keys: automated_decision"),
        "invoicing: Facturation",
    ),
    Case(
        "unknown-event",
        "    until: account_deletion",
        "    until: publication_withdrawn",
        (
            "'publication_withdrawn' is neither a built-in event nor one declared under "
            "retention_events; declare it: retention_events: {publication_withdrawn:",
        ),
        "until: publication_withdrawn",
    ),
    Case(
        "mistyped-event",
        "    until: account_deletion",
        "    until: acount_deleted",
        ('(did you mean "account_deletion"?)',),
        "until: acount_deleted",
    ),
    Case(
        "number-for-duration",
        "  response_deadline: 1 month",
        "  response_deadline: 30",
        ('30 has no unit: write "30 days", "30 months" or "30 years"',),
        "response_deadline: 30",
    ),
    Case(
        "word-for-boolean",
        "    direct_marketing: true",
        "    direct_marketing: oui",
        ("expected true or false, got 'oui'; write true or false",),
        "direct_marketing: oui",
    ),
    Case(
        "name-with-capitals",
        "rights:\n",
        "datastores:\n  crm:\n    url: {$env: CRM_URL}\n    collections:\n      people:\n"
        "        fields:\n          mail: {categories: [user.contact.email], identity: E-mail}\n"
        "rights:\n",
        ("'E-mail' is not a name: use lower case letters, digits and _",),
        "identity: E-mail",
    ),
    Case(
        "text-too-long",
        "rights:\n",
        'branding:\n  primary_colour: "#0b5d3b"\n  logo_text: ' + "A" * 70 + "\nrights:\n",
        ("branding.logo_text: is too long; shorten it to 60 characters at most",),
        "logo_text:",
    ),
    Case(
        "country-not-iso",
        "    country: US",
        "    country: UK",
        ("'UK' is not an ISO 3166-1 alpha-2 country code", 'write "GB"'),
        "country: UK",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_message_says_what_to_write_at_its_line(tmp_path: Path, case: Case) -> None:
    path = case.write(tmp_path)
    found = problems(path)
    assert len(found) == 1, [str(p) for p in found]
    [problem] = found
    for fragment in case.fragments:
        assert fragment in problem.message, problem.message
    assert problem.line == line_of(path, case.at), str(problem)
    assert "Traceback" not in problem.message


def test_a_text_cut_by_several_commas_is_one_message_with_the_whole_text(tmp_path: Path) -> None:
    path = Case(
        "",
        "label: {fr: Demandes adressées au support, en: Requests sent to support}",
        "label: {fr: Nom, prénom, adresse, en: Name}",
        (),
        "",
    ).write(tmp_path)
    [problem] = problems(path)
    assert 'fr: "Nom, prénom, adresse"' in problem.message


def test_an_unrelated_name_gets_no_suggestion_and_a_mistyped_one_the_right_one() -> None:
    events = [
        "collection",
        "account_deletion",
        "consent_withdrawal",
        "request_closed",
        "application_closed",
        "end_of_relationship",
        "employment_end",
    ]
    # Unrelated: a word or two in common, not the same thing.
    for typed in (
        "publication_withdrawn",
        "account_closed",
        "content_deletion",
        "end_of_membership",
        "event_end",
        "social_network_account_deletion",
    ):
        assert suggestion(typed, events) == "", typed
    # Mistyped, or one word missing or added.
    assert suggestion("acount_deleted", events) == ' (did you mean "account_deletion"?)'
    assert suggestion("withdrawal", events) == ' (did you mean "consent_withdrawal"?)'
    assert suggestion("consent_withdrawal_date", events) == ' (did you mean "consent_withdrawal"?)'
    categories = fides_taxonomy().data_categories
    assert suggestion("user.contact.emial", categories) == ' (did you mean "user.contact.email"?)'
    assert suggestion("user.device.ip", categories) == ' (did you mean "user.device.ip_address"?)'


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=30))
def test_a_suggestion_shares_every_word_of_what_was_typed_or_adds_none(typed: str) -> None:
    events = ["account_deletion", "consent_withdrawal", "last_contact", "contract_end"]
    hint = suggestion(typed, events)
    if hint:
        offered = hint.split('"')[1]
        assert offered in events
        typed_words = [w for w in typed.split("_") if w]
        # Never offered on letters alone: some word of what was typed is in the offer.
        assert any(
            w[:5] == o[:5] or w in o or o in w for w in typed_words for o in offered.split("_")
        )


def test_validate_reports_the_unknown_key_of_a_mistyped_section_with_its_right_name(
    tmp_path: Path,
) -> None:
    path = Case("", "security_measures:", "security_mesures:", (), "").write(tmp_path)
    report = validate(path)
    [problem] = report.errors
    assert 'unknown key (did you mean "security_measures"?)' in problem.message


@pytest.mark.parametrize(
    ("written", "fragments"),
    [
        ("EU", ("the European Union is not a country", "member state")),
        ("XX", ("XX is a placeholder, not a country",)),
        ("UK", ('write "GB"',)),
        ("EL", ('write "GR"',)),
        ("de", ('write "DE" (capitals)',)),
        ("Germany", ("is a country name", '"DE"')),
        ("USA", ("is not a country code: write its ISO 3166 two-letter code",)),
        ("QQ", ("is not a country code",)),
    ],
)
@pytest.mark.parametrize("where", ["controller", "recipient"])
def test_every_country_is_an_iso_3166_code(
    tmp_path: Path, written: str, fragments: tuple[str, ...], where: str
) -> None:
    old = "  country: FR\n" if where == "controller" else "    country: US\n"
    path = Case("", old, old.replace(old.split(": ")[1].strip(), written), (), "").write(tmp_path)
    found = [p for p in problems(path) if "country" in p.message]
    assert len(found) == 1, [str(p) for p in problems(path)]
    [problem] = found
    assert f"{written!r}" in problem.message
    for fragment in fragments:
        assert fragment in problem.message, problem.message
    assert problem.line == line_of(path, f"country: {written}")


def test_every_officially_assigned_code_is_accepted_and_the_list_has_its_source() -> None:
    from gardien.declaration.countries import country_codes, country_problem
    from gardien.declaration.taxonomy import transfer_rules

    codes = country_codes()
    assert len(codes.names) == 249 and codes.source and codes.checked
    assert all(country_problem(code) is None for code in codes.names)
    # Every country the transfer rules know is a code a declaration may use.
    rules = transfer_rules()
    assert rules.eea <= codes.names.keys() and rules.adequacy.keys() <= codes.names.keys()
    for not_code in ("EU", "UK", "EL", "XX"):
        assert not_code not in codes.names


def test_a_purpose_naming_an_event_for_its_retention_is_told_to_declare_a_rule(
    tmp_path: Path,
) -> None:
    path = Case("", "    retention: logs\n", "    retention: consent_withdrawal\n", (), "").write(
        tmp_path
    )
    [error] = validate(path).errors
    assert "consent_withdrawal is an event, and a purpose names a rule" in error.message
    assert "until_consent_withdrawal: {until: consent_withdrawal}" in error.message
    assert error.line == line_of(path, "retention: consent_withdrawal")
