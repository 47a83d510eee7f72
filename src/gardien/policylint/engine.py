"""``lint_policy``: read a policy text, say what it lacks, what is broken, what contradicts.

The steps are: choose the language, segment the text with that language's
spaCy pipeline, detect each Art. 13/14 item, find defects of the text, and,
given a declaration, the contradictions between the two. The language
detector and the pipeline loader are the redaction room's (one of each in
gardien); the lint asks for the pipeline's grammar, not its entities.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gardien.errors import PolicyLintError, RedactionError
from gardien.policylint.against import find_contradictions
from gardien.policylint.defects import find_defects
from gardien.policylint.detect import detect_items
from gardien.policylint.report import LintReport
from gardien.policylint.segment import segment
from gardien.redact.language import SUPPORTED, detect_language
from gardien.redact.nlp import PipelineUse, load_pipeline

if TYPE_CHECKING:
    from spacy.language import Language

    from gardien.declaration.models import Declaration


def grammar_pipeline(lang: str) -> Language:
    """The parsing pipeline for ``lang`` (``"fr"`` or ``"en"``), loaded once per process."""
    try:
        return load_pipeline(lang, PipelineUse.GRAMMAR)
    except RedactionError as exc:
        raise PolicyLintError(
            f"{exc.message}; or pass --lang with a language whose pipeline is installed"
        ) from None


def lint_policy(
    text: str, *, lang: str = "auto", declaration: Declaration | None = None
) -> LintReport:
    """Check a privacy policy against Art. 13/14 GDPR and, if given, against ``declaration``.

    ``text`` is the policy as read (see ``read_policy``); every offset in the
    report is an offset in it. ``lang`` is ``"fr"``, ``"en"`` or ``"auto"``.
    """
    if not text.strip():
        raise PolicyLintError("the policy text is empty; there is nothing to check")
    if lang == "auto":
        lang = detect_language(text)
    if lang not in SUPPORTED:
        raise PolicyLintError(f"language {lang!r} is not supported: use 'auto', 'fr' or 'en'")
    doc = segment(text, lang, grammar_pipeline(lang))
    items = detect_items(doc)
    defects = find_defects(doc, items)
    if declaration is not None:
        defects += find_contradictions(doc, items, declaration)
    defects.sort(key=lambda d: (d.start, d.kind))
    return LintReport(lang, text, items, tuple(defects))
