"""``gardien retention plan|run``: what the retention rules bound to data would do, and doing it.

``plan`` is a dry run over the company's datastores (no store needed);
``run`` carries the sweeps out now as the worker does, through the same
durable job, with a progress bar: a run that was killed resumes where it
stopped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from gardien.commands.common import (
    ConfigOption,
    cli_actor,
    command_store,
    settings_for,
    stderr,
    stdout,
)

if TYPE_CHECKING:
    from gardien.declaration.models import Declaration
    from gardien.retention import PlannedOwn, PlannedSweep
    from gardien.settings import Settings

retention_app = typer.Typer(
    help="Retention rules bound to the company's data: the dry run, and the sweep.",
    no_args_is_help=True,
)


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


@retention_app.command("plan")
def retention_plan(
    file: Annotated[
        Path | None,
        typer.Argument(help="The declaration (default: GARDIEN_CONFIG, or privacy.yaml)."),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="table (Rich) or json.")] = Format.TABLE,
    at: Annotated[
        dt.datetime | None,
        typer.Option(
            "--at",
            formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"],
            help="The moment to plan for, UTC (default: now): what would be due then.",
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Per rule and collection: rows due now, the rows below them, the oldest, rows due
    within 30 days.

    Changes nothing. "Rows below" are the rows the due ones reach down the
    references followed down: they go with them, unless a legal hold keeps
    them. A sweep a declared legal hold suspends is shown with its holds.
    """
    from gardien.connectors import close_all, open_datastores
    from gardien.declaration import load_valid
    from gardien.retention import PlannedSweep, plan_retention
    from gardien.store import utcnow

    settings = settings_for(config)
    declaration = load_valid(file or settings.config)
    connectors = open_datastores(declaration)
    try:
        moment = at.replace(tzinfo=dt.UTC) if at is not None else utcnow()
        planned: list[PlannedSweep | PlannedOwn] = list(
            plan_retention(declaration, connectors, moment)
        )
    finally:
        close_all(connectors)
    events, own, why_not = _plan_store(settings, declaration, moment)
    planned.extend(events)
    planned.extend(own)
    if fmt is Format.JSON:
        stdout.print(
            json.dumps([p.as_json() for p in planned], ensure_ascii=False, indent=1),
            markup=False, soft_wrap=True,
        )  # fmt: skip
        return
    if not any(isinstance(p, PlannedSweep) for p in planned):
        stderr.print(
            "no collection of the company's datastores is bound to a retention rule: give "
            "each one `retention: {rule: RULE_ID, anchor: DATE_FIELD}`",
            markup=False,
        )
    if why_not:
        stderr.print(
            f"gardien's own records and the sweeps that run from recorded events are not "
            f"shown: {why_not}",
            markup=False,
        )
    if not planned:
        return
    table = Table(
        "sweep", "rule", "runs from", "due now", "rows below", "oldest", "due ≤ 30 days",
        "held by",
    )  # fmt: skip
    for p in planned:
        table.add_row(
            p.sweep.name, p.sweep.rule_id, p.sweep.anchor, f"{p.due:,}",
            f"{sum(p.below.values()):,}" if p.below else "", _moment(p.oldest), f"{p.soon:,}",
            ", ".join(p.held_by) or "",
        )  # fmt: skip
    stdout.print(table)
    when = f"at {moment:%Y-%m-%d %H:%M} UTC" if at is not None else "now"
    company = [p for p in planned if isinstance(p, PlannedSweep) and p.sweep.event is None]
    if company:
        due = sum(p.due for p in company if not p.held_by)
        stderr.print(f"{len(company)} sweep(s): {due:,} row(s) due {when}", markup=False)
    if events:
        due = sum(p.due for p in events if not p.held_by)
        stderr.print(
            f"{len(events)} sweep(s) from recorded events: {due:,} event(s) due {when} "
            "(their people's rows are found when the run acts)",
            markup=False,
        )
    if own:
        due = sum(p.due for p in own)
        stderr.print(f"gardien's own records: {due:,} due {when}", markup=False)


