"""The notice speaks in the controller's jurisdiction and in the languages it publishes.

A German association's declaration (``tests/declaration/data/verein_de.yaml``,
published in English and German only) gives notices that name the Bavarian
authority, cite the BDSG and TDDDG § 25, and say nothing of the CNIL or of French law;
its two notices, read sentence by sentence, are kept in ``examples/notices/`` and pinned
here. Any EEA controller's notice cites its own country's law or the GDPR only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from gardien.cli import main
from gardien.declaration import load_valid
from gardien.declaration.jurisdiction import authorities, authority_for
from gardien.declaration.models import Declaration
from gardien.declaration.taxonomy import transfer_rules
from gardien.errors import RenderError
from gardien.notice import published_language, render_notice
from gardien.notice import vocabulary as v
from gardien.notice.labels import KINDS, german_labels, taxonomy_labels
from gardien.notice.provenance import notice_blocks, undeclared_sources
from gardien.notice.wording import language_name

ROOT = Path(__file__).parents[2]
VEREIN = ROOT / "tests" / "declaration" / "data" / "verein_de.yaml"
SAVED = ROOT / "examples" / "notices"
FRENCH_LAW = re.compile(r"CNIL|78-17|Informatique et Libert|French Data Protection|français", re.I)


@pytest.fixture(scope="module")
def verein() -> Declaration:
    return load_valid(VEREIN)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_reviewed_notices_are_what_gardien_writes(verein: Declaration, lang: str) -> None:
    """The notices read sentence by sentence (examples/notices) stay as they were read."""
    saved = (SAVED / f"verein_de.notice.{lang}.md").read_text("utf-8")
    assert render_notice(verein, lang, "md") == saved  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_no_french_law_and_no_cnil_in_a_german_controllers_notice(
    verein: Declaration, lang: str, fmt: str
) -> None:
    text = render_notice(verein, lang, fmt)  # type: ignore[arg-type]
    assert FRENCH_LAW.search(text) is None
    assert "Bayerisches Landesamt für Datenschutzaufsicht (BayLDA)" in text
    assert "Promenade 18, 91522 Ansbach" in text
    assert "BDSG" in text and "TDDDG" in text


def test_the_german_notice_says_what_a_german_lawyer_expects(verein: Declaration) -> None:
    text = render_notice(verein, "de", "md")
    for sentence in [
        # The law: the GDPR completed by the BDSG, cited the German way.
        "ergänzend gilt das Bundesdatenschutzgesetz (BDSG).",
        "Ihre Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)",
        "unsere berechtigten Interessen (Art. 6 Abs. 1 lit. f DSGVO)",
        "(Art. 15 DSGVO, mit den Einschränkungen nach § 34 BDSG)",
        "(Art. 17 DSGVO, mit den Einschränkungen nach § 35 BDSG)",
        # The complaint: the Land's authority, and Art. 77's three places.
        "- Bayerisches Landesamt für Datenschutzaufsicht (BayLDA), Promenade 18, 91522 Ansbach;",
        "in dem Sie Ihren gewöhnlichen Aufenthalt oder Ihren Arbeitsplatz haben oder in dem "
        "der mutmaßliche Verstoß begangen wurde.",
        # Cookies: TDDDG § 25, not the French article 82.
        "nach § 25 Abs. 2 Nr. 2 TDDDG bedürfen sie keiner Einwilligung.",
        # German grammar: dative and genitive, determiners in lower case, nouns capitalised.
        "bis zum Widerruf der Einwilligung, danach Löschung.",
        "14 Tage nach der Erhebung, danach Löschung.",
        "unsere Hausbank (Dritter, eigenständig Verantwortlicher)",
        "Wir beantworten Ihren Antrag innerhalb eines Monats nach Eingang.",
        "**Berechtigtes Interesse:** Stabile Auslieferung unserer Website",
        "Wortlaut: „Ich möchte den Newsletter",
        "Fassung 2.1, gültig ab 1. November 2026",
    ]:
        assert sentence in text, sentence
    assert "Verfügungen für den Todesfall" not in text  # French law only


def test_the_right_to_object_is_set_apart_in_german(verein: Declaration) -> None:
    """Art. 21(4): brought to attention clearly and separately from other information."""
    text = render_notice(verein, "de", "md")
    section = text.split("## Ihr Widerspruchsrecht nach Art. 21 DSGVO", 1)[1]
    section = section.split("\n## ", 1)[0]
    assert (
        "**Widerspruch aus Gründen Ihrer besonderen Situation (Art. 21 Abs. 1 DSGVO).**" in section
    )
    assert "Dies betrifft folgende Verarbeitungen: Betrieb unserer Website." in section
    assert "**Widerspruch gegen Direktwerbung (Art. 21 Abs. 2 und 3 DSGVO).**" in section
    assert "Dies betrifft: Newsletter." in section
    # The list of rights points to it rather than repeating it.
    rights = text.split("## Ihre Rechte", 1)[1].split("\n## ", 1)[0]
    assert "siehe den gesonderten Hinweis „Ihr Widerspruchsrecht nach Art. 21 DSGVO“" in rights


def test_the_english_notice_names_the_authority_in_english_too(verein: Declaration) -> None:
    text = render_notice(verein, "en", "md")
    assert (
        "- Bayerisches Landesamt für Datenschutzaufsicht (BayLDA), the Bavarian State Office "
        "for Data Protection Supervision, Promenade 18, 91522 Ansbach, Germany;"
    ) in text
    assert "the German Federal Data Protection Act (Bundesdatenschutzgesetz, BDSG)" in text
    assert "Under Section 25(2) of the German Telecommunications Digital Services Data" in text
    assert "Instructions after death" not in text


@pytest.mark.parametrize(
    ("lang", "label"), [("de", "Beschwerde online: "), ("en", "complaints online (in German): ")]
)
def test_the_notices_give_the_bavarian_authoritys_complaint_page(
    verein: Declaration, lang: str, label: str
) -> None:
    """The BayLDA's complaint page is recorded: a person can complain from the notice."""
    page = "https://www.lda.bayern.de/de/beschwerde.html"
    md = render_notice(verein, lang, "md")  # type: ignore[arg-type]
    assert f"- {label}[{page}](<{page}>);" in md
    html = render_notice(verein, lang, "html")  # type: ignore[arg-type]
    assert f'href="{page}"' in html


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_german_or_english_block_cites_only_what_is_declared(
    verein: Declaration, lang: str, fmt: str
) -> None:
    blocks = notice_blocks(verein, lang, fmt)  # type: ignore[arg-type]
    assert len(blocks) > 40
    assert undeclared_sources(verein, blocks) == []


