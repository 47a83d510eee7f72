"""Removing a declared field removes the sentences that cite it (hypothesis).

Declarations are generated from the starter (``gardien init``'s file) by
dropping and adding optional parts; one declaration path the notice cites is
then removed. If what is left is still a valid declaration, no block of the new
notice may cite that path (or anything under it), in either language, and
every block must still cite only what is declared.
"""

from __future__ import annotations

import copy
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from gardien.declaration import declared_content, validate
from gardien.declaration.models import Declaration
from gardien.notice.provenance import notice_blocks, resolves, undeclared_sources

Data = dict[str, Any]


def _starter() -> Data:
    text = resources.files("gardien.declaration").joinpath("data", "starter.yaml").read_text()
    data: Data = yaml.safe_load(text)
    return data


STARTER = _starter()


@st.composite
def declarations(draw: st.DrawFn) -> Data:
    """The starter with optional parts dropped or added."""
    d = copy.deepcopy(STARTER)
    controller, notice, rights = d["controller"], d["notice"], d["rights"]
    for key in ("legal_form", "registration", "dpo"):
        if draw(st.booleans()):
            controller.pop(key)
    if draw(st.booleans()):
        controller["phone"] = "+33 1 23 45 67 89"
    for key in ("version", "effective_date", "collected_directly"):
        if draw(st.booleans()):
            notice.pop(key)
    if draw(st.booleans()):
        notice["url"] = "https://example.com/privacy"
    if draw(st.booleans()):
        notice["change_notification"] = "email"
    for key in ("newsletter", "security", "invoicing"):
        if draw(st.booleans()):
            d["purposes"].pop(key)
    for purpose in d["purposes"].values():
        for key in ("requirement", "consequence_if_not_provided", "optional_categories"):
            if key in purpose and draw(st.booleans()):
                purpose.pop(key)
                if key == "requirement":
                    purpose.pop("consequence_if_not_provided", None)
        if draw(st.booleans()):
            purpose["recipients"] = []
    if "newsletter" in d["purposes"] and draw(st.booleans()):
        notice.pop("collected_directly", None)
        d["purposes"]["newsletter"]["sources"] = [
            {
                "kind": "third_party",
                "description": {"fr": "nos partenaires", "en": "our partners"},
            }
        ]
    if "invoicing" in d["purposes"] and draw(st.booleans()):
        d["legal_holds"] = {
            "dispute": {
                "reason": {"fr": "un litige en cours", "en": "a pending dispute"},
                "purposes": ["invoicing"],
            }
        }
    measures = draw(st.integers(min_value=0, max_value=2))
    d["security_measures"] = d["security_measures"][:measures]
    if not measures:
        d.pop("security_measures")
    cookies = draw(st.sampled_from(["starter", "none", "absent"]))
    if cookies == "none":
        d["cookies"] = {}
    elif cookies == "absent":
        d.pop("cookies")
    for key in ("extension", "verification", "contact_email"):
        if draw(st.booleans()):
            rights.pop(key)
    if draw(st.booleans()):
        rights["contact_url"] = "https://example.com/privacy/requests"
    if draw(st.booleans()):
        rights["postal_address"] = "1 rue de l'Exemple, 75001 Paris"
    if draw(st.booleans()):
        rights["in_person"] = {
            "fr": "à notre siège, sur rendez-vous",
            "en": "at our office, by appointment",
        }
    if draw(st.booleans()):
        rights["notify_recipients"] = False
    return d


def _load(data: Data) -> Declaration | None:
    """``data`` as a valid declaration, or None when ``gardien validate`` reports an error."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "privacy.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        report = validate(path)
    return report.declaration if report.ok else None


def _remove(content: Any, path: str) -> None:
    """Delete ``path`` from ``content`` (keys may hold dots, as in ``resolves``)."""
    parts = path.split(".")
    node = content
    i = 0
    while True:
        for j in range(len(parts), i, -1):
            key = ".".join(parts[i:j])
            if key in node:
                break
        else:
            raise KeyError(path)
        if j == len(parts):
            del node[key]
            return
        node, i = node[key], j


def _cited_paths(declaration: Declaration) -> list[str]:
    """The declaration paths the notice cites, and their parents; no list items
    (removing one renumbers the others)."""
    content = declared_content(declaration)
    paths: set[str] = set()
    for block in notice_blocks(declaration, "fr", "md"):
        for path in block.paths:
            parts = path.split(".")
            if any(p.isdigit() for p in parts):
                continue
            paths.update(".".join(parts[:n]) for n in range(2, len(parts) + 1))
    return sorted(p for p in paths if resolves(content, p))


@settings(
    max_examples=40,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=declarations(), pick=st.data())
def test_removing_a_declared_field_removes_the_sentences_citing_it(
    data: Data, pick: st.DataObject
) -> None:
    declaration = _load(data)
    assume(declaration is not None)
    assert declaration is not None
    for lang in ("fr", "en"):
        assert undeclared_sources(declaration, notice_blocks(declaration, lang, "md")) == []
    path = pick.draw(st.sampled_from(_cited_paths(declaration)), label="removed")
    content = declared_content(declaration)
    _remove(content, path)
    smaller = _load(content)
    assume(smaller is not None)
    assert smaller is not None
    for lang in ("fr", "en"):
        before = notice_blocks(declaration, lang, "md")
        after = notice_blocks(smaller, lang, "md")
        assert any(path in s or s.startswith(path + ".") for b in before for s in b.sources)
        still = [b for b in after if any(s == path or s.startswith(path + ".") for s in b.sources)]
        assert still == []
        assert undeclared_sources(smaller, after) == []
        # A sentence that cited the removed field is gone, unless something else
        # still declared says the same (an e-mail address given twice).
        gone = {b.text for b in before if path in b.sources} - {b.text for b in after}
        kept = {b.text for b in before if path in b.sources} - gone
        assert all(any(b.text == text and b.sources for b in after) for text in kept)


def test_removing_fields_changes_the_notice() -> None:
    """A positive control: the removal the property relies on is visible in the text."""
    declaration = _load(copy.deepcopy(STARTER))
    assert declaration is not None
    content = declared_content(declaration)
    for path in ("security_measures", "controller.legal_form", "rights.extension"):
        _remove(content, path)
    smaller = _load(content)
    assert smaller is not None
    text = " ".join(b.text for b in notice_blocks(smaller, "fr", "md"))
    assert "chiffrement des données" not in text
    assert "SAS au capital" not in text
    assert "Ce délai peut être prolongé" not in text
    before = " ".join(b.text for b in notice_blocks(declaration, "fr", "md"))
    assert "chiffrement des données" in before and "Ce délai peut être prolongé" in before
