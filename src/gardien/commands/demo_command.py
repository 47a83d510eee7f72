"""``gardien demo``: a sample company's database and declaration, gardien's store and an
admin key beside them, then the server.

The company's database and ``privacy.yaml`` come from the demo room
(``gardien.demo.build``), which refuses, writing nothing, a directory that
already has a declaration, a database that is not empty or a URL it cannot
reach. The rest is what ``gardien init``, ``gardien db upgrade``, ``gardien
declaration apply`` and ``gardien keys create --role admin`` would do, through
the same room functions, so the trail records ``declaration.apply`` and
``key.create``. If any of it fails, what the command made is removed.
"""

from __future__ import annotations

import json
import os
import shlex
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn

from gardien.commands.common import cli_actor, command_store, settings_for, stderr, stdout
from gardien.demo import (
    DEFAULT_PEOPLE,
    DEFAULT_SEED,
    DemoResult,
    build,
    discard,
)
from gardien.settings import Settings, mask_url


class CompanyName(StrEnum):
    """The companies of ``gardien.demo.COMPANIES`` (a test keeps the two in step)."""

    viky = "viky"
    ai_feedback = "ai-feedback"
    amikeo = "amikeo"
    activeviam = "activeviam"
    komin = "komin"


#: What ``gardien demo`` leaves in DIR besides the database and ``privacy.yaml``.
ADMIN_KEY_FILE = "admin.key"
GETTING_STARTED_FILE = "getting-started.txt"
#: The demo's staff account of the console: its e-mail, then its password (mode 0600).
CONSOLE_LOGIN_FILE = "console-login.txt"
CONSOLE_EMAIL = "dpo@demo.example"


def demo_command(
    directory: Annotated[
        Path, typer.Option("--dir", help="Directory to build the demo in (created if needed).")
    ],
    company: Annotated[
        CompanyName,
        typer.Option("--company", help="Which seed company to model (docs/demo.md)."),
    ] = CompanyName.amikeo,
    subjects: Annotated[
        int, typer.Option("--subjects", min=1, help="How many people to generate.")
    ] = DEFAULT_PEOPLE,
    seed: Annotated[
        int, typer.Option("--seed", help="The same seed gives the same rows, byte for byte.")
    ] = DEFAULT_SEED,
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            help="Build the company database here (an empty PostgreSQL database, filled with "
            "COPY) instead of a SQLite file in DIR.",
        ),
    ] = None,
    known_person_rows: Annotated[
        int | None,
        typer.Option(
            "--known-person-rows",
            min=1,
            help="Give the known person this many rows in the company's busiest table.",
        ),
    ] = None,
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the demo once it is built.")
    ] = True,
) -> None:
    """Build a sample company: its database, privacy.yaml, gardien's store, an admin key."""
    fresh = not directory.exists()
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), console=stderr, transient=True
    ) as progress:
        task = progress.add_task(f"generating {subjects} people", total=None)
        written = 0

        def advance(rows: int) -> None:
            nonlocal written
            written += rows
            progress.update(task, description=f"generating {subjects} people: {written:,} rows")

        result = build(
            directory,
            company.value,
            people=subjects,
            seed=seed,
            url=url,
            known_person_rows=known_person_rows,
            on_batch=advance,
        )
    settings = settings_for(result.declaration)
    made = _made_by_store(settings, result.directory)
    try:
        version, token, password = _store_and_key(settings, result)
        text = getting_started(result, settings, token, password)
        _write_private(result.directory / ADMIN_KEY_FILE, token + "\n")
        _write_private(result.directory / CONSOLE_LOGIN_FILE, f"{CONSOLE_EMAIL}\n{password}\n")
        _write_private(result.directory / GETTING_STARTED_FILE, text)
    except BaseException:
        discard(result)
        for path in made:
            path.unlink(missing_ok=True)
        if fresh and not any(result.directory.iterdir()):
            result.directory.rmdir()
        raise
    _report(result, settings, version)
    stdout.print(text, markup=False, end="")
    if serve_after:
        from gardien.commands.server import serve

        os.environ.update(result.environment)
        serve(host=None, port=None, config=result.declaration, with_worker=True)


