"""Cookie-banner choices recorded per second, through the app, on a fresh store.

Each choice is what the script sends on "Accept all" for the two purposes of
``tests/banner_declaration.py``: ``POST /privacy-center/consent-choices`` from
a declared origin, through the whole ASGI app in this process (FastAPI's test
client, no network). Two rounds:

- first choices: a new visitor each time (a vault subject and its data key are
  created, then two ledger events and three audit entries);
- changes: the same visitors choose again (the subject is found, two events).

    .venv/bin/python -m bench.banner_choices --choices 500 [--postgres URL]

``--postgres`` takes an empty database (its ``public`` schema is used as is).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml
from fastapi.testclient import TestClient

from gardien.auth import FailureThrottle
from gardien.declaration.source import parse_yaml
from gardien.settings import Settings
from gardien.store import open_store, upgrade
from gardien.web import build_runtime, create_app

ROOT = Path(__file__).parents[1]
STARTER = ROOT / "src/gardien/declaration/data/starter.yaml"
ORIGIN = "https://shop.example.com"


def _declaration(directory: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from banner_declaration import with_banner

    data = dict(parse_yaml(STARTER.read_text("utf-8"), "starter.yaml").data)
    with_banner(data, origins=(ORIGIN,))
    path = directory / "privacy.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def _round(client: TestClient, version: str, visitors: list[str]) -> dict[str, float]:
    samples = []
    headers = {"Content-Type": "application/json", "Origin": ORIGIN}
    started = time.perf_counter()
    for visitor in visitors:
        body = {
            "visitor": visitor, "version": version, "lang": "fr", "method": "accept_all",
            "choices": {"analytics": True, "advertising": True},
        }  # fmt: skip
        before = time.perf_counter()
        response = client.post(
            "/privacy-center/consent-choices", content=json.dumps(body), headers=headers
        )
        samples.append(time.perf_counter() - before)
        assert response.status_code == 201, response.text
    elapsed = time.perf_counter() - started
    ordered = sorted(samples)
    return {
        "per_second": round(len(samples) / elapsed, 1),
        "p50_ms": round(statistics.median(samples) * 1000, 2),
        "p95_ms": round(ordered[int(0.95 * len(ordered))] * 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--choices", type=int, default=500)
    parser.add_argument("--postgres", default=None, help="an empty PostgreSQL database URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        settings = Settings(
            config=_declaration(directory),
            database_url=args.postgres,
            master_key=base64.b64encode(os.urandom(32)).decode(),
            redact_preload=False,
        )
        store = open_store(settings)
        upgrade(store)
        app = create_app(settings, build_runtime(settings, store))
        # The per-address limit is not what is measured.
        app.state.banner_throttle = FailureThrottle(10 * args.choices)
        visitors = [secrets.token_hex(16) for _ in range(args.choices)]
        with TestClient(app) as client:
            version = client.get("/privacy-center/consent-config.json").json()["version"]
            first = _round(client, version, visitors)
            again = _round(client, version, visitors)
        store.dispose()
    backend = "postgresql" if args.postgres else "sqlite"
    print(json.dumps({"backend": backend, "choices": args.choices, "first_choices": first,
                      "changes": again}, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
