"""The access package's readable page: every Art. 15 item, in French and English, escaped.

For each of the five example companies and both languages, the page is
valid, balanced HTML with a ``lang`` attribute, holds no reference to any
outside file, shows one section per Art. 15 item with the declaration's own
facts in it, and says nothing in the other language. A person with no
records is told so plainly.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from gardien.connectors import RowsExport, close_all, locate, open_datastores, plan_for
from gardien.declaration import Declaration, load, load_valid
from gardien.demo import build
from gardien.errors import RenderError
from gardien.requests.article15 import ConsentEntry, article15_information
from gardien.requests.summary import SECTIONS, render_summary

EXAMPLES_DIR = Path(__file__).parents[2] / "examples"
EXAMPLES = ["viky", "ai-feedback", "amikeo", "activeviam", "komin"]
LANGS = ["fr", "en"]
AT = dt.datetime(2026, 3, 15, 9, 30, tzinfo=dt.UTC)
RECEIPT = "5e" * 16
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

# Words of the other language the page's own text and labels must never show.
FRENCH = ["données", "vous", "votre", "vos", "finalité", "destinataire", "conservation", "droit",
          "consentement", "traitement", "les", "des", "aucun", "pour"]  # fmt: skip
ENGLISH = ["the", "your", "you", "data", "purpose", "recipient", "retention", "right", "rights",
           "consent", "processing", "and", "with", "none"]  # fmt: skip
NO_RECORDS = {
    "fr": "nous ne détenons aucune donnée personnelle vous concernant",
    "en": "we hold no personal data about you",
}
NO_AUTOMATED = {
    "fr": "Nous ne prenons aucune décision fondée exclusivement sur un traitement automatisé",
    "en": "We take no decision based solely on automated processing",
}


class Page(HTMLParser):
    """The page as a reader and a validator see it: text, tags balanced, ids, references."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.errors: list[str] = []
        self.parts: list[str] = []
        self.ids: dict[str, str] = {}
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.open.append(tag)
        self._in_style = tag == "style"
        if dict(attrs).get("id"):
            self.ids[str(dict(attrs)["id"])] = tag

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.open[-1] if self.open else None}>")
            return
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if not self._in_style:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def parse(document: str) -> Page:
    page = Page()
    page.feed(document)
    page.close()
    assert page.errors == [] and page.open == [], (page.errors, page.open)
    return page


def _example(name: str) -> Declaration:
    return load_valid(EXAMPLES_DIR / f"{name}.yaml")


def _information(declaration: Declaration, lang: str, found: Any = None) -> dict[str, Any]:
    if found is None:
        found = {
            (d, c): 3 for d, store in declaration.datastores.items() for c in store.collections
        }
    purpose = next(iter(declaration.purposes))
    consents = [ConsentEntry(purpose, "withdrawn", AT, None, RECEIPT, channel="web")]
    return article15_information(
        declaration,
        lang,  # type: ignore[arg-type]
        datastores_found=found,
        consents=consents,
        generated_at=AT,
    )


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _untranslated(info: dict[str, Any]) -> list[str]:
    """Values given in one language only (names, addresses, identifiers), longest first."""
    values = [
        *_strings(info["controller"]),
        *_strings(info["rights"]["contact"]),
        info["complaint"]["authority"],
        info["complaint"]["address"],
        info["transfers"]["copy_from"],
        info["notice_version"],
        *(r["name"] for r in info["recipients"]),
        *(r["safeguard_reference"] or "" for r in info["recipients"]),
        *(c["receipt_id"] or "" for c in info["consents"]["current"]),
    ]
    for collection in info["found"]["collections"]:
        values += [collection["datastore"], collection["collection"], *collection["files"]]
        values += [f["name"] for f in collection["fields"]]
        if collection["legal_hold"]:
            values.append(collection["legal_hold"]["from_field"])
    return sorted({v for v in values if v}, key=len, reverse=True)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", EXAMPLES)