def getting_started(result: DemoResult, settings: Settings, token: str, password: str) -> str:
    """The lines ``make run`` prints: where to go, the console's sign-in, the admin key, an
    access request to try."""
    base = f"http://{settings.host}:{settings.port}"
    email = result.identities.get("email")
    body = json.dumps(
        {"type": "access", "identities": {"email": email}, "language": "fr"},
        ensure_ascii=False,
    )
    json_header = "-H 'Content-Type: application/json'"
    known = ", ".join(f"{kind} {value}" for kind, value in result.identities.items())
    outbox = settings.resolved_outbox
    lines = [
        f"gardien: open {base}/ in a browser (the front page: the notice in French and "
        f"English, the API's documentation at {base}/api/v1/docs)",
        f"the DPO's console: {base}/console, sign in as {CONSOLE_EMAIL} with the password "
        f"{password} (also in {result.directory / CONSOLE_LOGIN_FILE})",
        f"admin key: {token}",
        f"an access request by {result.known_person.full_name}, the known person ({known}):",
        "  1. the person asks, as from a privacy center (keep the id and status_token):",
        f"     curl -s -X POST {base}/api/v1/requests {json_header} -d {shlex.quote(body)}",
        f"  2. the 6-digit code is e-mailed; with no SMTP server set, to {outbox}:",
        f"     curl -s -X POST {base}/api/v1/requests/ID/verify {json_header} "
        """-d '{"status_token": "TOKEN", "code": "CODE"}'""",
        f"  3. the DPO approves it, in the console ({base}/console) or with the admin key:",
        f"     curl -s -X POST {base}/api/v1/requests/ID/approve {json_header} "
        f"-H 'Authorization: Bearer {token}' -d '{{}}'",
        "  4. a worker carries it out (make run starts one with the server; else run "
        f"`gardien worker`): the download link is e-mailed to {outbox}",
    ]
    if result.environment:
        lines.append(
            "the declaration reads the database URL from the environment: "
            + " ".join(f"export {name}=…" for name in result.environment)
            + " before `gardien serve` (`gardien demo` sets it for the server it starts)"
        )
    return "\n".join(lines) + "\n"


def _store_and_key(settings: Settings, result: DemoResult) -> tuple[str, str, str]:
    """``gardien init``'s key file, ``db upgrade``, ``declaration apply``, an admin key, and
    a DPO's account of the console with a generated password: the key's token and the
    password (each the only copy)."""
    import secrets

    from gardien.auth import Role, create_key, create_user
    from gardien.declaration import load_valid
    from gardien.notifications import renewals_on_new_version
    from gardien.store import apply_declaration
    from gardien.vault import create_master_key_file

    if settings.master_key is None and not settings.resolved_master_key_file.exists():
        create_master_key_file(settings.resolved_master_key_file)
    declaration = load_valid(result.declaration)
    with command_store(settings, writes=True) as store:
        record = apply_declaration(
            store,
            declaration,
            str(result.declaration),
            renewals_on_new_version(declaration),
            actor=cli_actor(store),
        )
        actor = cli_actor(store)
        with store.engine.begin() as conn:
            new = create_key(conn, Role.ADMIN, "gardien demo", actor=actor)
            password = secrets.token_urlsafe(12)
            create_user(conn, CONSOLE_EMAIL, password, Role.DPO, actor=actor)
    return record.version, new.token, password


def _made_by_store(settings: Settings, directory: Path) -> list[Path]:
    """The files in ``directory`` the store, the key file and the outputs may create."""
    candidates = [settings.resolved_master_key_file, directory / ADMIN_KEY_FILE]
    candidates.append(directory / GETTING_STARTED_FILE)
    candidates.append(directory / CONSOLE_LOGIN_FILE)
    for url in (settings.resolved_database_url, settings.resolved_keystore_url):
        if url.startswith("sqlite:///"):
            base = Path(url.removeprefix("sqlite:///"))
            candidates += [base, base.with_name(base.name + "-wal")]
            candidates.append(base.with_name(base.name + "-shm"))
    return [path for path in candidates if path.parent == directory and not path.exists()]


def _write_private(path: Path, text: str) -> None:
    """A secret's file, mode 0600 from its first byte."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def _report(result: DemoResult, settings: Settings, version: str) -> None:
    report = result.report
    known = result.known_person
    width = max(len(kind) for kind in result.identities)
    lines = [
        f"built {result.company.title} in {result.directory}:",
        f"  database     {result.shown_url}: {report.rows:,} rows in {len(report.counts)} "
        f"tables ({report.people:,} people, seed {report.seed}, {report.seconds:.1f} s)",
        f"  declaration  {result.declaration} (examples/{result.company.example}, its "
        "datastore pointed at the database)",
        f"  store        {mask_url(settings.resolved_database_url)}, declaration "
        f"{version[:12]} in force",
        f"  master key   {settings.resolved_master_key_file} (mode 0600)"
        + (" (GARDIEN_MASTER_KEY is set: it is the one used)" if settings.master_key else ""),
        f"  admin key    {result.directory / ADMIN_KEY_FILE} (mode 0600)",
        f"  console      {CONSOLE_EMAIL}, its password in "
        f"{result.directory / CONSOLE_LOGIN_FILE} (mode 0600)",
        f"known person: {known.full_name}, {known.description}:",
        *(f"  {kind:<{width}}  {value}" for kind, value in result.identities.items()),
    ]
    stdout.print("\n".join(lines), markup=False)
