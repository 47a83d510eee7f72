"""Settings: one declaration, every variable documented, bad values named."""

from __future__ import annotations

from pathlib import Path

import pytest

from gardien.errors import SettingsError
from gardien.settings import Settings, env_name, settings_table

DOCS = (Path(__file__).parents[1] / "docs" / "settings.md").read_text("utf-8")


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    assert f"`{env_name(name)}`" in DOCS, f"{env_name(name)} is missing from docs/settings.md"


def test_docs_table_is_the_settings_model() -> None:
    # Defaults and descriptions are shown as the model declares them, so a
    # changed default cannot leave the docs page behind.
    assert settings_table() in DOCS


def test_boolean_settings_read_words() -> None:
    assert Settings.from_env({"GARDIEN_REDACT_PRELOAD": "false"}).redact_preload is False
    assert Settings.from_env({}).redact_preload is True
    with pytest.raises(SettingsError, match="GARDIEN_REDACT_PRELOAD"):
        Settings.from_env({"GARDIEN_REDACT_PRELOAD": "maybe"})


def test_environment_then_overrides() -> None:
    settings = Settings.from_env({"GARDIEN_PORT": "9000", "GARDIEN_HOST": "0.0.0.0"}, port=9001)
    assert settings.port == 9001
    assert settings.host == "0.0.0.0"


def test_defaults_sit_beside_the_declaration() -> None:
    settings = Settings.from_env({"GARDIEN_CONFIG": "/srv/privacy/privacy.yaml"})
    assert settings.resolved_database_url == "sqlite:////srv/privacy/gardien.db"
    assert settings.resolved_master_key_file == Path("/srv/privacy/gardien.key")


def test_bad_value_names_the_variable() -> None:
    with pytest.raises(SettingsError, match=r"GARDIEN_PORT: .*see docs/settings\.md"):
        Settings.from_env({"GARDIEN_PORT": "eighty"})


def test_master_key_is_never_shown() -> None:
    settings = Settings.from_env(
        {"GARDIEN_MASTER_KEY": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMyYg=="}
    )
    assert "c2VjcmV0" not in repr(settings)


def test_passwords_in_urls_are_masked_in_repr() -> None:
    settings = Settings.from_env(
        {
            "GARDIEN_DATABASE_URL": "postgresql+psycopg://app:hunter2@db:5432/gardien",
            "GARDIEN_SMTP_URL": "smtps://mailer:s3cr3t@smtp.example.com:465",
        }
    )
    shown = repr(settings)
    assert "hunter2" not in shown and "s3cr3t" not in shown
    assert "postgresql+psycopg://app:***@db:5432/gardien" in shown
