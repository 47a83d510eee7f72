"""Regenerate gardien's list of product and software names from simple-icons.

simple-icons (https://simpleicons.org) keeps the names of about 3,500 brands,
products and software projects, under CC0 1.0 (public domain dedication). Its
npm package holds them as plain JSON (``data/simple-icons.json``); this script
reads that file out of the package tarball (nothing in it is executed) and
writes ``src/gardien/redact/data/products.json``: the titles only, with the
source, version and licence. Which of them redaction trusts is decided at run
time (``gardien/redact/products.py``).

    npm pack simple-icons@16.36.0            # or download the tarball
    python scripts/export_product_names.py simple-icons-16.36.0.tgz
"""

from __future__ import annotations

import json
import sys
import tarfile
from pathlib import Path

OUT = Path(__file__).parents[1] / "src/gardien/redact/data/products.json"
DATA = "package/data/simple-icons.json"
MANIFEST = "package/package.json"


def _read(archive: tarfile.TarFile, name: str) -> object:
    member = archive.extractfile(name)
    if member is None:
        raise SystemExit(f"{name} is not a file in the tarball: is it simple-icons' npm package?")
    return json.loads(member.read().decode("utf-8"))


def main(tarball: str) -> None:
    with tarfile.open(tarball, "r:gz") as archive:
        manifest = _read(archive, MANIFEST)
        icons = _read(archive, DATA)
    if not isinstance(manifest, dict) or manifest.get("license") != "CC0-1.0":
        raise SystemExit("the package's licence is no longer CC0-1.0: check it before shipping")
    entries = icons if isinstance(icons, list) else icons.get("icons", [])
    titles = sorted({e["title"].strip() for e in entries if e.get("title", "").strip()})
    data = {
        "source": "simple-icons (npm package simple-icons, data/simple-icons.json)",
        "version": manifest["version"],
        "licence": "CC0-1.0 (https://creativecommons.org/publicdomain/zero/1.0/)",
        "names": titles,
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(titles)} names written to {OUT}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
