"""Large expressions compiled once and kept on disk: the same pattern, never a wrong one."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gardien.redact import regex_cache
from gardien.redact.regex_cache import LARGE, cache_directory, kept_compiles

WORDS = [f"mot{n}-[a-zé]{{2}}" for n in range(3100)]
#: Over LARGE characters, with a character class and groups as spaCy's French one has.
BIG = "(?iu)^(?:" + "|".join(f"(?:{word})" for word in WORDS) + ")$"
#: The same length, one word different: a file of BIG must never serve it.
OTHER = BIG.replace("mot2042-", "mot2043-", 1)


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GARDIEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(regex_cache, "_kept", {})
    return tmp_path / "cache" / "regex"


def _forget_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a new process: nothing compiled in memory, only what is on disk."""
    monkeypatch.setattr(regex_cache, "_kept", {})


def _refuse_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("compiled again instead of read from the cache")

    monkeypatch.setattr(regex_cache._compiler, "_code", refuse)


def test_a_large_expression_is_compiled_once_then_read_back(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(BIG) >= LARGE
    expected = re.compile(BIG)
    with kept_compiles():
        first = re.compile(BIG)
    assert [p.name for p in private_cache.iterdir()] and first is not expected
    _forget_in_process(monkeypatch)
    _refuse_compiling(monkeypatch)
    with kept_compiles():
        again = re.compile(BIG)
    for built in (first, again):
        assert (built.pattern, built.flags, built.groups) == (
            expected.pattern,
            expected.flags,
            expected.groups,
        )
    for word in ("MOT17-ab", "mot3099-zé", "mot3100-ab", "mot17-a", "mot17-abc", ""):
        assert bool(again.match(word)) == bool(expected.match(word)), word


@given(st.text(alphabet="mot0123456789-abzéÉ", max_size=12))
def test_the_kept_pattern_matches_what_re_matches(text: str) -> None:
    with kept_compiles():
        kept = re.compile(BIG)
    assert bool(kept.match(text)) == bool(_EXPECTED.match(text))


_EXPECTED = re.compile(BIG)


def _fail_inside_nested_blocks(original: object) -> None:
    with kept_compiles():
        assert re.compile is not original
        with kept_compiles():  # nested: still kept until the outer block ends
            pass
        assert re.compile is not original
        raise ZeroDivisionError


def test_outside_the_block_and_after_an_error_re_compile_is_re_s_own() -> None:
    original = re.compile
    with pytest.raises(ZeroDivisionError):
        _fail_inside_nested_blocks(original)
    assert re.compile is original


def test_small_expressions_and_bytes_are_not_cached(private_cache: Path) -> None:
    with kept_compiles():
        assert re.compile("a+b").match("aab")
        assert re.compile(BIG.replace("(?iu)", "(?i)").encode()).match(b"mot1-ab")
    assert not private_cache.exists()


def test_a_truncated_file_is_compiled_again_and_rewritten(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with kept_compiles():
        re.compile(BIG)
    (path,) = private_cache.iterdir()
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    _forget_in_process(monkeypatch)
    with kept_compiles():
        again = re.compile(BIG)
    assert again.match("mot3-ab") and not again.match("mot3-a")
    assert path.read_bytes() == whole


def test_a_file_others_can_write_is_never_run(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard is what stands between a planted program and this process: a file of
    BIG's program put where OTHER's belongs is obeyed only if this user alone can write it."""
    with kept_compiles():
        re.compile(BIG)
        re.compile(OTHER)
    big_file, other_file = _file_of(BIG, private_cache), _file_of(OTHER, private_cache)
    shutil.copyfile(big_file, other_file)  # OTHER's place now holds BIG's program
    os.chmod(other_file, 0o666)
    _forget_in_process(monkeypatch)
    with kept_compiles():
        other = re.compile(OTHER)
    assert other.match("mot2043-ab") and not other.match("mot2042-ab")
    # The same planted file, writable by this user only, would be run: the guard mattered.
    shutil.copyfile(big_file, other_file)
    os.chmod(other_file, 0o600)
    _forget_in_process(monkeypatch)
    with kept_compiles():
        planted = re.compile(OTHER)
    assert planted.match("mot2042-ab")


def _file_of(pattern: str, directory: Path) -> Path:
    digest = regex_cache._digest(pattern, 0)
    (path,) = [p for p in directory.iterdir() if p.name.startswith(digest)]
    return path


def test_a_cache_that_cannot_be_written_only_costs_the_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("GARDIEN_CACHE_DIR", str(blocker))
    with kept_compiles():
        compiled = re.compile(BIG)
    assert compiled.match("mot5-zz") and cache_directory() == blocker / "regex"
    assert blocker.read_text() == "not a directory"


def test_the_cache_directory_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GARDIEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere")
    assert cache_directory() == Path("/somewhere/gardien/regex")