@retention_app.command("run")
def retention_run(
    batch_rows: Annotated[
        int | None,
        typer.Option(
            "--batch-rows",
            min=1,
            max=100_000,
            help="Rows of the first batch; later ones are sized by time "
            "(default: GARDIEN_RETENTION_BATCH_ROWS).",
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Carry out every sweep now, a batch at a time, each batch audited.

    The same job the worker runs daily: if a run was killed, this resumes it
    where it stopped, and nothing is done twice. Exits 1 if a worker is
    sweeping at this moment (it holds the run), or if a sweep failed.
    """
    from gardien.connectors import close_all, open_datastores
    from gardien.declaration import load_valid
    from gardien.jobs import JobStatus, claim, run_job
    from gardien.requests.handlers import text_redactor
    from gardien.retention import (
        RETENTION_SWEEP,
        RetentionSettings,
        plan_events,
        plan_own,
        plan_retention,
        retention_handler,
        schedule_retention,
    )
    from gardien.store import utcnow
    from gardien.vault import Vault, load_master_key

    settings = settings_for(config)
    declaration = load_valid(settings.config)
    connectors = open_datastores(declaration)
    try:
        planned = plan_retention(declaration, connectors, utcnow())
    finally:
        close_all(connectors)
    retention = RetentionSettings(
        batch_rows=batch_rows or settings.retention_batch_rows,
        every=dt.timedelta(hours=settings.retention_every_hours),
        environ=os.environ,
    )
    lease = dt.timedelta(seconds=settings.worker_lease_seconds)
    totals: dict[str, dict[str, int]] = {}
    with command_store(settings, writes=True) as store, _progress() as progress:
        with store.engine.connect() as conn:
            events = plan_events(conn, declaration, utcnow())
            own = plan_own(conn, declaration, utcnow())
        everything: list[PlannedSweep | PlannedOwn] = [*planned, *events, *own]
        tasks = {
            p.sweep.name: progress.add_task(p.sweep.name, total=max(p.due, 1))
            for p in everything
            if not p.held_by
        }

        def on_batch(sweep: object, number: int, counts: dict[str, int]) -> None:
            name = getattr(sweep, "name", "")
            for key, value in counts.items():
                totals.setdefault(name, {}).setdefault(key, 0)
                totals[name][key] += value
            if name in tasks:
                # A sweep from recorded events counts events (its plan's unit), others rows.
                progress.advance(tasks[name], counts.get("events") or counts.get("claimed", 0))

        vault = Vault(store, load_master_key(settings))
        redactor = text_redactor(declaration)
        handler = retention_handler(
            store, vault, declaration, cli_actor(store), retention,
            lambda text: redactor(text, ()), on_batch,  # type: ignore[arg-type]
        )  # fmt: skip
        schedule_retention(store)
        job = claim(store, f"cli-{os.getpid()}", [RETENTION_SWEEP], lease)
        if job is None:
            stderr.print(
                "a retention run is under way in a worker: it holds the sweep until it "
                "finishes (or, if that worker died, until its lease ends); try again then",
                markup=False,
            )
            raise typer.Exit(1)
        outcome = run_job(store, job, handler, lease=lease)
        for task in tasks.values():
            progress.update(task, completed=progress.tasks[task].total)
    _summary(totals)
    if outcome != JobStatus.DONE:
        stderr.print(
            f"the retention run did not finish ({outcome}): the error above says why; the "
            "next run (this command, or the worker) resumes where it stopped",
            markup=False,
        )
        raise typer.Exit(1)


@retention_app.command("event")
def retention_event(
    event: Annotated[str, typer.Argument(help="What happened: account_deletion, contract_end, …")],
    identities: Annotated[
        Path,
        typer.Option(
            "--identities",
            help='A JSON object of the person\'s identities, {"email": "…", "user_id": "…"}, '
            "read from this file, or from standard input with - (the default): never on the "
            "command line, where the shell's history and the process list would keep them.",
        ),
    ] = Path("-"),
    at: Annotated[
        dt.datetime | None,
        typer.Option(
            "--at",
            formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"],
            help="When it happened, UTC (default: now).",
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Record that an event happened for a person (their account was deleted): the
    retention rules bound with `event:` run from it.

    The identities are sealed in gardien's store, never kept in clear; the
    audit trail records the event and the kinds of identity given. The rows
    are found and acted on by the retention run once the rule's period is over.
    """
    import sys

    from gardien.declaration import load_valid
    from gardien.retention import record_event
    from gardien.vault import Vault, load_master_key

    settings = settings_for(config)
    declaration = load_valid(settings.config)
    try:
        text = sys.stdin.read() if str(identities) == "-" else identities.read_text("utf-8")
        given = json.loads(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        stderr.print(
            "the identities are not a JSON object read from "
            f"{'standard input' if str(identities) == '-' else identities}: give e.g. "
            '{"email": "alice@example.com"}',
            markup=False,
        )
        raise typer.Exit(2) from None
    if not isinstance(given, dict) or not all(isinstance(v, str) for v in given.values()):
        stderr.print(
            'the identities must be a JSON object of text values, e.g. {"email": "…"}',
            markup=False,
        )
        raise typer.Exit(2)
    with command_store(settings, writes=True) as store:
        vault = Vault(store, load_master_key(settings))
        actor = cli_actor(store)
        # A refusal (RetentionEventError, IdentityError) is printed by the CLI's edge.
        with store.engine.begin() as conn:
            recorded = record_event(
                conn, vault, declaration, event, given, actor=actor,
                occurred_at=at.replace(tzinfo=dt.UTC) if at is not None else None,
            )  # fmt: skip
    stdout.print(
        f"recorded {recorded.event.value} {recorded.id} at "
        f"{recorded.occurred_at:%Y-%m-%d %H:%M:%S} UTC (identities: {', '.join(recorded.kinds)})",
        markup=False,
    )


def _plan_store(
    settings: Settings, declaration: Declaration, moment: dt.datetime
) -> tuple[list[PlannedSweep], list[PlannedOwn], str | None]:
    """The dry run of the sweeps that run from recorded events and of gardien's own
    records, if its store is there to read (a plan never creates one); else why not."""
    from sqlalchemy.engine import make_url

    from gardien.errors import GardienError
    from gardien.retention import event_sweeps, plan_events, plan_own

    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
        return [], [], f"no store at {url.database} (set GARDIEN_DATABASE_URL to plan them)"
    try:
        with command_store(settings, writes=False) as store, store.engine.connect() as conn:
            events = plan_events(conn, declaration, moment) if event_sweeps(declaration) else []
            return events, plan_own(conn, declaration, moment), None
    except GardienError as exc:
        return [], [], exc.message


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=stderr, transient=False,
    )  # fmt: skip


def _summary(totals: dict[str, dict[str, int]]) -> None:
    table = Table("sweep", "claimed", "deleted", "changed", "archived", "cascaded", "kept")
    for name, counts in totals.items():
        table.add_row(
            name, *(f"{counts.get(k, 0):,}" for k in ("claimed", "deleted", "changed",
                                                        "archived", "cascaded")),
            f"{counts.get('kept_for_requests', 0):,}",
        )  # fmt: skip
    stdout.print(table)


def _moment(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()
