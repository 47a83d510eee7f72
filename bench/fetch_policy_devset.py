"""Fetch the policies of the dev set that the repository does not hold, into a directory.

Each file is downloaded from GitHub at the commit given in
bench/data/policies/sources.yaml and checked against its sha256 (the labels
refer to lines of that exact file). This is a development step that needs the
network once; the benchmark then reads the directory with ``--data``.

    .venv/bin/python -m bench.fetch_policy_devset --out ~/.cache/gardien/policy-devset
    .venv/bin/python -m bench.policy_lint_eval --data ~/.cache/gardien/policy-devset
"""

from __future__ import annotations

import argparse
import sys
import urllib.request
from pathlib import Path

from bench.policy_devset import Source, sha256_of, sources

TIMEOUT_SECONDS = 30


def fetch(source: Source, out: Path) -> str:
    """Download one policy into ``out``; say what happened."""
    target = out / f"{source.id}.md"
    if target.is_file() and sha256_of(target.read_bytes()) == source.sha256:
        return "already there"
    with urllib.request.urlopen(source.raw_url, timeout=TIMEOUT_SECONDS) as response:
        data = response.read()
    if sha256_of(data) != source.sha256:
        return f"sha256 differs from {source.raw_url}: not written"
    target.write_bytes(data)
    return "fetched"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, required=True, help="directory to write the texts to")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    failures = 0
    for source in sources():
        if source.committed:
            continue
        try:
            outcome = fetch(source, args.out)
        except OSError as exc:
            outcome = f"cannot be fetched ({exc})"
        failures += outcome not in ("fetched", "already there")
        print(f"{source.id}: {outcome}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
