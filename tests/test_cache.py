"""The parse cache: keyed by content, version and loader; JSON; atomic; self-healing; optional."""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from khalkhin import cache, chronology
from khalkhin.chronology import load
from tests.conftest import MINI


def entries(tmp_path: Path) -> list[Path]:
    d = tmp_path / "cache" / "khalkhin"
    return sorted(d.glob("*.json")) if d.is_dir() else []


def load_mini(path: Path = MINI, **kw: Any) -> Any:
    return load([str(path)], bundled=False, **kw)


def read_doc(entry: Path) -> Any:
    """The JSON document of a cache entry (its checksum must hold)."""
    body = cache.unseal(entry.read_bytes())
    assert body is not None, "the entry's checksum does not match"
    return json.loads(body)


def write_doc(entry: Path, doc: Any) -> None:
    """Store a document as an entry with a valid checksum, as khalkhin itself would."""
    entry.write_bytes(cache.seal(json.dumps(doc).encode()))


def plant_title(entry: Path, title: str, **fields: Any) -> None:
    """Rewrite the cache entry so that its first event bears `title` (and any other fields)."""
    doc = read_doc(entry)
    doc.update(fields)
    doc["events"][0][2] = title
    write_doc(entry, doc)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    p = tmp_path / "data.yaml"
    shutil.copy(MINI, p)
    return p


def test_first_load_writes_json_and_warm_load_is_equal(tmp_path: Path) -> None:
    cold = load_mini()
    [entry] = entries(tmp_path)
    paths_hash, content_hash = entry.stem.split("-")
    assert len(paths_hash) == 16 and len(content_hash) == 40
    raw = entry.read_bytes()
    head, body = raw.split(b"\n", 1)
    assert head.startswith(b"khalkhin-cache ") and len(head) == 15 + 40  # its checksum
    assert body.startswith(b"{")  # JSON, never pickle
    doc = json.loads(body)
    assert doc["format"] == cache.FORMAT and doc["key"] == entry.stem
    warm = load_mini()
    assert warm is not cold
    assert warm == cold
    assert [e.sort_key for e in warm.events] == [e.sort_key for e in cold.events]


def test_warm_load_does_not_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_mini()

    def boom(*a: object, **k: object) -> None:
        raise AssertionError("parsed although the cache was warm")

    monkeypatch.setattr(chronology, "parse_file", boom)
    assert load_mini().events


def test_key_covers_content_version_loader_and_path(monkeypatch: pytest.MonkeyPatch) -> None:
    base = cache.key([("a.yaml", b"events: []\n")], "libyaml")
    assert base == cache.key([("a.yaml", b"events: []\n")], "libyaml")
    assert base != cache.key([("a.yaml", b"events: [] \n")], "libyaml")
    assert base != cache.key([("a.yaml", b"events: []\n")], "pyyaml")
    assert base != cache.key([("b.yaml", b"events: []\n")], "libyaml")
    # The file boundaries count: two files are not their concatenation.
    assert cache.key([("a", b"xy"), ("b", b"")], "x") != cache.key([("a", b"x"), ("b", b"y")],
                                                                   "x")
    monkeypatch.setattr(cache, "__version__", "99.0")
    assert base != cache.key([("a.yaml", b"events: []\n")], "libyaml")


def test_loader_name_does_not_import_yaml() -> None:
    assert cache.loader_name() in ("libyaml", "pyyaml")


def test_edited_data_misses_and_replaces_the_old_entry(tmp_path: Path, data: Path) -> None:
    first = load_mini(data)
    [old] = entries(tmp_path)
    data.write_text(data.read_text().replace("Clash at Lake Khasan", "Battle of Lake Khasan"))
    second = load_mini(data)
    assert "Battle of Lake Khasan" in [e.title for e in second.events]
    assert "Battle of Lake Khasan" not in [e.title for e in first.events]
    [new] = entries(tmp_path)
    assert new != old and new.stem.split("-")[0] == old.stem.split("-")[0]


@pytest.mark.parametrize("garbage", [b"", b"{", b"\x80\x81 not json", b"[]", b"{}", b"null",
                                     b'{"format": 2}', b"\x80\x03cos\nsystem\n."])
def test_corrupt_entry_is_ignored_and_rebuilt(tmp_path: Path, garbage: bytes) -> None:
    good = load_mini()
    [entry] = entries(tmp_path)
    entry.write_bytes(garbage)
    assert load_mini() == good
    assert read_doc(entry)["key"] == entry.stem  # rewritten whole


def test_wrong_shapes_inside_valid_json_are_ignored(tmp_path: Path) -> None:
    good = load_mini()
    [entry] = entries(tmp_path)
    doc = read_doc(entry)
    doc["events"][0] = doc["events"][0][:3]
    write_doc(entry, doc)
    assert load_mini() == good
    doc = read_doc(entry)
    doc["events"][0][1] = "not a date"
    write_doc(entry, doc)
    assert load_mini() == good


