"""The cache: one indexed SQLite store per set of data files, keyed by content, version
and loader; written atomically; sealed by a checksum; self-healing; optional."""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from khalkhin import cache, chronology, store
from khalkhin import load as loader
from khalkhin.chronology import load
from tests.conftest import MINI


def entries(tmp_path: Path) -> list[Path]:
    d = tmp_path / "cache" / "khalkhin"
    return sorted(d.glob("*.sqlite")) if d.is_dir() else []


def load_mini(path: Path = MINI, **kw: Any) -> Any:
    return load([str(path)], bundled=False, **kw)


def edit(entry: Path, sql: str, *args: Any) -> None:
    """Change a store as khalkhin itself would have written it, checksum included."""
    con = sqlite3.connect(entry)
    con.execute(sql, args)
    con.commit()
    con.close()
    store._seal(str(entry))


def plant_title(entry: Path, title: str) -> None:
    """Rewrite the store so that its first event bears `title`."""
    set_event_field(entry, 2, title)


def set_event_field(entry: Path, n: int, value: Any) -> None:
    """Set field N of the first event's row (the id, field 0, is a column of its own)."""
    import json

    con = sqlite3.connect(entry)
    [(row,)] = con.execute(f"SELECT {store._ROW} FROM events WHERE ord = 0")
    con.close()
    doc = json.loads(row)
    doc[n] = value
    edit(entry, "UPDATE events SET row = ? WHERE ord = 0", json.dumps(doc[1:])[1:])


@pytest.fixture
def data(tmp_path: Path) -> Path:
    p = tmp_path / "data.yaml"
    shutil.copy(MINI, p)
    return p


def test_first_load_writes_a_store_and_warm_load_is_equal(tmp_path: Path) -> None:
    cold = load_mini()
    [entry] = entries(tmp_path)
    paths_hash, content_hash = entry.stem.split("-")
    assert len(paths_hash) == 16 and len(content_hash) == 40
    raw = entry.read_bytes()
    assert raw.startswith(b"SQLite format 3\x00")  # SQLite, never pickle
    con = sqlite3.connect(entry)
    meta = dict(con.execute("SELECT name, value FROM meta"))
    con.close()
    assert meta["schema"] == str(store.SCHEMA) and meta["key"] == entry.stem
    warm = load_mini()
    assert isinstance(warm, store.StoredChronology)
    assert warm is not cold
    assert warm == cold
    assert [e.sort_key for e in warm.events] == [e.sort_key for e in cold.events]
    assert (tmp_path / "cache" / "khalkhin" / (paths_hash + ".stat")).is_file()


