"""Intake of a request about a known person and about an unknown one: the same time.

    .venv/bin/python -m bench.request_intake_timing [--requests 300]

A person asking without a key must learn nothing from the answer, its time
included: intake never asks the vault, so registering the person first must
not change how long intake takes. The two series are interleaved (known,
unknown, known…) on one SQLite store, each with a fresh address of its kind,
and their medians and 90th percentiles printed side by side with their
difference. Not a timed test: timings on a shared CI machine are noise.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from importlib import resources
from pathlib import Path

from gardien.audit import Actor
from gardien.declaration import load_valid
from gardien.requests import CodePolicy, RequestChannel, RequestType, Submission, submit
from gardien.store import Store, make_engine, upgrade
from gardien.vault import MasterKey, Vault


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        starter = resources.files("gardien.declaration").joinpath("data", "starter.yaml")
        (root / "privacy.yaml").write_text(starter.read_text("utf-8"), "utf-8")
        declaration = load_valid(root / "privacy.yaml")
        store = Store(make_engine(f"sqlite:///{root / 'g.db'}"),
                      make_engine(f"sqlite:///{root / 'k.db'}"))  # fmt: skip
        upgrade(store)
        vault = Vault(store, MasterKey.generate())
        actor = Actor("bench", "subject", None, blind=vault.blind_id)
        with store.engine.begin() as conn:
            for i in range(args.requests):
                vault.register(conn, {"email": f"known{i}@example.com"}, actor=actor)
        samples: dict[str, list[float]] = {"known": [], "unknown": []}
        for i in range(args.requests):
            for kind in ("known", "unknown"):
                submission = Submission(RequestType.ACCESS, {"email": f"{kind}{i}@example.com"})
                start = time.perf_counter()
                with store.engine.begin() as conn:
                    submit(conn, vault, declaration, submission, channel=RequestChannel.PUBLIC,
                           actor=actor, codes=CodePolicy())  # fmt: skip
                samples[kind].append((time.perf_counter() - start) * 1000)
        store.dispose()
    for kind, values in samples.items():
        ordered = sorted(values)
        p90 = ordered[int(len(ordered) * 0.9)]
        median = statistics.median(values)
        print(f"{kind:>8}: median {median:.3f} ms, p90 {p90:.3f} ms over {len(values)} requests")
    difference = statistics.median(samples["known"]) - statistics.median(samples["unknown"])
    print(f"median difference (known - unknown): {difference:+.3f} ms")


if __name__ == "__main__":
    main()
