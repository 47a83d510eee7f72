"""The console's register for a German association publishing in English and German.

The console's own pages are in French or English; the register is shown in a language
the declaration publishes in: the page's when it can, else English, else the first;
German on request (``?in=de``); French, which it does not publish, refused.
"""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

import pytest
from console_staff import signed_in
from fastapi.testclient import TestClient

from gardien.auth import Role
from gardien.settings import Settings

VEREIN = Path(__file__).parents[2] / "declaration" / "data" / "verein_de.yaml"


@pytest.fixture
def settings(tmp_path: Path, store_urls: object) -> Settings:
    config = tmp_path / "privacy.yaml"
    shutil.copy(VEREIN, config)
    return Settings(
        config=config,
        database_url=store_urls.database_url,  # type: ignore[attr-defined]
        keystore_url=store_urls.keystore_url,  # type: ignore[attr-defined]
        master_key=base64.b64encode(os.urandom(32)).decode(),
        redact_preload=False,
    )


def test_the_german_association_s_register_in_english_then_in_german(
    client: TestClient, staff_accounts: dict[Role, str]
) -> None:
    signed_in(client, Role.DPO)
    # A French page: the association does not publish in French, so English.
    page = client.get("/console/register?lang=fr")
    assert page.status_code == 200
    assert '<div lang="en">' in page.text and "Contract (Art. 6(1)(b) GDPR)" in page.text
    assert "Exécution d" not in page.text and "Base légale" not in page.text
    german = client.get("/console/register?lang=fr&in=de")
    assert german.status_code == 200 and '<div lang="de">' in german.text
    assert "Vertragserfüllung (Art. 6 Abs. 1 lit. b DSGVO)" in german.text
    assert "Löschfristen" in german.text and "Kategorien von Empfängern" in german.text
    assert 'href="?in=en&amp;lang=fr"' in german.text
    refused = client.get("/console/register?lang=fr&in=fr")
    assert refused.status_code == 404
    assert "ne publie pas dans la langue « fr »" in refused.text
    assert 'href="?in=de&amp;lang=fr"' in refused.text
