"""A real `gardien serve` process on a free port, on each backend, and an HTTP client for it."""

from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Server:
    base_port: int
    env: dict[str, str]
    directory: Path
    process: subprocess.Popen[bytes]

    def request(
        self,
        method: str,
        path: str,
        body: bytes | dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.base_port, timeout=30)
        sent = dict(headers or {})
        if isinstance(body, dict):
            body = json.dumps(body).encode()
            sent.setdefault("Content-Type", "application/json")
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        reply = Reply(
            response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        )
        connection.close()
        return reply

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "gardien", *args],
            env=self.env,
            cwd=self.directory,
            capture_output=True,
            text=True,
            check=False,
        )

    def new_key(self, role: str) -> str:
        result = self.cli("keys", "create", "--role", role)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(env: dict[str, str], directory: Path) -> Server:
    port = free_port()
    with (directory / f"server-{port}.log").open("wb") as log:
        # The child process keeps its own copy of the descriptor.
        process = subprocess.Popen(
            [sys.executable, "-m", "gardien", "serve", "--port", str(port)],
            env=env,
            cwd=directory,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(port, env, directory, process)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError((directory / f"server-{port}.log").read_text())
        try:
            if server.request("GET", "/healthz").status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("gardien serve did not answer within 30 s")


@pytest.fixture
def server_env(
    tmp_path: Path, store_urls: Any, write_declaration: Callable[..., Path]
) -> dict[str, str]:
    config = write_declaration()
    return {
        **os.environ,
        "GARDIEN_CONFIG": str(config),
        "GARDIEN_DATABASE_URL": store_urls.database_url,
        "GARDIEN_KEYSTORE_URL": store_urls.keystore_url,
        "GARDIEN_MASTER_KEY": base64.b64encode(os.urandom(32)).decode(),
        "GARDIEN_MAX_BODY_BYTES": "65536",
        "GARDIEN_AUTH_FAILURE_LIMIT": "5",
        # Loading the NER models costs seconds of CPU per server: only the
        # tests of preloading turn it on.
        "GARDIEN_REDACT_PRELOAD": "false",
    }


@pytest.fixture
def server_factory() -> Callable[[dict[str, str], Path], Server]:
    """Start further servers, e.g. several on one store."""
    return start_server


@pytest.fixture
def server(server_env: dict[str, str], tmp_path: Path) -> Iterator[Server]:
    running = start_server(server_env, tmp_path)
    yield running
    running.process.terminate()
    try:
        running.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        running.process.kill()
