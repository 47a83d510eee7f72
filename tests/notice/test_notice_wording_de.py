"""German dates, periods and retention sentences: cases, contractions and capitals."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gardien.declaration.models import RetentionEvent, RetentionRule
from gardien.declaration.values import Duration, DurationUnit
from gardien.notice import wording_de
from gardien.notice.wording import format_date, retention_sentence


@pytest.mark.parametrize(
    ("period", "within", "accusative"),
    [
        ("1 month", "eines Monats", "1 Monat"),
        ("2 months", "von zwei Monaten", "2 Monate"),
        ("1 week", "einer Woche", "1 Woche"),
        ("1 year", "eines Jahres", "1 Jahr"),
        ("1 day", "eines Tages", "1 Tag"),
        ("30 days", "von 30 Tagen", "30 Tage"),
        ("3 years", "von drei Jahren", "3 Jahre"),
    ],
)
def test_periods_take_the_case_of_their_sentence(period: str, within: str, accusative: str) -> None:
    duration = Duration.parse(period)
    assert wording_de.within(duration) == within
    assert wording_de.format_duration(duration) == accusative


def test_dates_are_written_the_german_way() -> None:
    assert format_date(dt.date(2026, 3, 1), "de") == "1. März 2026"


@pytest.mark.parametrize("event", list(RetentionEvent))
def test_every_event_contracts_after_bis_zu(event: RetentionEvent) -> None:
    sentence = retention_sentence(RetentionRule(until=event), "de")
    assert sentence.startswith(("Bis zum ", "Bis zur ")), sentence
    assert "zu dem" not in sentence and "zu der" not in sentence


@given(
    amount=st.integers(min_value=1, max_value=120),
    unit=st.sampled_from(list(DurationUnit)),
    event=st.sampled_from(list(RetentionEvent)),
)
def test_a_period_after_an_event_reads_as_german(
    amount: int, unit: DurationUnit, event: RetentionEvent
) -> None:
    sentence = retention_sentence(RetentionRule(duration=Duration(amount, unit), after=event), "de")
    assert sentence.startswith(f"{amount} ")
    assert " nach dem " in sentence or " nach der " in sentence
    assert sentence.endswith(", danach Löschung.")


@pytest.mark.parametrize(
    ("name", "inline"),
    [
        ("Unsere Hausbank", "unsere Hausbank"),
        ("Das zuständige Finanzamt", "das zuständige Finanzamt"),
        ("Hosting-Dienstleister in der EU", "Hosting-Dienstleister in der EU"),
        ("Beispiel Hosting GmbH", "Beispiel Hosting GmbH"),
    ],
)
def test_only_a_determiner_loses_its_capital_inside_a_sentence(name: str, inline: str) -> None:
    assert wording_de.inline(name) == inline


@pytest.mark.parametrize(
    ("rule", "german", "english"),
    [
        # Deleted with the account: the deletion is said once, in every language.
        (
            {"until": "account_deletion"},
            "Bis zur Löschung des Kontos.",
            "Until the account is deleted.",
        ),
        (
            {"until": "account_deletion", "then": "anonymise"},
            "Bis zur Löschung des Kontos, danach Anonymisierung.",
            "Until the account is deleted, then anonymised.",
        ),
        (
            {"until": "account_deletion", "duration": "3 years"},
            "Bis zur Löschung des Kontos, längstens jedoch 3 Jahre nach der Erhebung, danach Löschung.",
            "Until the account is deleted, for no longer than 3 years after collection, then deleted.",
        ),
    ],
)
def test_a_rule_ending_with_the_account_says_the_deletion_once(
    rule: dict[str, str], german: str, english: str
) -> None:
    parsed = RetentionRule.model_validate(rule)
    assert wording_de.retention_sentence(parsed, None, None) == german
    assert retention_sentence(parsed, "en") == english
