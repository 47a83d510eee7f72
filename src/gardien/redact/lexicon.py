"""Everyday words of French and English, by part of speech, from the spaCy
packages gardien already installs.

The NER model takes a capitalised everyday word for a name where a line or a
heading starts with it ("Constat: …", "Backups: ✓"), and a word shouted in
capitals for an organisation ("this is AWESOME"). Telling such words apart
needs a dictionary of the language, larger than the stop-word and lorem lists
of ``gazetteer.common_words``. The installed pipelines ship one: the word
lists of their rule-based lemmatizer (``lemmatizer/lookups/lookups.bin``,
table ``lemma_index``: nouns, verbs, adjectives and adverbs; WordNet's for
English, with its irregular forms, Lefff-derived for French), under the packages' own licences (MIT
for the pipelines, WordNet's licence for its lists). Nothing is downloaded.

The English lists hold proper nouns too, lower-cased ("paris", "mary",
"amazon"): callers only trust them with other evidence (a position, an
adjective or adverb shouted in capitals), and first names
(``gazetteer.first_names``) are never everyday words here.

Read on first use (about 0.1 s per language), never at import.
"""

from __future__ import annotations

import functools
from pathlib import Path

from gardien.redact.gazetteer import first_names
from gardien.redact.nlp import MODELS

#: Parts of speech of the ``lemma_index`` table, by the hash spaCy keys them with.
_POS_BY_HASH = {
    12401032943472870168: "adj",
    10054248821341768113: "adv",
    16833663260455505849: "noun",
    6360137228241296794: "verb",
}
POS = ("adj", "adv", "noun", "verb")
# The tables read: the lemmas by part of speech, and in English the irregular
# forms (``lemma_exc``: "flew", "children", "worse"), since ``lemma_candidates``
# only undoes regular endings and an irregular past is no name after a name,
# as "walked" is not. The French file's exceptions are its whole conjugation
# tables, which the rules here have never needed.
_TABLES = {"en": ("lemma_index", "lemma_exc")}


def _lookups_file(lang: str) -> Path | None:
    """The lemmatizer tables of the first installed pipeline of ``lang``."""
    import spacy  # deferred: importing spaCy costs a second

    for name in MODELS.get(lang, ()):
        if not spacy.util.is_package(name):
            continue
        root = spacy.util.get_package_path(name)
        for found in sorted(root.glob("*/lemmatizer/lookups/lookups.bin")):
            return found
    return None


def _word_tables(path: Path, names: tuple[str, ...]) -> dict[str, dict[int, object]]:
    """The tables ``names`` of a lookups file, by part of speech, the other
    tables skipped unread (the French file holds 200,000 inflected forms
    gardien does not use)."""
    from srsly import msgpack  # type: ignore[import-untyped]

    found: dict[str, dict[int, object]] = {}
    with path.open("rb") as stream:
        unpacker = msgpack.Unpacker(stream, raw=False, strict_map_key=False)
        for _ in range(unpacker.read_map_header()):
            name = unpacker.unpack()
            if name in names:
                table = unpacker.unpack()
                found[name] = table if isinstance(table, dict) else {}
            else:
                unpacker.skip()
    return found


@functools.cache
def dictionary_by_pos(lang: str) -> dict[str, frozenset[str]]:
    """The lemmas of ``lang``'s dictionary per part of speech (``POS``),
    lower case, as the pipeline ships them (first names included); empty
    sets when no pipeline ships one."""
    found: dict[str, set[str]] = {pos: set() for pos in POS}
    path = _lookups_file(lang)
    if path is not None:
        for table in _word_tables(path, _TABLES.get(lang, ("lemma_index",))).values():
            for key, words in table.items():
                pos = _POS_BY_HASH.get(int(key))
                if pos is not None and isinstance(words, (list, dict)):
                    found[pos] |= {w.casefold() for w in words if isinstance(w, str)}
    return {pos: frozenset(words) for pos, words in found.items()}


@functools.cache
def words_by_pos(lang: str) -> dict[str, frozenset[str]]:
    """``dictionary_by_pos`` with the first names left out."""
    names = first_names()
    return {pos: words - names for pos, words in dictionary_by_pos(lang).items()}


# Endings of inflected forms, tried in order to find the lemma: plurals of
# both languages, English past tenses, participles and adverbs.
_ENDINGS = ("s", "x", "es", "ed", "d", "ing", "ly")


def lemma_candidates(word: str) -> list[str]:
    """``word`` lower-cased and the lemmas its inflection may stand for."""
    folded = word.casefold()
    found = [folded]
    for ending in _ENDINGS:
        if folded.endswith(ending) and len(folded) > len(ending) + 2:
            found.append(folded[: -len(ending)])
    return found


def parts_of_speech(word: str, lang: str) -> frozenset[str]:
    """The parts of speech ``word`` (or its lemma) has in ``lang``'s dictionary."""
    table = words_by_pos(lang)
    return frozenset(pos for pos in POS for form in lemma_candidates(word) if form in table[pos])


def is_everyday(word: str, lang: str) -> bool:
    """``word`` is a word of ``lang``'s dictionary, whatever its part of speech."""
    return bool(parts_of_speech(word, lang))


def has_dictionary(lang: str) -> bool:
    """Whether an installed pipeline of ``lang`` ships the word lists (rules
    that need them to tell words from names stand back without them)."""
    return any(words_by_pos(lang).values())
