"""The HTML notice is a well-formed, accessible document that escapes every value."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from notice_helpers import parse_html, visible_text

from gardien.declaration.models import Declaration
from gardien.declaration.values import Text
from gardien.notice import render_notice

SCRIPT = "<script>alert('x')</script>"


def with_purpose_text(declaration: Declaration, name: str, description: str) -> Declaration:
    purpose = declaration.purposes["account"].model_copy(
        update={"name": Text(fr=name, en=name), "description": Text(fr=description, en=description)}
    )
    return declaration.model_copy(update={"purposes": {**declaration.purposes, "account": purpose}})


def test_html_is_a_standalone_accessible_document(declaration: Declaration) -> None:
    document = render_notice(declaration, "fr", "html")
    assert document.startswith('<!DOCTYPE html>\n<html lang="fr">')
    parsed = parse_html(document)
    assert parsed.tags.count("h1") == 1
    assert {"nav", "main", "section", "table", "caption", "title"} <= set(parsed.tags)
    # Every link of the table of contents leads to a heading of the page.
    anchors = [h[1:] for h in parsed.hrefs if h.startswith("#")]
    assert anchors and set(anchors) <= set(parsed.ids)
    assert len(parsed.ids) == len(set(parsed.ids))
    assert render_notice(declaration, "en", "html").startswith('<!DOCTYPE html>\n<html lang="en">')


def test_script_in_a_description_is_escaped(declaration: Declaration) -> None:
    changed = with_purpose_text(declaration, "Comptes & <b>clients</b>", f"Avant {SCRIPT} après")
    document = render_notice(changed, "fr", "html")
    assert "<script>" not in document
    assert "&lt;script&gt;" in document
    assert "<b>clients</b>" not in document
    assert f"Avant {SCRIPT} après" in parse_html(document).text
    markdown = render_notice(changed, "fr", "md")
    assert "<script>" not in markdown
    assert f"Avant {SCRIPT} après" in visible_text(markdown, "md")


printable = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40
).filter(lambda s: s.strip() == s and s.strip() != "")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=printable, description=printable)
def test_any_purpose_text_round_trips_escaped(
    declaration: Declaration, name: str, description: str
) -> None:
    document = render_notice(with_purpose_text(declaration, name, description), "en", "html")
    parsed = parse_html(document)
    text = parsed.text
    assert " ".join(name.split()) in text
    # The notice starts a description with a capital letter: compare the rest.
    assert " ".join(description.split())[1:] in text
    # Nothing the text holds becomes markup: the tags are those of the template.
    baseline = parse_html(render_notice(declaration, "en", "html")).tags
    assert parsed.tags == baseline
