"""Shared helpers of the requests room's tests: the person's mailbox, read from the outbox a
real worker writes."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from typing import Any

from gardien.declaration import load_valid
from gardien.jobs import run_worker
from gardien.notifications import worker_handlers
from gardien.settings import Settings
from gardien.store import Store
from gardien.vault import Vault

CODE = re.compile(r"\b(\d{6})\b")


class Outbox:
    """The person's mailbox: runs the real worker over queued jobs, reads the outbox file."""

    def __init__(self, settings: Settings, store: Store, vault: Vault) -> None:
        self.settings, self.store, self.vault = settings, store, vault

    def deliver(self) -> list[dict[str, Any]]:
        handlers = worker_handlers(
            self.settings, self.store, self.vault, load_valid(self.settings.config)
        )
        run_worker(
            self.store, {k: v for k, v in handlers.items() if k.startswith(("mail.", "request.n"))},
            worker_id="test", poll_seconds=0.01, stop=threading.Event(), exit_when_idle=True,
        )  # fmt: skip
        path = self.settings.resolved_outbox
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text("utf-8").splitlines()]

    def to(self, address: str) -> list[dict[str, Any]]:
        return [m for m in self.deliver() if m["to"] == [address]]

    def code_for(self, address: str) -> str:
        messages = self.to(address)
        assert messages, f"no e-mail reached {address}"
        found = CODE.search(messages[-1]["subject"])
        assert found, messages[-1]["subject"]
        return found.group(1)


def ago(**kwargs: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(**kwargs)
