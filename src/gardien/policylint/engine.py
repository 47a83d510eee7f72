"""``lint_policy``: read a policy text, say what it lacks, what is broken, what contradicts.

The steps are: choose the language, segment the text with that language's
spaCy pipeline, detect each Art. 13/14 item, find defects of the text, and,
given a declaration, the contradictions between the two.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gardien.errors import PolicyLintError
from gardien.policylint.against import find_contradictions
from gardien.policylint.defects import find_defects
from gardien.policylint.detect import detect_items
from gardien.policylint.pipeline import SUPPORTED_LANGUAGES, detect_language, load_pipeline
from gardien.policylint.report import LintReport
from gardien.policylint.segment import segment

if TYPE_CHECKING:
    from gardien.declaration.models import Declaration


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
    if lang not in SUPPORTED_LANGUAGES:
        raise PolicyLintError(f"language {lang!r} is not supported: use 'auto', 'fr' or 'en'")
    doc = segment(text, lang, load_pipeline(lang))
    items = detect_items(doc)
    defects = find_defects(doc, items)
    if declaration is not None:
        defects += find_contradictions(doc, items, declaration)
    defects.sort(key=lambda d: (d.start, d.kind))
    return LintReport(lang, text, items, tuple(defects))
