"""Regenerate gardien's copy of the Fides taxonomy from a fideslang wheel.

gardien does not depend on the ``fideslang`` package at run time (it caps
pydantic and exits the process on parse errors); it ships the vocabulary as a
data file instead. This script reads the taxonomy out of a downloaded wheel by
parsing its source (nothing from the wheel is imported or executed) and writes
``src/gardien/declaration/data/fideslang-taxonomy.json``.

    pip download --no-deps -d /tmp/fl fideslang==3.1.4
    python scripts/export_fideslang_taxonomy.py /tmp/fl/fideslang-3.1.4-py3-none-any.whl
"""

from __future__ import annotations

import ast
import json
import re
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).parents[1] / "src/gardien/declaration/data/fideslang-taxonomy.json"
FILES = {
    "data_categories": "fideslang/default_taxonomy/data_categories.py",
    "data_uses": "fideslang/default_taxonomy/data_uses.py",
    "data_subjects": "fideslang/default_taxonomy/data_subjects.py",
}
KEPT = ("fides_key", "name", "description", "parent_key", "version_deprecated", "replaced_by")


def entries(source: str) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and any(k.arg == "fides_key" for k in node.keywords):
            entry = {
                k.arg: k.value.value
                for k in node.keywords
                if k.arg in KEPT and isinstance(k.value, ast.Constant) and k.value.value
            }
            if entry.get("fides_key") != "default_organization":
                found.append(entry)
    return found


def main(wheel: str) -> None:
    version_match = re.search(r"fideslang-([0-9.]+)-", Path(wheel).name)
    if version_match is None:
        raise SystemExit(f"{wheel}: not a fideslang wheel file name")
    with zipfile.ZipFile(wheel) as archive:
        taxonomy = {kind: entries(archive.read(path).decode()) for kind, path in FILES.items()}
    document = {
        "source": "fideslang (ethyca/fideslang) default taxonomy",
        "version": version_match.group(1),
        "licence": "CC BY 4.0, Ethyca Inc. (https://creativecommons.org/licenses/by/4.0/)",
        **taxonomy,
    }
    OUT.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({', '.join(f'{len(v)} {k}' for k, v in taxonomy.items())})")


if __name__ == "__main__":
    main(sys.argv[1])
