"""Retention rules, durations and dates read as a French or an English lawyer writes them."""

from __future__ import annotations

import datetime as dt

import pytest

from gardien.declaration.models import RetentionRule
from gardien.declaration.values import Duration
from gardien.notice.wording import de, format_date, format_duration, jusqua, retention_sentence


@pytest.mark.parametrize(
    ("rule", "fr", "en"),
    [
        (
            {"duration": "3 years", "after": "last_contact"},
            "3 ans à compter du dernier contact, puis suppression.",
            "3 years after the last contact, then deleted.",
        ),
        (
            {
                "until": "account_deletion",
                "archive": {
                    "duration": "5 years",
                    "reason": {
                        "fr": "répondre à nos obligations comptables",
                        "en": "meet our accounting obligations",
                    },
                },
            },
            "Jusqu'à la suppression du compte, puis archivage intermédiaire pendant 5 ans pour "
            "répondre à nos obligations comptables, puis suppression.",
            "Until the account is deleted, then kept in intermediate archives for 5 years to "
            "meet our accounting obligations, then deleted.",
        ),
        (
            {"duration": "13 months", "after": "deposit"},
            "13 mois à compter du dépôt du traceur, puis suppression.",
            "13 months after the tracker is set, then deleted.",
        ),
        (
            {"duration": "2 years", "after": "collection", "then": "anonymise"},
            "2 ans à compter de la collecte, puis anonymisation.",
            "2 years after collection, then anonymised.",
        ),
        # Deleted with the account: said once, not "until the account is deleted, then deleted".
        (
            {"until": "account_deletion"},
            "Jusqu'à la suppression du compte.",
            "Until the account is deleted.",
        ),
        (
            {"until": "account_deletion", "then": "anonymise"},
            "Jusqu'à la suppression du compte, puis anonymisation.",
            "Until the account is deleted, then anonymised.",
        ),
        (
            {"until": "contract_end"},
            "Jusqu'à la fin du contrat, puis suppression.",
            "Until the end of the contract, then deleted.",
        ),
        (
            {"until": "contract_end", "duration": "1 year", "after": "last_activity"},
            "Jusqu'à la fin du contrat, dans la limite de 1 an à compter de la dernière activité, "
            "puis suppression.",
            "Until the end of the contract, for no longer than 1 year after the last activity, "
            "then deleted.",
        ),
    ],
)
def test_retention_sentence(rule: dict[str, object], fr: str, en: str) -> None:
    parsed = RetentionRule.model_validate(rule)
    assert retention_sentence(parsed, "fr") == fr
    assert retention_sentence(parsed, "en") == en


def test_criterion_is_appended() -> None:
    rule = RetentionRule.model_validate(
        {
            "duration": "10 years",
            "after": "fiscal_year_end",
            "criterion": {"fr": "Code de commerce", "en": "Commercial Code"},
        }
    )
    assert retention_sentence(rule, "fr").endswith("Critère : Code de commerce.")
    assert retention_sentence(rule, "en").endswith("Criterion: Commercial Code.")


def test_french_contractions() -> None:
    assert de("le dernier contact") == "du dernier contact"
    assert de("la collecte") == "de la collecte"
    assert de("les achats") == "des achats"
    assert de("un mois") == "d'un mois"
    assert de("deux mois") == "de deux mois"
    assert jusqua("le départ du salarié") == "jusqu'au départ du salarié"
    assert jusqua("la fin du contrat") == "jusqu'à la fin du contrat"


def test_durations_and_dates() -> None:
    assert format_duration(Duration.parse("1 month"), "fr", words=True) == "un mois"
    assert format_duration(Duration.parse("1 week"), "fr", words=True) == "une semaine"
    assert format_duration(Duration.parse("2 months"), "en", words=True) == "two months"
    assert format_duration(Duration.parse("13 months"), "fr") == "13 mois"
    assert format_duration(Duration.parse("1 year"), "fr") == "1 an"
    assert format_date(dt.date(2025, 3, 1), "fr") == "1er mars 2025"
    assert format_date(dt.date(2025, 8, 14), "fr") == "14 août 2025"
    assert format_date(dt.date(2025, 3, 1), "en") == "1 March 2025"
