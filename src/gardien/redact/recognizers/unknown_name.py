"""Capitalised words that no dictionary knows, inside an English sentence.

Comments and chats name people by a surname or a nickname alone, with no
title and no context ("lol Bulbulay did it again", "is Tebogo coming?"); the
model misses most of them. Inside a sentence (not at its start, where every
word has a capital), a capitalised word that is neither an English word
(``lexicon.py``: the pipeline's dictionary, inflections included), nor a stop
word, nor chat slang, is a name far more often than anything else: read on
English comments and tweets (issue 16), most such words were people, the
others mostly brands and products. It is reported as a person. At the
start of a sentence such a word counts only as the subject of a verb or as
someone addressed ("Tebogo is cute", "Loey, do you…"): a verb or a comma
follows it. A known product (``products.py``) is no person: it is left out,
or after "at", "chez"… reported as the company.

It scores lowest of all (0.55): it only fills in where nothing else found
anything, and the model's or a rule's label wins where they found the word.
English only: in French business text such words are as often company and
product names the scoring convention leaves out, and the French model finds
names better. Nor where the model gives the word another label than a
person's, a place's or an organisation's ("PlayStation" as a product), nor
in texts written in capitals word after word ("Watch The Best Video Ever"),
where a capital says nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gardien.redact import lexicon
from gardien.redact.gazetteer import common_words
from gardien.redact.not_names import is_chat_word, starts_sentence
from gardien.redact.products import is_product, named_as_company
from gardien.redact.recognizers.base import Recognizer
from gardien.redact.span import ORGANIZATION, PERSON, Explanation, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

# One capitalised word of lower-case letters (camel case is how brands write
# their names: ``organization.py``), not part of a handle, a hashtag, a path,
# an e-mail address or a compound.
_WORD = re.compile(r"(?<![\w@#/.’'\-])[A-Z][a-z]{2,}(?![\w@’'\-]|\.\w)")
#: The model's labels for things that are not people (products, works, events,
#: nationalities, numbers…): a word the model labels so is left to it.
_PEOPLE_OR_PLACES = frozenset({"PERSON", "PER", "ORG", "GPE", "LOC", "FAC"})
_LETTERS = re.compile(r"[^\W\d_]+")
# What follows a name that starts a sentence: a comma (someone addressed) or
# a verb of which it is the subject (an auxiliary, or a verb in -s or -ed:
# ``_SUBJECT_VERB``).
_NEXT_WORD = re.compile(r"[ \t]+([a-z]+)\b")
_NAME_NEXT = re.compile(
    r"[ \t]*,|[ \t]+(?:is|was|has|had|does|did|will|would|can|could|should|must|might"
    r"|looks|seems|says|said|knew|knows|makes|made|wants|needs|gets|got|loves|hates"
    r"|thinks|isn't|wasn't|doesn't|didn't|can't|won't|'s|’s)\b"
)
#: Above this share of capitalised words, a text of this many words or more
#: is written in title case.
_TITLE_CASE_SHARE = 0.6
_TITLE_CASE_MIN_WORDS = 4


class UnknownNameRecognizer(Recognizer):
    """Capitalised words of no dictionary inside English sentences."""

    name = "unknown_name"
    labels = (PERSON, ORGANIZATION)
    SCORE = 0.55
    LANGUAGES = frozenset({"en"})

    def analyze(self, text: str, lang: str, doc: Doc | None = None) -> list[Span]:
        # Without a dictionary every capitalised word would look unknown.
        if lang not in self.LANGUAGES or not lexicon.has_dictionary(lang):
            return []
        words = _LETTERS.findall(text)
        # A text of a few words says little by its capitals ("Bye Capwin!"):
        # title case is judged on longer ones.
        if not words or (
            len(words) >= _TITLE_CASE_MIN_WORDS
            and sum(w[0].isupper() for w in words) >= _TITLE_CASE_SHARE * len(words)
        ):
            return []
        stop = common_words()
        things = (
            [(e.start_char, e.end_char) for e in doc.ents if e.label_ not in _PEOPLE_OR_PLACES]
            if doc is not None
            else []
        )
        spans: list[Span] = []
        for match in _WORD.finditer(text):
            word = match.group()
            start, end = match.span()
            if (
                any(a < end and start < b for a, b in things)
                or word.casefold() in stop
                or is_chat_word(word)
                or lexicon.is_everyday(word, lang)
                or (is_product(word) and not named_as_company(text, start))
            ):
                continue
            pattern = "capitalised word of no dictionary"
            if starts_sentence(text, start, end):
                # At a sentence start every word has a capital: only a word
                # a verb or a comma follows, as a name does ("Tebogo is
                # cute", "Loey, do you…"), not one that starts a phrase.
                if _NAME_NEXT.match(text, end) is None and not _verb_follows(text, end):
                    continue
                pattern += " before a verb or a comma"
            explanation = Explanation(
                recognizer=self.name,
                pattern=pattern,
                original_score=self.SCORE,
                score=self.SCORE,
            )
            # A known product after "at", "chez"… is the company ("works at Zendesk").
            label = ORGANIZATION if is_product(word) else PERSON
            spans.append(Span(start, end, label, self.SCORE, explanation, word))
        return spans


def _verb_follows(text: str, end: int) -> bool:
    """A verb in -s or -ed follows ``end`` ("Pyrion continues", "Womble
    walked"): the dictionary knows its lemma as a verb."""
    following = _NEXT_WORD.match(text, end)
    if following is None:
        return False
    word = following.group(1)
    return word.endswith(("s", "ed")) and "verb" in lexicon.parts_of_speech(word, "en")