def test_german_and_english_say_the_same_things_from_the_same_declaration(
    verein: Declaration,
) -> None:
    """German adds only the section on objection (Art. 21(4)); every path cited in one is
    cited in the other."""
    paths = {
        lang: {p for b in notice_blocks(verein, lang, "md") for p in b.paths}  # type: ignore[arg-type]
        for lang in ("en", "de")
    }
    assert paths["en"] == paths["de"]
    md = [b.text for b in notice_blocks(verein, "de", "md")]
    html = [b.text for b in notice_blocks(verein, "de", "html")]
    assert md == html


def test_a_language_the_declaration_does_not_publish_is_refused(verein: Declaration) -> None:
    with pytest.raises(RenderError) as caught:
        render_notice(verein, "fr", "md")
    assert str(caught.value) == (
        'this declaration does not publish its notice in "fr" (notice.languages: [en, de]): '
        "choose one of en, de, or add fr to notice.languages and write every text in it"
    )
    assert published_language(verein, "fr") == "en"
    assert published_language(verein, "de") == "de"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    captured = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 0), captured.out, captured.err


def test_the_cli_refuses_an_unpublished_language_and_defaults_to_the_first(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = _run(capsys, "notice", str(VEREIN), "--lang", "fr")
    assert code != 0
    assert 'does not publish its notice in "fr" (notice.languages: [en, de])' in err
    assert "Traceback" not in err
    code, out, err = _run(capsys, "notice", str(VEREIN))
    assert code == 0, err
    assert out.startswith("# Privacy notice")


def test_rendering_refuses_texts_missing_in_the_language(tmp_path: Path) -> None:
    """A declaration loaded without `validate` cannot mix languages silently."""
    data = yaml.safe_load(VEREIN.read_text("utf-8"))
    del data["purposes"]["newsletter"]["name"]["de"]
    path = tmp_path / "privacy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    from gardien.declaration import load

    with pytest.raises(RenderError, match=r'no notice in "de": 1 declared text\(s\) have no de'):
        render_notice(load(path), "de", "md")
    assert "Newsletter" in render_notice(load(path), "en", "md")


# Any EEA controller ----------------------------------------------------------------------


def _controller_in(country: str, write_declaration: Callable[..., Path]) -> Declaration:
    def mutate(d: dict[str, Any]) -> None:
        d["controller"].pop("supervisory_authority")
        d["controller"]["country"] = country
        d["controller"]["legal_form"] = {"fr": "Société", "en": "Company"}
        if country == "DE":
            d["controller"]["region"] = "DE-NW"

    return load_valid(write_declaration(mutate, name=f"{country}.yaml"))


@pytest.mark.parametrize("country", sorted(transfer_rules().eea))
def test_every_eea_controller_cites_its_own_law_or_the_gdpr_only(
    country: str, write_declaration: Callable[..., Path]
) -> None:
    declaration = _controller_in(country, write_declaration)
    for lang in ("fr", "en"):
        text = render_notice(declaration, lang, "md")  # type: ignore[arg-type]
        french = bool(re.search(r"78-17|Informatique et Libert|French Data Protection Act", text))
        german = "BDSG" in text or "TDDDG" in text
        assert french is (country == "FR"), (country, lang)
        assert german is (country == "DE"), (country, lang)
        assert ("CNIL" in text) is (country == "FR"), (country, lang)
        # Post-mortem directives are a French right only.
        assert ("post mortem" in text or "after death" in text) is (country == "FR")
        if country not in ("FR", "DE"):
            assert "2002/58" in text  # cookies: the ePrivacy Directive as transposed


@pytest.mark.parametrize("country", ["BE", "EE", "IE", "NO", "SE"])
def test_the_notice_gives_the_authoritys_complaint_page_when_one_is_recorded(
    country: str, write_declaration: Callable[..., Path]
) -> None:
    """In English, the English complaint page where the authority has one apart; where no
    page is recorded (Estonia), the website alone and no 'online' line."""
    declaration = _controller_in(country, write_declaration)
    found = authority_for(country)
    assert found is not None
    for lang, online in (("en", "- complaints online"), ("fr", "- réclamation en ligne")):
        text = render_notice(declaration, lang, "md")  # type: ignore[arg-type]
        assert f"(<{found.website}>)" in text  # the website, always
        page = (lang == "en" and found.complaint_url_en) or found.complaint_url
        lines = [line for line in text.splitlines() if line.startswith(online)]
        if page is None:
            assert lines == [], (country, lang)
        else:
            # (In which language the page is written: pinned by the test below.)
            [line] = lines
            assert f"[{page}](<{page}>)" in line, (country, lang, line)


def _verein_in(country: str, tmp_path: Path) -> Declaration:
    """The German association (published in English and German), moved to ``country``."""
    data = yaml.safe_load(VEREIN.read_text("utf-8"))
    data["controller"]["country"] = country
    data["controller"].pop("region", None)
    path = tmp_path / f"verein-{country}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return load_valid(path)


# The complaint page is linked as recorded; a reader of another language is told in which
# language it is written, so that a link to a form in Swedish is not a surprise.
LANGUAGE_OF_THE_PAGE = [
    # An English notice: the authority's English page apart needs no word (CNIL, Norway);
    # nor does a page in English recorded as the only one (Bulgaria, Ireland).
    ("FR", "en", "- complaints online: "),
    ("NO", "en", "- complaints online: "),
    ("BG", "en", "- complaints online: "),
    ("IE", "en", "- complaints online: "),
    ("SE", "en", "- complaints online (in Swedish): "),
    ("SK", "en", "- complaints online (in Slovak): "),
    ("PT", "en", "- complaints online (in Portuguese): "),
    # A French notice: only a French page needs no word.
    ("FR", "fr", "- réclamation en ligne : "),
    ("LU", "fr", "- réclamation en ligne : "),
    ("NO", "fr", "- réclamation en ligne (en norvégien) : "),
    ("BG", "fr", "- réclamation en ligne (en anglais) : "),
    ("IE", "fr", "- réclamation en ligne (en anglais) : "),
    ("SI", "fr", "- réclamation en ligne (en slovène) : "),
]


@pytest.mark.parametrize(("country", "lang", "label"), LANGUAGE_OF_THE_PAGE)
def test_the_notice_says_in_which_language_the_complaint_page_is(
    country: str, lang: str, label: str, write_declaration: Callable[..., Path]
) -> None:
    declaration = _controller_in(country, write_declaration)
    text = render_notice(declaration, lang, "md")  # type: ignore[arg-type]
    online = "- complaints online" if lang == "en" else "- réclamation en ligne"
    [line] = [line for line in text.splitlines() if line.startswith(online)]
    assert line.startswith(label), line


@pytest.mark.parametrize(
    ("country", "lang", "label"),
    [
        ("AT", "de", "- Beschwerde online: "),  # the Austrian form is in German
        ("AT", "en", "- complaints online (in German): "),
        ("NL", "de", "- Beschwerde online (auf Niederländisch): "),
        ("BG", "de", "- Beschwerde online (auf Englisch): "),
        ("BE", "en", "- complaints online: "),  # Belgium's English page
        ("BE", "de", "- Beschwerde online (auf Französisch): "),
    ],
)
def test_a_german_notice_says_it_too(country: str, lang: str, label: str, tmp_path: Path) -> None:
    text = render_notice(_verein_in(country, tmp_path), lang, "md")  # type: ignore[arg-type]
    assert any(line.startswith(label) for line in text.splitlines()), label
    html = render_notice(_verein_in(country, tmp_path), lang, "html")  # type: ignore[arg-type]
    assert label.removeprefix("- ").split(":")[0] in html


def test_every_language_an_authority_writes_in_has_its_name_in_each_notice_language() -> None:
    for a in authorities().values():
        for code in (a.language, a.complaint_language):
            for lang in ("fr", "en", "de"):
                name = language_name(code, lang)  # type: ignore[arg-type]
                assert name.strip() and name == name.strip(), (a.key, code, lang)
                # German writes a language after „auf“ with a capital; French and English
                # as a French and English sentence do.
                assert name[0].isupper() is (lang != "fr"), (code, lang, name)


# German data -----------------------------------------------------------------------------


def test_every_term_has_its_german_wording() -> None:
    tables = [
        v.LEGAL_BASES, v.LEGAL_BASES_SHORT, v.ART9_CONDITIONS, v.SPECIAL_CATEGORIES, v.ROLES,
        v.REGISTER_ROLE_GROUPS, v.SAFEGUARDS, v.VERIFICATION, v.REQUIREMENTS, v.HOSTING,
        v.SOURCE_KINDS, v.EVENTS, v.DATA_FORMS, v.ART22_EXCEPTIONS,
    ]  # fmt: skip
    for table in tables:
        german = v.german_table(table)
        assert german is not None
        assert set(german) == set(table)
        for key in table:
            assert v.term(table, key, "de") not in (v.term(table, key, "en"), key)


def test_every_shipped_label_and_country_has_its_german_name() -> None:
    for kind in KINDS:
        assert set(german_labels()[kind]) == set(taxonomy_labels()[kind])
    data = resources.files("gardien.notice").joinpath("data")
    countries = json.loads(data.joinpath("countries.json").read_text("utf-8"))
    german = json.loads(data.joinpath("countries.de.json").read_text("utf-8"))
    assert set(german) == set(countries)


def test_the_german_notice_writes_every_item_of_the_checklist(verein: Declaration) -> None:
    from gardien.declaration.transparency import CHECKLIST
    from gardien.notice import ART_13_14_ITEMS
    from gardien.notice.items_de import GERMAN_PHRASES

    assert set(GERMAN_PHRASES) == set(CHECKLIST)
    for fmt in ("md", "html"):
        text = render_notice(verein, "de", fmt)  # type: ignore[arg-type]
        text = re.sub(r"<[^>]+>", "", text).replace("**", "")
        for item in ART_13_14_ITEMS:
            phrase, absent = GERMAN_PHRASES[item.key]
            if item.applies(verein):
                assert phrase in text, (item.key, fmt)
            elif absent is not None:
                assert absent in text, (item.key, fmt)


@pytest.mark.parametrize("country", ["FR", "IT", "DE"])
def test_a_decision_authorised_by_law_cites_french_law_only_in_france(
    country: str, write_declaration: Callable[..., Path]
) -> None:
    def mutate(d: dict[str, Any]) -> None:
        d["controller"].pop("supervisory_authority")
        d["controller"]["country"] = country
        d["controller"]["region"] = "DE-BE" if country == "DE" else None
        if d["controller"]["region"] is None:
            del d["controller"]["region"]
        d["purposes"]["security"]["automated_decision"] = {
            "logic": {"fr": "Un score de risque.", "en": "A risk score."},
            "significance": {"fr": "Un accès bloqué.", "en": "Access blocked."},
            "exception": "authorised_by_law",
        }

    declaration = load_valid(write_declaration(mutate))
    english = render_notice(declaration, "en", "md")
    french = render_notice(declaration, "fr", "md")
    if country == "FR":
        assert "it is authorised by EU or French law" in english
        assert "le droit de l'Union européenne ou le droit français" in french
    else:
        assert "it is authorised by Union or Member State law to which we are subject" in english
        assert "droit de l'Union européenne ou de l'État membre auquel nous sommes soumis" in french
        assert "French law" not in english and "droit français" not in french
