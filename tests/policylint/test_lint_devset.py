"""The real-text dev set is consistent: every policy sourced, labelled, and its texts as labelled."""

from __future__ import annotations

from pathlib import Path

from bench.policy_devset import TEXTS, labels, load, sha256_of, sources
from gardien.policylint import ITEM_KEYS

MAX_TEXT_BYTES = 300_000


def test_every_source_is_labelled_with_known_items() -> None:
    every_label = labels()
    assert sorted(every_label) == sorted(s.id for s in sources())
    for policy, present in every_label.items():
        assert set(present) <= set(ITEM_KEYS), policy
        assert all(lines and min(lines) >= 1 for lines in present.values()), policy


def test_at_least_thirty_policies_half_of_them_french() -> None:
    langs = [s.lang for s in sources()]
    assert len(langs) >= 30
    assert langs.count("fr") * 2 >= len(langs)
    assert set(langs) == {"fr", "en"}


def test_committed_texts_are_the_labelled_files_and_small() -> None:
    committed = {s.id: s for s in sources() if s.committed}
    assert sorted(p.stem for p in TEXTS.glob("*.md")) == sorted(committed)
    for policy, source in committed.items():
        data = (TEXTS / f"{policy}.md").read_bytes()
        assert sha256_of(data) == source.sha256, policy
        assert len(data) < MAX_TEXT_BYTES, policy


def test_labelled_lines_exist_in_the_committed_texts() -> None:
    found, _ = load(None)
    assert found
    for policy in found:
        last = policy.text.count("\n") + 1
        for item, lines in policy.present.items():
            assert max(lines) <= last, (policy.source.id, item)


def test_fetch_keeps_a_file_already_fetched_without_the_network(tmp_path: Path) -> None:
    from bench.fetch_policy_devset import fetch

    source = next(s for s in sources() if s.committed)
    (tmp_path / f"{source.id}.md").write_bytes((TEXTS / f"{source.id}.md").read_bytes())
    assert fetch(source, tmp_path) == "already there"