def test_every_item_is_on_the_page(name: str, lang: str) -> None:
    declaration = _example(name)
    info = _information(declaration, lang)
    document = render_summary(info, lang)  # type: ignore[arg-type]
    page = parse(document)
    assert document.startswith("<!DOCTYPE html>")
    html = next(attrs for tag, attrs in page.tags if tag == "html")
    assert html["lang"] == lang
    assert page.tags[0:3] == [
        ("html", {"lang": lang}),
        ("head", {}),
        ("meta", {"charset": "utf-8"}),
    ]
    for section in SECTIONS:
        assert page.ids.get(section.value) == "section" and page.ids.get(f"h-{section}") == "h2"
    text = page.text
    assert declaration.controller.name in text
    for collection in info["found"]["collections"]:
        assert f"{collection['datastore']} / {collection['collection']}" in text
        for file_name in collection["files"]:
            assert file_name in text
    for purpose in info["purposes"]:
        assert purpose["name"] in text
        assert purpose["legal_basis_label"][1:] in text  # the head of the cell is capitalised
    for category in info["categories"]["concerned"]:
        assert category["label"] in text
    for recipient in info["recipients"]:
        assert recipient["name"] in text and recipient["service"] in text
    for recipient in info["transfers"]["recipients"]:
        assert recipient["safeguard"][1:] in text  # capitalised at the head of its cell
    for entry in info["retention"]["purposes"]:
        assert entry["period"] in text
    for right in info["rights"]["rights"]:
        assert right["label"] in text
    assert info["rights"]["contact"]["email"] in text
    assert info["complaint"]["authority"] in text and info["complaint"]["address"] in text
    for source in info["sources"]["sources"]:
        assert source["description"] in text
    if not info["automated_decisions"]:
        assert NO_AUTOMATED[lang] in text
    assert RECEIPT in text
    assert NO_RECORDS[lang] not in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", EXAMPLES)
def test_no_word_of_the_other_language(name: str, lang: str) -> None:
    info = _information(_example(name), lang)
    text = parse(render_summary(info, lang)).text  # type: ignore[arg-type]
    for value in _untranslated(info):
        text = text.replace(value, " ")
    words = set(re.findall(r"[^\W\d_]+", text.lower()))
    assert words & set(ENGLISH if lang == "fr" else FRENCH) == set()
    assert words >= set(FRENCH if lang == "fr" else ENGLISH) - {"aucun", "none"}  # the lists bite


@pytest.mark.parametrize("lang", LANGS)
def test_a_person_with_no_records_is_told_so_plainly(
    lang: str, write_declaration: Callable[..., Path]
) -> None:
    declaration = load(write_declaration())
    info = _information(declaration, lang, found=[])
    page = parse(render_summary(info, lang))  # type: ignore[arg-type]
    assert NO_RECORDS[lang] in page.text
    assert "records/" not in page.text
    # ... and still gets the Art. 15 information.
    for section in SECTIONS:
        assert section.value in page.ids
    assert info["purposes"][0]["name"] in page.text
    assert info["retention"]["purposes"][0]["period"] in page.text
    assert info["complaint"]["authority"] in page.text
    assert info["categories"]["declared"][0]["label"] in page.text


INJECTED = "<script>alert('x')</script>"


def test_values_are_escaped() -> None:
    info = copy.deepcopy(_information(_example("komin"), "fr"))
    collection = info["found"]["collections"][0]
    collection["collection"] = INJECTED
    collection["fields"][0]["name"] = INJECTED
    collection["categories"][0]["label"] = INJECTED
    collection["fields"][0]["categories"][0]["label"] = INJECTED
    info["categories"]["concerned"][0]["label"] = INJECTED
    info["purposes"][0]["name"] = INJECTED
    info["controller"]["name"] = INJECTED
    info["rights"]["contact"]["email"] = 'a@b.fr" onclick="alert(1)'
    document = render_summary(info, "fr")
    page = parse(document)
    assert "<script" not in document and 'onclick="' not in document
    assert all(tag != "script" for tag, _ in page.tags)
    assert document.count("&lt;script&gt;") >= 7
    assert INJECTED in page.text  # shown as text, as written


