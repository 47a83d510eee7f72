"""A declaration published in English and German only, served by gardien's fr/en pages.

The notice is served in the languages it is published in; a link in gardien's own
language (/notice/fr) leads to one it is published in; the privacy center, in French,
shows the notice and the declared texts in a published language, marked with it, and
never fails on a text missing in French. A German controller is offered no post-mortem
directives (a right of French law).
"""

from __future__ import annotations

import base64
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gardien.settings import Settings
from gardien.store import Store
from gardien.web import build_runtime, create_app

VEREIN = Path(__file__).parents[1] / "declaration" / "data" / "verein_de.yaml"
FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}


@pytest.fixture
def verein_client(tmp_path: Path, store_urls: object, store: Store) -> Iterator[TestClient]:
    config = tmp_path / "privacy.yaml"
    shutil.copy(VEREIN, config)
    settings = Settings(
        config=config,
        database_url=store_urls.database_url,  # type: ignore[attr-defined]
        keystore_url=store_urls.keystore_url,  # type: ignore[attr-defined]
        master_key=base64.b64encode(os.urandom(32)).decode(),
        redact_preload=False,
    )
    app = create_app(settings, build_runtime(settings, store))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_the_notice_is_served_in_its_languages_only(verein_client: TestClient) -> None:
    german = verein_client.get("/notice/de")
    assert german.status_code == 200
    assert '<html lang="de">' in german.text and "<h1>Datenschutzerklärung</h1>" in german.text
    assert "Bayerisches Landesamt für Datenschutzaufsicht" in german.text
    assert verein_client.get("/notice/en").status_code == 200
    # gardien's pages link to /notice/fr: it leads to a published language.
    moved = verein_client.get("/notice/fr", follow_redirects=False)
    assert moved.status_code == 307 and moved.headers["location"] == "/notice/en"
    missing = verein_client.get("/notice/es")
    assert missing.status_code == 404
    assert missing.json()["detail"] == (
        "the notice is published in en (/notice/en), de (/notice/de)"
    )


def test_the_privacy_center_in_french_shows_the_notice_in_a_published_language(
    verein_client: TestClient,
) -> None:
    page = verein_client.get("/privacy-center/notice", headers=FRENCH)
    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    assert '<div lang="en">' in page.text
    assert (
        "Notre politique de confidentialité est publiée en anglais et en allemand ; elle est "
        "affichée ci-dessous en anglais."
    ) in page.text
    assert "Complaints to a supervisory authority" in page.text
    assert "CNIL" not in page.text


def test_the_privacy_center_in_french_reads_declared_texts_without_french(
    verein_client: TestClient,
) -> None:
    page = verein_client.get("/privacy-center", headers=FRENCH)
    assert page.status_code == 200, page.text
    assert "Operating our website" in page.text  # the purpose open to objection, in English
    assert "Newsletter" in page.text  # the consent that can be withdrawn
    # Post-mortem directives are a right of French law: not offered to a German controller.
    assert "Laisser des directives sur mes données après mon décès" not in page.text
    assert "Informatique et Libertés" not in page.text
