"""First names and surnames known to be names, from a package gardien already installs.

The lists are Faker's (MIT licence; its person providers draw on public name
statistics such as the US Social Security Administration's): the first names
of several locales, so that the names of an international customer base are
there too. Nothing is downloaded: the lists ship inside the Faker package.

A first name that is also an everyday word ("Will", "Grace", "Pierre" as a
stone is capitalised only at a sentence start, but "Rose", "June", "Chase"
are both) would redact the word wherever it is written; such names are left
out: Faker's own English and French word lists (its lorem providers), spaCy's
stop words, month and day names, and the homographs listed below. The
statistical model still finds them where the sentence shows they are names.
The long lists of ``WIDE_LOCALES`` hold many words, so only their names that
no dictionary of either language knows are taken.

Built on first use, never at import (about 0.2 s, once the dictionaries are
read; about 10,500 names).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterable

#: Faker locales whose first names are read.
LOCALES = ("en_US", "en_GB", "fr_FR", "de_DE", "es_ES", "it_IT", "pt_BR", "nl_NL", "pl_PL")
#: Faker locales whose first names are taken only when they are no word of
#: English or French (``lexicon``): the other languages of the EU written in
#: the Latin alphabet, and the English- and French-speaking world beyond
#: Europe, whose long lists hold words ("Bliss", "Canyon", "Boston") and
#: whose names a customer base has all the same ("Kendrick", "Aarav", "Yacine").
WIDE_LOCALES = (
    "en",
    "en_IE",
    "en_IN",
    "en_NZ",
    "fr_BE",
    "fr_CH",
    "fr_DZ",
    "de_AT",
    "nl_BE",
    "pt_PT",
    "cs_CZ",
    "da_DK",
    "et_EE",
    "fi_FI",
    "hr_HR",
    "hu_HU",
    "ro_RO",
    "sk_SK",
    "sl_SI",
    "sv_SE",
)
#: Faker locales whose everyday words are not taken for names.
WORD_LOCALES = ("en_US", "fr_FR")


def _wordset(words: str) -> frozenset[str]:
    """The whitespace-separated words of ``words`` (keeps long lists readable)."""
    return frozenset(words.split())


# Names that are also common English or French words, beyond the word lists
# (the last line: first names of ``LOCALES`` that the English dictionary has as
# verbs or adjectives, "Edit:", "the German team", less those that are names first).
_HOMOGRAPHS = _wordset(
    """
    mark grant chase max april june august may joy rose summer autumn dawn faith grace hope
    penny holly ivy pearl ruby amber crystal destiny harmony miles will bill frank earl guy
    jack mason hunter carter cooper parker baker page dean major rich sterling price young
    king case gene van royal sage lane rock sky storm river brook forest star angel precious
    patience prudence constance constant modeste victoire claire blanche aimé france pierre
    olive iris violet daisy jasmine hazel autumn winter spring sunny honey melody lady
    christian dominique camille lucky happy will don ray long sue bob pat art ken trust
    ante cord curt edit feline german grit harm jet kick lope mar peer sole till urban wolf maxi
    """
)
_CALENDAR = _wordset(
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday janvier février mars avril mai
    juin juillet août septembre octobre novembre décembre lundi mardi mercredi jeudi vendredi
    samedi dimanche
    """
)


# First names that are everyday English words when written in lower case
# ("she drew a map", "a sandy beach", "a marine biologist"): names only with
# their capital.
_LOWER_CASE_HOMOGRAPHS = _wordset(
    """
    drew nick jay dale glen carol lance marine robin sandy jean jan meta dot bud cliff rusty
    chuck herb ward reed rod cash buck hank dash kitty jewel bell belle eve sonny rocky ginger
    candy cookie bunny misty sunny tiny bishop wood stone hill hunter miller porter
    cook baker butler gale jade jasmine coral cyan ebony opal
    """
)


def _names(values: Iterable[str]) -> set[str]:
    return {v.casefold() for v in values if v.isalpha() and len(v) >= 3}


@functools.cache
def common_words() -> frozenset[str]:
    """Everyday words of English and French, case-folded."""
    from gardien.redact.regex_cache import kept_compiles

    with kept_compiles():  # importing spaCy's French data compiles its tokenizer expression
        from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
        from spacy.lang.fr.stop_words import STOP_WORDS as FR_STOP

    words: set[str] = set(EN_STOP) | set(FR_STOP) | _HOMOGRAPHS | _CALENDAR
    for locale in WORD_LOCALES:
        lorem = importlib.import_module(f"faker.providers.lorem.{locale}").Provider
        words |= {w.casefold() for w in lorem.word_list}
    return frozenset(words)


@functools.cache
def first_names() -> frozenset[str]:
    """Case-folded first names of ``LOCALES``, and those of ``WIDE_LOCALES``
    of four letters or more that are no word of either dictionary; everyday
    words left out."""
    from gardien.redact.lexicon import dictionary_by_pos  # it imports this module

    found = _locale_first_names(LOCALES)
    dictionary = {
        word
        for lang in ("en", "fr")
        for words in dictionary_by_pos(lang).values()
        for word in words
    }
    # Three-letter names of these lists are too often chat words ("vid").
    found |= {name for name in _locale_first_names(WIDE_LOCALES) - dictionary if len(name) > 3}
    return frozenset(found - common_words())


def _locale_first_names(locales: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for locale in locales:
        person = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            found |= _names(getattr(person, attribute, ()))
    return found


@functools.cache
def last_names() -> frozenset[str]:
    """Case-folded surnames of ``LOCALES`` (Faker's lists, as for first
    names), everyday words included: many surnames are words ("Fontaine",
    "Baker"), and rules that take a word for a team or a heading use this
    list to leave such a word a name."""
    found: set[str] = set()
    for locale in LOCALES:
        person = importlib.import_module(f"faker.providers.person.{locale}").Provider
        found |= _names(getattr(person, "last_names", ()))
    return frozenset(found)


@functools.cache
def lower_case_first_names() -> frozenset[str]:
    """The first names that stay names in lower case: ``first_names`` less
    those that are everyday English words without their capital."""
    return first_names() - _LOWER_CASE_HOMOGRAPHS
