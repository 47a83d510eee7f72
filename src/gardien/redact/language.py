"""A small, explainable language detector for French and English: gardien's only one.

Redaction runs it per paragraph; the policy lint on a whole policy.

It scores the text's words against two short stop-word lists and counts
French diacritics; the language with the higher score wins. No model, no
network, and the decision can be printed (``LanguageGuess.reason``). Texts
with no evidence at all fall back to English, the more common language of
mixed technical text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SUPPORTED = ("fr", "en")


def _wordset(words: str) -> frozenset[str]:
    """The whitespace-separated words of ``words`` (keeps long lists readable)."""
    return frozenset(words.split())


_FR_WORDS = _wordset(
    """le la les un une des du de et est sont au aux ce cette ces je tu il elle nous
    vous ils elles mon ma mes ton ta tes son sa ses notre votre leur leurs qui que
    quoi dans sur pour par avec sans mais ou donc pas ne plus très bien chez été
    avoir être fait suis avons avez ont était sera né née habite appelle merci
    bonjour madame monsieur rue depuis aussi tout tous toute où quand comme"""
)
_EN_WORDS = _wordset(
    """the a an and is are was were be been of to in on at for with without but or
    so not no my your his her its our their we you they he she it this that these
    those which who what where when how have has had do does did will would can
    could should from by as i me him them us am born lives called thanks hello
    dear mr mrs ms street since also all any"""
)
# Letters that are common in French and nearly absent from English.
_FR_DIACRITICS = re.compile(r"[éèêàùçôîïëœ]", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
_DIACRITIC_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """A detected language and the evidence for it."""

    lang: str
    fr_score: float
    en_score: float

    @property
    def reason(self) -> str:
        """One line saying why this language was chosen."""
        return f"{self.lang}: french score {self.fr_score:g}, english score {self.en_score:g}"


def guess_language(text: str) -> LanguageGuess:
    """Score ``text`` as French or English and return the guess with its scores."""
    fr = en = 0.0
    for match in _WORD.finditer(text):
        word = match.group().lower()
        # "l'homme", "d'accord": the elided article is the French evidence.
        head = word.split("'", 1)[0]
        if head in _FR_WORDS or (len(head) == 1 and "'" in word and head in "ldjnmstcq"):
            fr += 1
        if word in _EN_WORDS:
            en += 1
    fr += _DIACRITIC_WEIGHT * len(_FR_DIACRITICS.findall(text))
    lang = "fr" if fr > en else "en"
    return LanguageGuess(lang, fr, en)


def detect_language(text: str) -> str:
    """``"fr"`` or ``"en"``: the language ``text`` is most likely written in."""
    return guess_language(text).lang


# A blank line (possibly holding spaces) ends a paragraph.
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n\s*")
#: How much more evidence one language needs than the other in a paragraph
#: for the paragraph to get its own language; below, a paragraph ("Priya",
#: "Cordialement,") takes the language of the whole text.
MIN_MARGIN = 2.0


def language_segments(text: str) -> list[tuple[int, str, str]]:
    """``text`` as ``(offset, piece, lang)``: runs of paragraphs in one language.

    A support thread quotes an English reply in a French ticket, a feedback
    export mixes both: each paragraph with clear evidence is analysed in its
    own language (the NER model and the context words depend on it), the
    others in the language of the whole text. Joining the pieces gives back
    ``text`` exactly.
    """
    overall = detect_language(text)
    segments: list[tuple[int, str, str]] = []
    start = 0
    ends = [m.end() for m in _PARAGRAPH_END.finditer(text)]
    for end in [*ends, len(text)]:
        if end <= start:
            continue
        guess = guess_language(text[start:end])
        lang = guess.lang if abs(guess.fr_score - guess.en_score) >= MIN_MARGIN else overall
        if segments and segments[-1][2] == lang:
            offset, piece, _ = segments[-1]
            segments[-1] = (offset, piece + text[start:end], lang)
        else:
            segments.append((start, text[start:end], lang))
        start = end
    return segments or [(0, text, overall)]