def test_a_category_label_from_the_declaration_is_escaped(
    write_declaration: Callable[..., Path],
) -> None:
    def label(data: dict[str, Any]) -> None:
        key = next(iter(data["data_categories"]))
        data["data_categories"][key]["label"] = {"fr": INJECTED, "en": INJECTED}

    declaration = load(write_declaration(label))
    for lang in LANGS:
        document = render_summary(_information(declaration, lang, found=[]), lang)  # type: ignore[arg-type]
        assert "<script" not in document and INJECTED in parse(document).text


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_is_self_contained(lang: str) -> None:
    document = render_summary(_information(_example("amikeo"), lang), lang)  # type: ignore[arg-type]
    page = parse(document)
    assert not {"link", "script", "img", "iframe", "object", "embed"} & {t for t, _ in page.tags}
    assert "@import" not in document and "url(" not in document
    assert all("src" not in attrs for _, attrs in page.tags)
    for tag, attrs in page.tags:
        if tag == "a":
            href = attrs["href"] or ""
            # In-page anchors, e-mail addresses, and pages to visit (the CNIL's): never a resource.
            assert href.startswith(("#", "mailto:", "https://")), href


def test_the_files_of_a_real_export_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = build(tmp_path / "demo", "komin", people=12, seed=5)
    monkeypatch.setenv("DEMO_DATABASE_URL", demo.database_url)
    declaration = _example("komin")
    export = RowsExport(tmp_path / "package", declaration, lambda text, keep: text)
    connectors = open_datastores(declaration)
    try:
        identities = {kind: [value] for kind, value in demo.identities.items()}
        locate(plan_for(declaration), connectors, identities, on_row=export.add)
    finally:
        close_all(connectors)
    exported = export.finish()
    for lang in LANGS:
        info = article15_information(declaration, lang, datastores_found=exported)  # type: ignore[arg-type]
        page = parse(render_summary(info, lang))  # type: ignore[arg-type]
        rows = {
            tuple(cells)
            for cells in re.findall(
                r"<tr><th scope=\"row\">([^<]*)</th><td>(\d+)</td>",
                render_summary(info, lang),  # type: ignore[arg-type]
            )
        }
        for found in exported:
            assert f"records/{found.json_path.name}" in page.text
            assert f"records/{found.csv_path.name}" in page.text
            assert (f"{found.datastore} / {found.collection}", str(found.rows)) in rows


def test_refusals_say_what_to_change(tmp_path: Path) -> None:
    info = _information(_example("viky"), "en")
    with pytest.raises(RenderError, match='choose "fr", "en" or "de"'):
        render_summary(info, "es")  # type: ignore[arg-type]
    with pytest.raises(RenderError, match=r'the Art\. 15 document is in "en", not "de"'):
        render_summary(info, "de")
    with pytest.raises(RenderError, match="build it with"):
        render_summary({"format": "something else"}, "en")
    with pytest.raises(RenderError, match="does not exist"):
        render_summary(info, "en", template_dir=tmp_path / "missing")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "summary.en.html.j2").write_text("{{ info.nothing.here }}", "utf-8")
    with pytest.raises(RenderError, match="could not be rendered"):
        render_summary(info, "en", template_dir=broken)


def test_a_company_restyles_one_language(tmp_path: Path) -> None:
    (tmp_path / "summary.fr.html.j2").write_text(
        '{% extends "summary.html.j2" %}{% block style %}<style>body{color:#123}</style>'
        "{% endblock %}",
        "utf-8",
    )
    declaration = _example("viky")
    french = render_summary(_information(declaration, "fr"), "fr", template_dir=tmp_path)
    english = render_summary(_information(declaration, "en"), "en", template_dir=tmp_path)
    assert "color:#123" in french and "color:#123" not in english
    assert "Vos droits" in parse(french).text
