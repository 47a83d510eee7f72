"""``gardien users``: the console's staff accounts (create, list, disable, reset-password).

A password is typed twice at a hidden prompt, or read from the first line of
standard input with ``--password-stdin`` (for scripts: never on the command
line, where ``ps`` and the shell's history would show it). A weak one is
refused with the reason, and nothing is written.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from gardien.auth import (
    Role,
    check_password,
    create_user,
    disable_user,
    list_users,
    reset_password,
)
from gardien.auth.users import normalised_email, staff_role
from gardien.commands.common import (
    ConfigOption,
    cli_actor,
    command_store,
    settings_for,
    stderr,
    stdout,
)
from gardien.errors import PasswordRejectedError
from gardien.store.types import utcnow

users_app = typer.Typer(help="Staff accounts of the console (/console).", no_args_is_help=True)

PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from the first line of standard input instead of a prompt.",
    ),
]


def read_password(from_stdin: bool, email: str) -> str:
    """The new password, checked before anything opens the store."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        raise PasswordRejectedError("no password was given")
    return check_password(password, email)


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Argument(help="The staff member's e-mail (they sign in with it).")],
    role: Annotated[
        Role, typer.Option("--role", help="admin, dpo or agent (docs/console.md#roles).")
    ],
    password_stdin: PasswordStdin = False,
    config: ConfigOption = None,
) -> None:
    """Create a staff account for the console."""
    address = normalised_email(email)
    staff_role(role)
    password = read_password(password_stdin, address)
    with command_store(settings_for(config), writes=True) as store:
        actor = cli_actor(store)
        with store.engine.begin() as conn:
            user = create_user(conn, address, password, role, actor=actor)
    stdout.print(f"created {user.role.value} account {user.email} (id {user.id})", markup=False)


@users_app.command("list")
def users_list(config: ConfigOption = None) -> None:
    """List staff accounts: e-mail, role, state (never a password or its hash)."""
    now = utcnow()
    with command_store(settings_for(config), writes=False) as store, store.engine.connect() as conn:
        users = list_users(conn)
    if not users:
        stderr.print("no staff account yet: create one with `gardien users create`", markup=False)
    for user in users:
        if user.disabled_at is not None:
            state = f"disabled {user.disabled_at:%Y-%m-%d}"
        elif user.locked_until is not None and user.locked_until > now:
            state = f"locked until {user.locked_until:%H:%M} UTC"
        else:
            state = "active"
        stdout.print(
            f"{user.id}  {user.role.value:<6} {state:<24} {user.created_at:%Y-%m-%d}  {user.email}",
            markup=False,
        )


@users_app.command("disable")
def users_disable(
    email: Annotated[str, typer.Argument(help="The account's e-mail.")],
    config: ConfigOption = None,
) -> None:
    """Disable a staff account; its open sessions end at once."""
    with command_store(settings_for(config), writes=True) as store:
        actor = cli_actor(store)
        with store.engine.begin() as conn:
            user = disable_user(conn, email, actor=actor)
    stdout.print(f"disabled {user.email}", markup=False)


@users_app.command("reset-password")
def users_reset_password(
    email: Annotated[str, typer.Argument(help="The account's e-mail.")],
    password_stdin: PasswordStdin = False,
    config: ConfigOption = None,
) -> None:
    """Give a staff account a new password; its sessions end and its lock is lifted."""
    address = normalised_email(email)
    password = read_password(password_stdin, address)
    with command_store(settings_for(config), writes=True) as store:
        actor = cli_actor(store)
        with store.engine.begin() as conn:
            user = reset_password(conn, address, password, actor=actor)
    stdout.print(f"new password set for {user.email}; their sessions ended", markup=False)
