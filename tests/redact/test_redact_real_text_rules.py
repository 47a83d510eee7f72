"""Rules added for what real text leaked (issue 16): years and weekdays used as
dates, phone numbers in other national notations near a word about phoning,
addresses written one part a line or after "lives at", brand names in camel
case, sites in business lists, and role words that are never names alone.
The sentences are written for these tests."""

from __future__ import annotations

import pytest

from gardien.redact import Analyzer, RecognizerRegistry, analyze
from gardien.redact.recognizers.address import AddressRecognizer
from gardien.redact.recognizers.base import Recognizer
from gardien.redact.recognizers.cues import LocationCueRecognizer, OrganizationCueRecognizer
from gardien.redact.recognizers.date import DateRecognizer
from gardien.redact.recognizers.ner import SpacyNerRecognizer
from gardien.redact.recognizers.organization import OrganizationRecognizer
from gardien.redact.recognizers.phone import PhoneRecognizer


def _found(recognizer: Recognizer, text: str, lang: str) -> list[str]:
    registry = RecognizerRegistry()
    registry.register(recognizer)
    return [s.text for s in Analyzer(registry).analyze(text, lang)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("The bakery was founded in 1987 by two sisters.", "en", ["1987"]),
        ("Membre du club depuis 2011.", "fr", ["2011"]),
        ("The parcel left on Thursday morning.", "en", ["Thursday"]),
        ("Je passerai ce vendredi au bureau.", "fr", ["vendredi"]),
        ("Logged at 2023-11-02 17:45:09 by the kiosk.", "en", ["2023-11-02 17:45:09"]),
        # A year without a word that makes it a date, and a weekday as a dish, stay.
        ("Room 1987 is on the third floor.", "en", []),
        ("We serve a Sunday roast.", "en", []),
        ("Il reste 2011 exemplaires.", "fr", []),
    ],
)
def test_years_and_weekdays_used_as_dates(text: str, lang: str, expected: list[str]) -> None:
    assert _found(DateRecognizer(), text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Phone: 0471 62 19 84", "en", ["0471 62 19 84"]),
        ("Nobody is answering at 52 318 907", "en", ["52 318 907"]),
        ("Please stop sending messages to 0743 551 20 86", "en", ["0743 551 20 86"]),
        ("Son portable : 71-44-29-03", "fr", ["71-44-29-03"]),
        # Digit groups with no word about phoning are not phone numbers.
        ("The order contains 12 345 678 screws.", "en", []),
        ("Facture 2024 118 payée.", "fr", []),
    ],
)
def test_phone_numbers_in_other_national_notations(
    text: str, lang: str, expected: list[str]
) -> None:
    assert _found(PhoneRecognizer(), text, lang) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ines Varga lives at 4471 Lindenweg 12, Kessling", ["4471 Lindenweg 12, Kessling"]),
        ("Our shop is located at 88 Hollow Pine 4. Come by!", ["88 Hollow Pine 4"]),
        (
            "Ines Varga\n31507 Tammikatu 45\n Suite 208\n Norrvik\n Finland 33410",
            # One address over four lines, the town line between the others included.
            ["31507 Tammikatu 45\n Suite 208\n Norrvik\n Finland 33410"],
        ),
        ("Mail it to PSC 1180, Box 5521\nAPO AE 09123", ["PSC 1180, Box 5521\nAPO AE 09123"]),
        ("He lives on Via Lattea 27 now.", ["Via Lattea 27"]),
        ("Marta Sola\nVia Lattea 27\nThe meeting starts at noon.", ["Via Lattea 27"]),
        ("The kiosk is at P.O. Box 418", ["P.O. Box 418"]),
        # A line of a number, words and a number inside a sentence is not an address line.
        ("We sold 12 red bikes and 4 blue ones.", []),
    ],
)
def test_addresses_line_by_line_and_after_lives_at(text: str, expected: list[str]) -> None:
    assert _found(AddressRecognizer(), text, "en") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le contrat avec NovaDatix est signé.", ["NovaDatix"]),
        ("We moved our backups to CloudHarbor Storage last year.", ["CloudHarbor Storage"]),
        # One-letter-pair prefixes are surnames, not brands; a lower-case start is a product.
        ("Merci à McArdle et à DiNapoli, et vive l'iPad.", []),
    ],
)
def test_brand_names_in_camel_case(text: str, expected: list[str]) -> None:
    assert _found(OrganizationRecognizer(), text, "fr" if "Merci" in text else "en") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- Siège Quimperlé (40 salariés)", ["Quimperlé"]),
        ("- Site de Saint-Avold : M. Hugo Ferrand", ["Saint-Avold"]),
        ("Siège social : Montbrison\n", ["Montbrison"]),
    ],
)
def test_sites_and_head_offices_in_business_lists(text: str, expected: list[str]) -> None:
    assert _found(LocationCueRecognizer(), text, "fr") == expected


def test_a_role_word_alone_is_not_a_name() -> None:
    ner = SpacyNerRecognizer()
    for word in ("Président", "Partner", "Sponsors", "Budget", "Auditeur"):
        assert not ner._is_a_name(word, "PERSON"), word
    assert ner._is_a_name("Présidente Lebrun", "PERSON")


def test_a_camel_case_product_is_not_taken_for_a_company() -> None:
    # The English model reads it as a product: the brand rule stands back.
    assert analyze("My son plays on his PlayStation every night.", lang="en") == []


@pytest.mark.parametrize(
    "text", ["Il travaillait pour M. Hugo Ferrand.", "L'équipe de Mme Léa Brun arrive."]
)
def test_a_civility_title_does_not_start_a_company(text: str) -> None:
    assert _found(OrganizationCueRecognizer(), text, "fr") == []


def test_after_en_the_models_organisation_stands() -> None:
    # "en" + a name is a place where nothing else says otherwise ("en Bretagne"),
    # but a league the model tags as an organisation stays one.
    assert [(s.label, s.text) for s in analyze("Il a joué dix ans en NBA.", lang="fr")] == [
        ("ORGANIZATION", "NBA")
    ]
    assert _found(LocationCueRecognizer(), "Elle vit en Bretagne.", "fr") == ["Bretagne"]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("- Brumaire Conseil (Mme Odile Vasseur)", "fr", ["Brumaire Conseil"]),
        ("Hébergeur : Nuagix (contact : M. Loïc Brunel)", "fr", ["Nuagix"]),
        (
            "Vendors: Tallowby Ltd (Mr. Oscar Hale), Quintrel (rep Ms. Ivy Roe)",
            "en",
            [
                "Tallowby Ltd",
                "Quintrel",
            ],
        ),
        # Brackets that hold no person's title name no company's contact.
        ("- Brumaire Conseil (voir annexe)", "fr", []),
        ("Budget validé (M. Brunel absent)", "fr", []),
    ],
)
def test_a_company_named_with_its_contact_in_brackets(
    text: str, lang: str, expected: list[str]
) -> None:
    found = _found(OrganizationCueRecognizer(), text, lang)
    assert found == expected
