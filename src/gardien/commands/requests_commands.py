"""``gardien requests``: the DPO's queue and decisions, thin over the requests room.

Every command acts as the CLI user (``cli_actor``, naming subjects by the
vault's blind ids) and is audited by the room functions it calls. Lists show
nothing personal; ``show`` shows identities (the operator may read subjects).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.table import Table

from gardien.audit import Actor
from gardien.commands.common import ConfigOption, cli_actor, command_store, settings_for, stdout
from gardien.declaration import Declaration, load_valid
from gardien.declaration.jurisdiction import authority_reference
from gardien.requests import RequestState
from gardien.requests.answers import Status
from gardien.requests.decisions import (
    Mailing,
    approve,
    extend,
    list_requests,
    reject,
    request_detail,
)
from gardien.requests.directives import release
from gardien.store import Store
from gardien.vault import Vault, load_master_key

requests_app = typer.Typer(
    help="Data-subject requests: the queue and decisions.", no_args_is_help=True
)


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


FormatOption = Annotated[Format, typer.Option("--format", help="table (Rich) or json.")]
IdArgument = Annotated[str, typer.Argument(help="The request's id (32 hex digits).")]


@dataclasses.dataclass(frozen=True)
class _Context:
    store: Store
    vault: Vault
    declaration: Declaration
    actor: Actor
    mailing: Mailing


@contextmanager
def _context(config: Any, *, writes: bool) -> Iterator[_Context]:
    from gardien.notifications import sender_of

    settings = settings_for(config)
    declaration = load_valid(settings.config)
    with command_store(settings, writes=writes) as store:
        vault = Vault(store, load_master_key(settings))
        actor = dataclasses.replace(cli_actor(store), blind=vault.blind_id)
        mailing = Mailing(
            sender_of(settings, declaration),
            declaration.controller.name,
            authority_reference(declaration),
        )
        yield _Context(store, vault, declaration, actor, mailing)


def _json(value: Any) -> str:
    def default(item: Any) -> Any:
        if isinstance(item, dt.datetime | dt.date):
            return item.isoformat()
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            return dataclasses.asdict(item)
        return str(item)

    return json.dumps(value, default=default, ensure_ascii=False, indent=2)


def _print_status(answer: Status, fmt: Format) -> None:
    if fmt is Format.JSON:
        stdout.print(_json(dataclasses.asdict(answer)), markup=False)
    else:
        stdout.print(
            f"{answer.id}  {answer.type.value}  {answer.state.value}  due {answer.due_at:%Y-%m-%d}",
            markup=False,
        )


@requests_app.command("list")
def requests_list(
    state: Annotated[RequestState | None, typer.Option("--state", help="Only this state.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only those past due.")] = False,
    due_within: Annotated[
        int | None, typer.Option("--due-within", min=0, help="Only those due within DAYS.")
    ] = None,
    fmt: FormatOption = Format.TABLE,
    config: ConfigOption = None,
) -> None:
    """Open requests (or those in --state) by due date; nothing personal is shown."""
    within = dt.timedelta(days=due_within) if due_within is not None else None
    with _context(config, writes=True) as ctx, ctx.store.engine.begin() as conn:
        entries = list_requests(conn, actor=ctx.actor, state=state, overdue=overdue,
                                due_within=within)  # fmt: skip
    if fmt is Format.JSON:
        stdout.print(_json([dataclasses.asdict(e) for e in entries]), markup=False)
        return
    table = Table("id", "type", "state", "channel", "received", "due")
    now = dt.datetime.now(dt.UTC)
    for entry in entries:
        due = f"{entry.effective_due:%Y-%m-%d}" + (" (late)" if entry.effective_due < now else "")
        table.add_row(entry.id, entry.type.value, entry.state.value, entry.channel,
                      f"{entry.received_at:%Y-%m-%d}", due)  # fmt: skip
    stdout.print(table)


@requests_app.command("show")
def requests_show(request_id: IdArgument, fmt: FormatOption = Format.TABLE,
                  config: ConfigOption = None) -> None:  # fmt: skip
    """A request, its identities and details, and its timeline (audited as a read)."""
    with _context(config, writes=True) as ctx, ctx.store.engine.begin() as conn:
        detail = request_detail(conn, ctx.vault, request_id, actor=ctx.actor, with_identities=True)
    if fmt is Format.JSON:
        stdout.print(_json(dataclasses.asdict(detail)), markup=False)
        return
    _print_status(detail.status, fmt)
    stdout.print(f"next: {detail.status.next_step}", markup=False)
    for kind, value in (detail.identities or {}).items():
        mark = "verified" if kind in (detail.verified or ()) else "claimed"
        stdout.print(f"identity {kind}: {value} ({mark})", markup=False)
    if detail.details:
        stdout.print(f"details: {_json(detail.details)}", markup=False)
    table = Table("at", "state", "actor", "note")
    for step in detail.timeline:
        table.add_row(f"{step.at:%Y-%m-%d %H:%M}", step.state, step.actor, step.note or "")
    stdout.print(table)


@requests_app.command("approve")
def requests_approve(request_id: IdArgument, fmt: FormatOption = Format.TABLE,
                     config: ConfigOption = None) -> None:  # fmt: skip
    """Approve a verified request: its execution is queued for the worker."""
    with _context(config, writes=True) as ctx, ctx.store.engine.begin() as conn:
        answer = approve(conn, ctx.vault, request_id, actor=ctx.actor, mailing=ctx.mailing)
    _print_status(answer, fmt)


@requests_app.command("reject")
def requests_reject(
    request_id: IdArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why; the person is told it.")],
    fmt: FormatOption = Format.TABLE,
    config: ConfigOption = None,
) -> None:
    """Refuse a request; the person is e-mailed the reason."""
    with _context(config, writes=True) as ctx, ctx.store.engine.begin() as conn:
        answer = reject(conn, request_id, reason, actor=ctx.actor, mailing=ctx.mailing)
    _print_status(answer, fmt)


@requests_app.command("extend")
def requests_extend(
    request_id: IdArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why; the person is told it.")],
    until: Annotated[
        str | None,
        typer.Option(
            "--until", help="New due date, YYYY-MM-DD (default: the most the declaration allows)."
        ),
    ] = None,
    fmt: FormatOption = Format.TABLE,
    config: ConfigOption = None,
) -> None:
    """Extend the deadline once (Art. 12(3)); the person is e-mailed the reason."""
    try:
        day = dt.date.fromisoformat(until) if until else None
    except ValueError:
        raise typer.BadParameter("write the date as YYYY-MM-DD", param_hint="--until") from None
    with _context(config, writes=True) as ctx, ctx.store.engine.begin() as conn:
        answer = extend(conn, ctx.declaration, request_id, reason, actor=ctx.actor, until=day,
                        mailing=ctx.mailing)  # fmt: skip
    _print_status(answer, fmt)


@requests_app.command("release-directive")
def requests_release_directive(
    directive_id: Annotated[str, typer.Argument(help="The directive's id.")],
    config: ConfigOption = None,
) -> None:
    """Record a person's death: their post-mortem directive goes to its verified trustees."""
    with _context(config, writes=True) as ctx, ctx.store.engine.begin() as conn:
        sent = release(conn, ctx.vault, directive_id, actor=ctx.actor, mailing=ctx.mailing)
    stdout.print(f"released {directive_id}: sent to {sent} trustee(s)", markup=False)
