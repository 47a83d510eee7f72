"""What to write instead, for each YAML syntax error a person can make in ``privacy.yaml``.

PyYAML says what its parser met ("mapping values are not allowed here",
"expected ',' or '}', but got ':'"); a DPO needs to know what to change. This
module turns each of PyYAML's syntax errors into one sentence that says what
is wrong in YAML's own terms and what to write instead, and chooses the line
a reader should look at: an unclosed quote is reported where it opens, not
at the end of the file where the parser gave up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml


@dataclass(frozen=True)
class SyntaxHint:
    """One YAML syntax error explained: where to look and what to write."""

    line: int
    column: int
    message: str


#: (what PyYAML says went wrong, what it was parsing) → what to write instead. The first
#: match wins; ``{opened}`` is the line where the construct being parsed opened.
_HINTS: tuple[tuple[str, str, str], ...] = (
    (
        r"^found character '\\t'",
        "",
        "a tab: YAML indents with spaces only; replace the tab by spaces",
    ),
    (
        r"^found unexpected end of stream",
        "quoted scalar",
        "a quote opened here is never closed: close it on the same text "
        '(name: "Nom, prénom"), or write an apostrophe inside single quotes twice '
        "('l''exemple')",
    ),
    (
        r"^expected ',' or '\}', but got ':'",
        "flow mapping",
        "inside {…} (opened at line {opened}) a colon followed by a space starts a new key: "
        'put a text that contains ": " in quotes (fr: "Note : …"), and check that the '
        "{…} is closed by } on its line",
    ),
    (
        r"^expected ',' or '\]', but got",
        "flow sequence",
        "the list […] opened at line {opened} is not closed where expected: close it with ], "
        'and put an entry that contains ": " or "," in quotes',
    ),
    (
        r"^expected ',' or '\}'",
        "flow mapping",
        "the {…} opened at line {opened} is not closed where expected: close it with }, and "
        'put a text that contains a comma or ": " in quotes (fr: "Nom, prénom")',
    ),
    (
        r"^mapping values are not allowed here",
        "",
        "a colon followed by a space inside a value starts a new key: put the whole value in "
        'quotes (en: "Note: …"); or, if this line is a key of its own, indent it like the '
        "keys beside it",
    ),
    (
        r"^could not find expected ':'",
        "simple key",
        "this line is neither `key: value` nor a list entry `- value`: add the colon "
        "after the key, or put a text that runs over several lines in quotes",
    ),
    (
        r"^expected <block end>, but found '<scalar>'",
        "",
        "text follows a value that already ended (often a closing quote inside the text, "
        "as in 'l'exemple'): put the whole value in double quotes (\"l'exemple\"), or "
        "double the inner apostrophe inside single quotes ('l''exemple')",
    ),
    (
        r"^expected <block end>, but found '(-|<block sequence start>)'",
        "",
        "a list entry `- …` where a key was expected: indent the list under its key "
        "(key:, then `  - value` on the lines below), with every entry at the same indentation",
    ),
    (
        r"^expected <block end>, but found",
        "",
        "this line's indentation does not match the lines above: indent each key by the "
        "same number of spaces as the other keys of its mapping (two more than its parent)",
    ),
    (
        r"^did not find expected key",
        "",
        "this line's indentation does not match the lines above: indent each key by the "
        "same number of spaces as the other keys of its mapping",
    ),
    (
        r"^did not find expected '-' indicator",
        "",
        "a list's entries all start with `- ` at the same indentation: align this line "
        "with the entries above it",
    ),
    (
        r"^found character '(@|`|%)' that cannot start any token",
        "",
        "a value cannot start with @, ` or %: put the value in quotes",
    ),
    (
        r"^expected alphabetic or numeric character",
        "",
        "a value cannot start with * or & (YAML reads them as references): put the value "
        'in quotes ("*important")',
    ),
    (
        r"^found undefined alias",
        "",
        "a value cannot start with * (YAML reads it as a reference to an anchor): put the "
        'value in quotes ("*important")',
    ),
    (
        r"^expected a comment or a line break",
        "",
        "after | or > (a text on the lines below) nothing may follow on the same line: "
        "start the text on the next line, indented",
    ),
)


def _runaway_quote(text: str, limit: int) -> yaml.Token | None:
    """The last quoted value before the error, if it runs over several lines: a quote left
    open swallows the lines below it until the next quote mark, and the parser fails there."""
    last: yaml.Token | None = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= limit:
                break
            if isinstance(token, yaml.ScalarToken):
                last = token
    except yaml.YAMLError:
        pass
    if (
        last is not None
        and getattr(last, "style", None) in ('"', "'")
        and last.end_mark.line > last.start_mark.line
    ):
        return last
    return None


def syntax_hint(exc: yaml.MarkedYAMLError, text: str = "") -> SyntaxHint:
    """The line, column and message for ``exc``: PyYAML's words, then what to write."""
    where = exc.problem_mark or exc.context_mark
    runaway = _runaway_quote(text, where.index) if text and where is not None else None
    if runaway is not None:
        start, end = runaway.start_mark, runaway.end_mark
        return SyntaxHint(
            start.line + 1,
            start.column + 1,
            f"YAML syntax error: the quote opened here closes only at line {end.line + 1}: "
            "close it at the end of this value, or write an apostrophe inside single quotes "
            "twice ('l''exemple')",
        )
    problem_mark = exc.problem_mark or exc.context_mark
    context_mark = exc.context_mark or problem_mark
    problem = exc.problem or exc.context or "invalid YAML"
    context = exc.context or ""
    opened = context_mark.line + 1 if context_mark else 1
    if (
        "flow" in context
        and problem_mark is not None
        and context_mark is not None
        and problem_mark.line != context_mark.line
    ):
        closing = "}" if "mapping" in context else "]"
        return SyntaxHint(
            context_mark.line + 1,
            context_mark.column + 1,
            f"YAML syntax error: the {'{…}' if closing == '}' else '[…]'} opened here is not "
            f"closed on its line (the parser met line {problem_mark.line + 1} first): close it "
            f'with {closing}, and put a text that contains a comma or ": " in quotes',
        )
    for pattern, within, hint in _HINTS:
        if re.search(pattern, problem) and within in context:
            mark = problem_mark
            # An unclosed quote or a line without its colon: the line where it starts.
            if within in ("quoted scalar", "simple key") and context_mark is not None:
                mark = context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            what = hint.replace("{opened}", str(opened))
            return SyntaxHint(line, column, f"YAML syntax error: {problem}; {what}")
    line, column = (problem_mark.line + 1, problem_mark.column + 1) if problem_mark else (1, 1)
    return SyntaxHint(
        line,
        column,
        f"YAML syntax error: {problem}; check this line's indentation and quote any value "
        'that contains ": ", " #", or starts with {, [, *, &, !, @ or a quote',
    )
