"""People named by a known first name that the model did not tag.

Short messages name people the way people talk: "Kelsey you should…",
"great video Hamish", and, when a text is written without any capital at
all, "emma and ryan"; and in English comments and chats, often in lower case
among capitalised words: "Did you see gaby and diego". The statistical model
misses many such names (no title, no context, no capital). A word that is a known first name
(``gardien.redact.gazetteer``) is reported as a person, with the capitalised
word after it when that word is not an everyday word ("Kelsey Brandt").

It scores below NER and every rule with context: it only fills in where
nothing else found anything, and where NER says the word is a place or an
organisation, NER wins.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gardien.redact.gazetteer import common_words, first_names, lower_case_first_names
from gardien.redact.lexicon import is_everyday
from gardien.redact.recognizers.base import Recognizer
from gardien.redact.span import PERSON, Explanation, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

# A whole word, not part of a handle, a path, an address or a compound ("Kick-off").
_WORD = re.compile(r"(?<![\w@#/.\-])[^\W\d_]{3,}(?![\w@]|\.\w|-[^\W\d_]*[a-z])")
_NEXT = re.compile(r"[ \t]+([^\W\d_][^\W\d_'’\-]+)")


#: Languages where a known first name in lower case is taken in any text: in
#: French, many first names are everyday words in lower case ("marine",
#: "lance", "pierre", "rose"), which the lists of common words do not all hold.
LOWER_CASE_LANGUAGES = frozenset({"en"})


class FirstNameRecognizer(Recognizer):
    """Known first names, capitalised, or in lower case in a text with no
    capitals, and in English text in lower case anywhere."""

    name = "first_name"
    labels = (PERSON,)
    SCORE = 0.6

    def analyze(self, text: str, lang: str, doc: Doc | None = None) -> list[Span]:
        names = first_names()
        lower_names = lower_case_first_names()
        # A text written in lower case throughout names people in lower case too.
        lower_text = not any(c.isupper() for c in text)
        spans: list[Span] = []
        for match in _WORD.finditer(text):
            word = match.group()
            if word.casefold() not in names:
                continue
            capitalised = word[0].isupper() and word[1:].islower()
            lower = word.islower()
            if not capitalised and not (
                lower_text or (lower and lang in LOWER_CASE_LANGUAGES and word in lower_names)
            ):
                continue
            start, end = match.span()
            following = _NEXT.match(text, end)
            if following is not None and _is_surname(
                following.group(1), capitalised, lower_text, lang
            ):
                end = following.end(1)
            explanation = Explanation(
                recognizer=self.name,
                pattern="known first name",
                original_score=self.SCORE,
                score=self.SCORE,
            )
            spans.append(Span(start, end, PERSON, self.SCORE, explanation, text[start:end]))
        return spans


def _is_surname(word: str, after_capital: bool, lower_text: bool, lang: str) -> bool:
    """``word``, right after a known first name, is its surname.

    A capitalised word is, unless it is an everyday word ("Kelsey Brandt",
    not "Kelsey Thanks"). A word in lower case is where the first name is
    lower case too in a text with no capitals ("emma watson"), and, in the
    languages where names are written in lower case (``LOWER_CASE_LANGUAGES``),
    when it is no word of the dictionary ("Kylie minogue", "paul shrestha"):
    a word of the language after a first name is as likely a verb ("simon
    wears glasses", "conor makes millions").
    """
    if word.casefold() in common_words():
        return False
    if word[0].isupper() and word[1:].islower():
        return after_capital or lower_text
    if not word.islower() or is_everyday(word, lang):
        return False
    return lower_text or (lang in LOWER_CASE_LANGUAGES and len(word) >= 3)
