"""gardien's settings, declared once as data: name, environment variable, default, help.

The CLI's help, the docs page (``docs/settings.md``, kept in step by a test)
and validation all derive from ``Settings``. Nothing is read from the
environment at import time: ``Settings.from_env()`` is called by the CLI or by
``create_app``.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    IPvAnyNetwork,
    SecretStr,
    ValidationError,
)

from gardien.errors import SettingsError


def _networks(value: object) -> object:
    """Networks read from one environment variable: addresses or CIDRs separated by commas."""
    if not isinstance(value, str):
        return value
    networks = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item))
        except ValueError:
            try:
                hint = f"; did you mean {ipaddress.ip_network(item, strict=False)}?"
            except ValueError:
                hint = " (write addresses or CIDR networks, e.g. 10.0.0.0/8, not host names)"
            raise ValueError(f"{item!r} is not an IP address or network{hint}") from None
    return tuple(networks)


class Settings(BaseModel):
    """Every setting of gardien. Paths are relative to the current directory."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    config: Path = Field(
        default=Path("privacy.yaml"),
        description="The declaration file. The store and key files default to its directory.",
        json_schema_extra={"env": "GARDIEN_CONFIG"},
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of gardien's store. Default: sqlite:///DIR/gardien.db "
        "beside the declaration. PostgreSQL: postgresql+psycopg://user:pass@host/db.",
        json_schema_extra={"env": "GARDIEN_DATABASE_URL"},
    )
    keystore_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the key store holding each subject's data key, kept "
        "apart from the store so that backups of the store become unreadable once a subject "
        "is erased. Default: sqlite:///DIR/gardien-keys.db.",
        json_schema_extra={"env": "GARDIEN_KEYSTORE_URL"},
    )
    master_key: SecretStr | None = Field(
        default=None,
        description="Master key (32 bytes, base64) wrapping every data key. When unset, the "
        "key file is used.",
        json_schema_extra={"env": "GARDIEN_MASTER_KEY"},
    )
    master_key_file: Path | None = Field(
        default=None,
        description="File holding the master key, created with mode 0600 by `gardien init`. "
        "Default: DIR/gardien.key.",
        json_schema_extra={"env": "GARDIEN_MASTER_KEY_FILE"},
    )
    host: str = Field(
        default="127.0.0.1",
        description="Address `gardien serve` listens on.",
        json_schema_extra={"env": "GARDIEN_HOST"},
    )
    port: int = Field(
        default=8000,
        ge=1,
        le=65535,
        description="Port `gardien serve` listens on.",
        json_schema_extra={"env": "GARDIEN_PORT"},
    )
    public_url: str | None = Field(
        default=None,
        description="Base URL people reach the server at, used in unsubscribe links. "
        "Default: http://HOST:PORT.",
        json_schema_extra={"env": "GARDIEN_PUBLIC_URL"},
    )
    max_body_bytes: int = Field(
        default=1_048_576,
        ge=1024,
        description="Largest request body the API accepts, in bytes; larger ones get 413.",
        json_schema_extra={"env": "GARDIEN_MAX_BODY_BYTES"},
    )
    header_timeout_seconds: int = Field(
        default=10,
        ge=1,
        description="Seconds a connection has to send a request's headers, counted from the "
        "connection or the request's first byte; then it is closed.",
        json_schema_extra={"env": "GARDIEN_HEADER_TIMEOUT_SECONDS"},
    )
    body_timeout_seconds: int = Field(
        default=30,
        ge=1,
        description="Seconds a request body may stop arriving before the request is answered "
        "408 and its connection closed.",
        json_schema_extra={"env": "GARDIEN_BODY_TIMEOUT_SECONDS"},
    )
    keep_alive_seconds: int = Field(
        default=5,
        ge=1,
        description="Seconds an idle connection is kept open for a next request.",
        json_schema_extra={"env": "GARDIEN_KEEP_ALIVE_SECONDS"},
    )
    max_connections: int = Field(
        default=500,
        ge=1,
        description="Connections `gardien serve` keeps open at once; one more is answered 503 "
        "and closed. Keep it below the process's open-file limit (ulimit -n).",
        json_schema_extra={"env": "GARDIEN_MAX_CONNECTIONS"},
    )
    auth_failure_limit: int = Field(
        default=10,
        ge=1,
        description="Failed API-key authentications allowed per minute from one client "
        "address, and with one key prefix, before further failures get 429. A valid key is "
        "never refused for others' failures.",
        json_schema_extra={"env": "GARDIEN_AUTH_FAILURE_LIMIT"},
    )
    request_intake_limit: int = Field(
        default=5,
        ge=1,
        description="Data-subject requests one client address may make without an API key per "
        "minute; more get 429 `too-many-submissions`.",
        json_schema_extra={"env": "GARDIEN_REQUEST_INTAKE_LIMIT"},
    )
    request_verify_limit: int = Field(
        default=20,
        ge=1,
        description="Calls one client address may make per minute to a request's verify, "
        "resend, status and withdraw endpoints and to directive retrieval; more get 429.",
        json_schema_extra={"env": "GARDIEN_REQUEST_VERIFY_LIMIT"},
    )
    request_code_minutes: int = Field(
        default=15,
        ge=1,
        le=1440,
        description="Minutes a data-subject request's verification code stays valid.",
        json_schema_extra={"env": "GARDIEN_REQUEST_CODE_MINUTES"},
    )
    trusted_proxies: Annotated[tuple[IPvAnyNetwork, ...] | None, BeforeValidator(_networks)] = (
        Field(
            default=None,
            description="Reverse proxies whose X-Forwarded-For and Forwarded headers name the "
            "client, as addresses or CIDR networks separated by commas (10.0.0.0/8, ::1). "
            "Unset: the headers are ignored and the connecting address is the client.",
            json_schema_extra={"env": "GARDIEN_TRUSTED_PROXIES"},
        )
    )
    outbox: Path | None = Field(
        default=None,
        description="File (JSON lines) where e-mails are written when no SMTP server is set. "
        "Default: DIR/outbox.jsonl.",
        json_schema_extra={"env": "GARDIEN_OUTBOX"},
    )
    packages_dir: Path | None = Field(
        default=None,
        description="Directory where access and portability packages wait, encrypted, for "
        "their one-time download. `gardien worker` writes there and `gardien serve` reads: "
        "give both the same directory. Default: DIR/packages.",
        json_schema_extra={"env": "GARDIEN_PACKAGES_DIR"},
    )
    package_lifetime_days: int = Field(
        default=7,
        ge=1,
        le=30,
        description="Days a package's download link works (once) before it and its file "
        "are deleted.",
        json_schema_extra={"env": "GARDIEN_PACKAGE_LIFETIME_DAYS"},
    )
    smtp_url: str | None = Field(
        default=None,
        description="SMTP server for e-mails, smtp://user:pass@host:port (smtps:// for TLS).",
        json_schema_extra={"env": "GARDIEN_SMTP_URL"},
    )
    mail_from: str | None = Field(
        default=None,
        description="Sender of the e-mails gardien sends. Default: the rights contact e-mail "
        "of the declaration, else the controller's e-mail.",
        json_schema_extra={"env": "GARDIEN_MAIL_FROM"},
    )
    redact_preload: bool = Field(
        default=True,
        description="Load the redaction models (French and English NER, about 400 MiB) in "
        "the background when `gardien serve` starts, so that the first /api/v1/redact call "
        "does not wait seconds for them; /healthz shows their state. false: load them on "
        "the first call, or never on a server that does not redact.",
        json_schema_extra={"env": "GARDIEN_REDACT_PRELOAD"},
    )
    worker_poll_seconds: float = Field(
        default=1.0,
        gt=0,
        description="How often an idle `gardien worker` looks for new jobs.",
        json_schema_extra={"env": "GARDIEN_WORKER_POLL_SECONDS"},
    )

    worker_lease_seconds: float = Field(
        default=300.0,
        ge=2,
        description="How long a worker holds a job between two of its recorded steps. A "
        "worker that dies leaves its job to another worker once this has passed.",
        json_schema_extra={"env": "GARDIEN_WORKER_LEASE_SECONDS"},
    )
    retention_every_hours: float = Field(
        default=24.0,
        gt=0,
        le=24 * 7,
        description="How often `gardien worker` runs the retention sweep (every rule bound "
        "to a collection of a datastore): once a day by default.",
        json_schema_extra={"env": "GARDIEN_RETENTION_EVERY_HOURS"},
    )
    retention_batch_rows: int = Field(
        default=5000,
        ge=1,
        le=100_000,
        description="Rows the first batch of a retention sweep claims, then acts on in one "
        "transaction: each batch is recorded and audited; later batches are sized by time "
        "(twice as large after one under half a second), up to 100,000 rows; on PostgreSQL 14 "
        "or later, a sweep that deletes whole rows of an ordinary table walks the table by row "
        "address in ranges of up to 1,000,000 rows, also sized by time (docs/retention.md).",
        json_schema_extra={"env": "GARDIEN_RETENTION_BATCH_ROWS"},
    )
    banner_choice_limit: int = Field(
        default=30,
        ge=1,
        description="Cookie-banner choices one client address may record per minute "
        "(POST /privacy-center/consent-choices); more get 429 `too-many-submissions`.",
        json_schema_extra={"env": "GARDIEN_BANNER_CHOICE_LIMIT"},
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from ``GARDIEN_*`` variables, then explicit overrides (CLI options)."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name in cls.model_fields:
            env = env_name(name)
            if environ.get(env):
                values[name] = environ[env]
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            first = exc.errors()[0]
            name = str(first["loc"][0])
            raise SettingsError(f"{env_name(name)}: {first['msg']}; see docs/settings.md") from None

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        # URLs may carry a password: show them with it masked, as httpx shows headers.
        for name, value in super().__repr_args__():
            if name in _URL_SETTINGS and isinstance(value, str):
                yield name, mask_url(value)
            else:
                yield name, value

    @property
    def directory(self) -> Path:
        return self.config.parent

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.directory / 'gardien.db'}"

    @property
    def resolved_keystore_url(self) -> str:
        return self.keystore_url or f"sqlite:///{self.directory / 'gardien-keys.db'}"

    @property
    def resolved_master_key_file(self) -> Path:
        return self.master_key_file or self.directory / "gardien.key"

    @property
    def resolved_outbox(self) -> Path:
        return self.outbox or self.directory / "outbox.jsonl"

    @property
    def resolved_packages_dir(self) -> Path:
        return self.packages_dir or self.directory / "packages"

    @property
    def resolved_public_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")


_URL_SETTINGS = frozenset({"database_url", "keystore_url", "smtp_url"})
_PASSWORD_IN_URL = re.compile(r"(?<=://)([^:/@\s]*):([^@/\s]*)@")


def mask_url(url: str) -> str:
    """``url`` with any password replaced by ``***``."""
    return _PASSWORD_IN_URL.sub(r"\1:***@", url)


def env_name(field_name: str) -> str:
    """The environment variable of a setting."""
    extra = Settings.model_fields[field_name].json_schema_extra
    assert isinstance(extra, dict)
    return str(extra["env"])


def settings_table() -> str:
    """The Markdown table of every setting, as docs/settings.md shows it."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = "(unset)" if field.default is None else f"`{_shown_default(field.default)}`"
        rows.append(f"| `{env_name(name)}` | {default} | {field.description} |")
    return "\n".join(rows)


def _shown_default(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)