def test_stale_version_or_format_is_ignored(tmp_path: Path, data: Path) -> None:
    load_mini(data)
    [entry] = entries(tmp_path)
    for field, value in (("version", "0.0.0"), ("format", 1), ("key", "other")):
        plant_title(entry, "A title from a stale cache", **{field: value})
        titles = [e.title for e in load_mini(data).events]
        assert "A title from a stale cache" not in titles


def test_a_cache_entry_is_used_when_valid(tmp_path: Path, data: Path) -> None:
    # The converse of the stale test: a valid entry really is what is read.
    load_mini(data)
    [entry] = entries(tmp_path)
    plant_title(entry, "A title from the cache")
    assert "A title from the cache" in [e.title for e in load_mini(data).events]


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    replaced: list[tuple[str, str]] = []
    real = os.replace

    def spy(src: str, dst: str) -> None:
        replaced.append((src, dst))
        real(src, dst)

    monkeypatch.setattr(cache.os, "replace", spy)
    load_mini()
    [(src, dst)] = replaced
    assert os.path.basename(src).startswith(".tmp-") and dst == str(entries(tmp_path)[0])
    assert os.path.dirname(src) == os.path.dirname(dst)  # same file system: a real rename
    assert sorted(os.listdir(tmp_path / "cache" / "khalkhin")) == [os.path.basename(dst)]


def test_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.os, "replace", fail)
    assert load_mini().events
    assert os.listdir(tmp_path / "cache" / "khalkhin") == []


def test_unwritable_cache_dir_is_skipped_silently(tmp_path: Path, run: Callable[..., Any],
                                                  mini: list[str]) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory would go")
    env = {"XDG_CACHE_HOME": str(blocker)}
    result = run("timeline", "--from", "1939", "--format", "plain", *mini, env=env)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1939")
    assert result.stderr == ""
    assert blocker.read_text().startswith("a file")


def test_cache_dir_follows_xdg(tmp_path: Path) -> None:
    assert cache.cache_dir({"XDG_CACHE_HOME": "/x/y"}) == "/x/y/khalkhin"
    home = os.path.expanduser("~")
    assert cache.cache_dir({}) == os.path.join(home, ".cache", "khalkhin")
    # A relative XDG_CACHE_HOME is invalid by the XDG spec and ignored.
    assert cache.cache_dir({"XDG_CACHE_HOME": "rel"}) == os.path.join(home, ".cache", "khalkhin")


def test_no_cache_option(tmp_path: Path, run: Callable[..., Any], mini: list[str]) -> None:
    result = run("timeline", "--format", "plain", "--no-cache", *mini)
    assert result.exit_code == 0 and result.stdout
    assert entries(tmp_path) == []
    run("timeline", "--format", "plain", *mini)
    assert len(entries(tmp_path)) == 1


@pytest.mark.parametrize(("value", "cached"), [("1", False), ("yes", False), ("0", True),
                                               ("", True)])
def test_khalkhin_no_cache_env(tmp_path: Path, run: Callable[..., Any], mini: list[str],
                               value: str, cached: bool) -> None:
    result = run("timeline", "--format", "plain", *mini, env={"KHALKHIN_NO_CACHE": value})
    assert result.exit_code == 0 and result.stdout
    assert bool(entries(tmp_path)) is cached


def test_no_cache_neither_reads_nor_writes(tmp_path: Path, data: Path) -> None:
    load_mini(data)
    [entry] = entries(tmp_path)
    plant_title(entry, "A title from the cache")
    assert "A title from the cache" not in [e.title for e in
                                            load_mini(data, use_cache=False).events]


def test_many_writers_at_once(tmp_path: Path) -> None:
    chron = load_mini(use_cache=False)
    key = cache.key([(str(MINI), MINI.read_bytes())])
    threads = [threading.Thread(target=cache.write, args=(key, chron)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert cache.read(key) == chron
    assert os.listdir(tmp_path / "cache" / "khalkhin") == [key + ".json"]


def test_progress_only_for_slow_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, int, int]] = []
    load_mini(use_cache=False, progress=lambda *a: calls.append(a))
    assert calls == []  # small data: nothing to show
    monkeypatch.setattr(chronology, "SLOW_BYTES", 0)
    load_mini(use_cache=False, progress=lambda *a: calls.append(a))
    assert calls[0] == ("reading mini.yaml", 0, 3)
    assert calls[-1] == ("done", 3, 3)
    assert [c[1] for c in calls] == sorted(c[1] for c in calls)


def test_no_progress_bar_on_a_pipe(monkeypatch: pytest.MonkeyPatch, run: Callable[..., Any],
                                   mini: list[str]) -> None:
    monkeypatch.setattr(chronology, "SLOW_BYTES", 0)
    result = run("timeline", "--from", "1939", "--format", "plain", *mini)
    assert result.exit_code == 0
    assert result.stderr == ""


def test_clear(tmp_path: Path) -> None:
    load_mini()
    assert cache.clear() == 1
    assert entries(tmp_path) == []
