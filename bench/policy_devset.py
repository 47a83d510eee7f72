"""The real-text policy dev set: where each policy comes from, its labels, its text.

``bench/data/policies/sources.yaml`` lists 31 privacy policies from public
GitHub repositories (repository, commit, path, sha256, licence);
``labels.yaml`` says, for each, which Art. 13/14 items it contains and on
which lines. Texts whose licence allows it (and that name no private person)
are in ``texts/``; the others are read from a directory given at run time
(``--data DIR``), filled once by ``bench/fetch_policy_devset.py``. Nothing here
touches the network: fetching is the fetch script's job.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "bench" / "data" / "policies"
SOURCES = DEVSET / "sources.yaml"
LABELS = DEVSET / "labels.yaml"
TEXTS = DEVSET / "texts"


@dataclass(frozen=True, slots=True)
class Source:
    """Where one policy of the dev set comes from, and whether the repository holds it."""

    id: str
    lang: str
    repo: str
    commit: str
    path: str
    sha256: str
    licence: str
    committed: bool

    @property
    def raw_url(self) -> str:
        """The file at its commit, as GitHub serves it."""
        return f"https://raw.githubusercontent.com/{self.repo}/{self.commit}/{self.path}"


@dataclass(frozen=True, slots=True)
class LabelledPolicy:
    """One dev-set policy: its source, its text, and the lines that carry each present item."""

    source: Source
    text: str
    present: dict[str, tuple[int, ...]] = field(default_factory=dict)


def sources() -> list[Source]:
    """Every policy of the dev set, in the order of sources.yaml."""
    data = yaml.safe_load(SOURCES.read_text("utf-8"))["policies"]
    return [Source(id=key, **value) for key, value in data.items()]


def labels() -> dict[str, dict[str, tuple[int, ...]]]:
    """For each policy id, the present items and their supporting lines."""
    data = yaml.safe_load(LABELS.read_text("utf-8"))
    return {
        key: {item: tuple(lines) for item, lines in value["present"].items()}
        for key, value in data.items()
    }


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_path(source: Source, data_dir: Path | None) -> Path | None:
    """Where the text of ``source`` is: in the repository, in ``data_dir``, or nowhere yet."""
    if source.committed:
        return TEXTS / f"{source.id}.md"
    if data_dir is not None and (data_dir / f"{source.id}.md").is_file():
        return data_dir / f"{source.id}.md"
    return None


def load(data_dir: Path | None) -> tuple[list[LabelledPolicy], list[Source]]:
    """The policies whose text is at hand, and the sources still to fetch.

    A text whose bytes do not match its sha256 is an error: labels refer to
    lines of that exact file.
    """
    found: list[LabelledPolicy] = []
    missing: list[Source] = []
    every_label = labels()
    for source in sources():
        path = text_path(source, data_dir)
        if path is None:
            missing.append(source)
            continue
        data = path.read_bytes()
        if sha256_of(data) != source.sha256:
            raise ValueError(f"{path}: not the file labelled (sha256 differs); fetch it again")
        found.append(LabelledPolicy(source, data.decode("utf-8"), every_label[source.id]))
    return found, missing