def test_warm_load_neither_parses_nor_reads_the_data(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    load_mini()

    def boom(*a: object, **k: object) -> None:
        raise AssertionError("parsed or read although the store was warm")

    monkeypatch.setattr(loader, "parse_yaml", boom)
    monkeypatch.setattr(cache, "read_bytes", boom)
    assert load_mini().events


def test_a_touched_file_is_hashed_again_and_still_hits(tmp_path: Path, data: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    load_mini(data)
    os.utime(data, ns=(1, 1))  # same bytes, another time: hash them to find the store

    def boom(*a: object, **k: object) -> None:
        raise AssertionError("parsed although the bytes are those of the store")

    monkeypatch.setattr(loader, "parse_yaml", boom)
    assert load_mini(data).events


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


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    replaced: list[tuple[str, str]] = []
    real = os.replace

    def spy(src: str, dst: str) -> None:
        replaced.append((src, dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    load_mini()
    [(src, dst)] = [(a, b) for a, b in replaced if b.endswith(".sqlite")]
    assert os.path.basename(src).startswith(".tmp-") and dst == str(entries(tmp_path)[0])
    assert os.path.dirname(src) == os.path.dirname(dst)  # same file system: a real rename
    stem = os.path.basename(dst).split("-")[0]
    assert sorted(os.listdir(tmp_path / "cache" / "khalkhin")) == [os.path.basename(dst),
                                                                  stem + ".stat"]


def test_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
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
    assert cache.clear() == 2  # the store and its note
    assert entries(tmp_path) == []
    assert os.listdir(tmp_path / "cache" / "khalkhin") == []


@pytest.mark.parametrize("garbage", [b"", b"{", b"\x80\x81 not a store", b"SQLite format 3\x00",
                                     b"SQLite format 3\x00" + bytes(4096),
                                     b"\x80\x03cos\nsystem\n."])
def test_corrupt_store_is_ignored_and_rebuilt(tmp_path: Path, garbage: bytes) -> None:
    good = load_mini()
    [entry] = entries(tmp_path)
    entry.write_bytes(garbage)
    assert load_mini() == good
    assert entry.read_bytes().startswith(b"SQLite format 3\x00")  # rewritten whole
    assert load_mini() == good


def test_a_foreign_database_is_ignored(tmp_path: Path) -> None:
    good = load_mini()
    [entry] = entries(tmp_path)
    entry.unlink()
    con = sqlite3.connect(entry)
    con.execute("CREATE TABLE meta (name TEXT, value TEXT)")
    con.execute("INSERT INTO meta VALUES ('schema', '1')")
    con.commit()
    con.close()
    store._seal(str(entry))
    assert load_mini() == good


def test_a_flipped_byte_anywhere_is_caught_by_the_checksum(tmp_path: Path) -> None:
    good = load_mini()
    [entry] = entries(tmp_path)
    raw = entry.read_bytes()
    for at in range(100, len(raw), max(1, len(raw) // 40)):
        damaged = bytearray(raw)
        damaged[at] ^= 0x01
        entry.write_bytes(bytes(damaged))
        assert store.open_store(str(entry), entry.stem) is None
    entry.write_bytes(raw)
    assert store.open_store(str(entry), entry.stem) == good


def test_stale_schema_version_or_key_is_ignored(tmp_path: Path, data: Path) -> None:
    load_mini(data)
    [entry] = entries(tmp_path)
    for name, value in (("version", "0.0.0"), ("schema", "0"), ("key", "other")):
        plant_title(entry, "A title from a stale store")
        edit(entry, "UPDATE meta SET value = ? WHERE name = ?", value, name)
        titles = [e.title for e in load_mini(data).events]
        assert "A title from a stale store" not in titles
        [entry] = entries(tmp_path)


def test_a_store_is_used_when_valid(tmp_path: Path, data: Path) -> None:
    # The converse of the stale test: a valid store really is what is read.
    load_mini(data)
    [entry] = entries(tmp_path)
    plant_title(entry, "A title from the store")
    assert "A title from the store" in [e.title for e in load_mini(data).events]


def test_a_damaged_row_in_a_sealed_store_is_one_error_and_removes_it(
        tmp_path: Path, run: Callable[..., Any], mini: list[str]) -> None:
    # Large stores are not checked whole; a row found damaged while reading is reported
    # once and the store removed, so the next run rebuilds it.
    load_mini()
    [entry] = entries(tmp_path)
    edit(entry, "UPDATE events SET row = ? WHERE ord = 0", "[1, 2")
    result = run("timeline", "--format", "plain", *mini)
    assert result.exit_code == 1
    assert result.stderr.startswith("khalkhin: error: the cached store ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert entries(tmp_path) == []
    again = run("timeline", "--format", "plain", *mini)
    assert again.exit_code == 0 and again.stdout == run("timeline", "--format", "plain",
                                                         "--no-cache", *mini).stdout


@pytest.mark.parametrize("row", ['["e", "1939", 12345, "", [], [], null, [], null, null, '
                                 'null, []]', '{"id": 1}', '[]', 'null'])
def test_wrong_shapes_in_a_row_are_damage_not_answers(tmp_path: Path, row: str) -> None:
    load_mini()
    [entry] = entries(tmp_path)
    edit(entry, "UPDATE events SET row = ? WHERE ord = 0", row)
    with pytest.raises(store.StoreDamaged):
        list(load_mini().events)
    assert entries(tmp_path) == []


def test_no_cache_neither_reads_nor_writes(tmp_path: Path, data: Path) -> None:
    load_mini(data)
    [entry] = entries(tmp_path)
    plant_title(entry, "A title from the store")
    assert "A title from the store" not in [e.title for e in
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
    assert os.listdir(tmp_path / "cache" / "khalkhin") == [key + ".sqlite"]


def test_readers_while_a_writer_replaces_the_store(tmp_path: Path) -> None:
    chron = load_mini(use_cache=False)
    key = cache.key([(str(MINI), MINI.read_bytes())])
    assert cache.write(key, chron)
    seen: list[bool] = []

    def read() -> None:
        for _ in range(20):
            got = cache.read(key)
            seen.append(got is not None and got == chron)

    threads = [threading.Thread(target=read) for _ in range(3)]
    threads += [threading.Thread(target=cache.write, args=(key, chron)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen and all(seen)
