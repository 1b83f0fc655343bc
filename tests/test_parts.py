"""Large sets of files: each large file is kept parsed on its own (a part), so that an edit
to one file re-parses only that file, and several large files are parsed side by side."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from khalkhin import cache, chronology
from khalkhin import load as loader
from khalkhin.errors import DataError
from khalkhin.paths import bundled_path

HEAD = """sources:
  - {id: src-a, title: "The A Papers"}
entities:
  - {id: place-a, kind: place, name: "Nomonhan", aliases: ["Halha"], sources: [src-a]}
  - {id: unit-b, kind: unit, name: "57th Special Corps", sources: [src-a]}
"""


def events(first: int, n: int) -> str:
    out = ["events:"]
    for i in range(first, first + n):
        out += [f"  - id: ev-{i}", f"    date: 1939-{i % 12 + 1:02d}-{i % 27 + 1:02d}",
                f'    title: "Skirmish {i} near Nomonhan"', "    entities: [place-a, unit-b]",
                "    sources:", f'      - {{source: src-a, locator: "p. {i}"}}']
    return "\n".join(out) + "\n"


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Three files, each counted as large."""
    monkeypatch.setattr(cache, "PART_BYTES", 1)
    paths = [tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "c.yaml"]
    paths[0].write_text(HEAD, encoding="utf-8")
    paths[1].write_text(events(0, 30), encoding="utf-8")
    paths[2].write_text(events(30, 30), encoding="utf-8")
    return [str(p) for p in paths]


def parts(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "khalkhin").glob("*.part"))


def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths parse_yaml is asked to parse in this process, from now on."""
    seen: list[str] = []
    real = loader.parse_yaml

    def spy(text: str, path: str, **kw: Any) -> Any:
        seen.append(path)
        return real(text, path, **kw)

    monkeypatch.setattr(loader, "parse_yaml", spy)
    return seen


def load(paths: list[str], **kw: Any) -> Any:
    return chronology.load(paths, bundled=False, **kw)


def same(a: Any, b: Any) -> bool:
    return (list(a.events) == list(b.events) and dict(a.entities) == dict(b.entities)
            and a.sources == b.sources and list(a.warnings) == list(b.warnings))


def test_an_edit_to_one_file_reparses_only_that_file(tmp_path: Path, files: list[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chronology, "_workers", lambda jobs, kept=0: 0)
    load(files)
    assert len(parts(tmp_path)) == 3
    with open(files[2], "a", encoding="utf-8") as fh:
        fh.write(events(60, 1).removeprefix("events:\n"))
    seen = parsed(monkeypatch)
    warm = load(files)
    assert seen == [files[2]]
    assert "ev-60" in warm.event_index
    assert same(warm, load(files, use_cache=False))
    assert len(parts(tmp_path)) == 3  # the edited file's older part is gone


def test_how_many_workers_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    from khalkhin import forks

    monkeypatch.setattr(forks, "cpus", lambda jobs=2: min(jobs, 2) if jobs > 1 else 0)
    assert chronology._workers(0, 5) == 0  # nothing to parse
    assert chronology._workers(1) == 0  # one file and nothing else to do: parsed here
    assert chronology._workers(1, 9) == 1  # one file, while nine kept parses are read
    assert chronology._workers(3) == 2  # one per CPU


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux")
def test_an_edited_file_is_parsed_by_a_worker_while_the_parts_are_read(
        tmp_path: Path, files: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    load(files)
    with open(files[0], "a", encoding="utf-8") as fh:  # the first: read before the parts
        fh.write("  - {id: unit-c, kind: unit, name: \"Edited Corps\", sources: [src-a]}\n")
    monkeypatch.setattr(chronology, "_workers", lambda jobs, kept=0: 1 if kept else 0)
    seen = parsed(monkeypatch)
    warm = load(files)
    assert seen == []  # parsed by the worker
    assert "unit-c" in warm.entities
    assert same(warm, load(files, use_cache=False))


def test_a_damaged_part_is_parsed_again(tmp_path: Path, files: list[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chronology, "_workers", lambda jobs, kept=0: 0)
    cold = load(files)
    for p in (tmp_path / "cache" / "khalkhin").glob("*.s*"):  # the store and its note
        p.unlink()
    part = next(p for p in parts(tmp_path) if p.stat().st_size > 200)
    blob = bytearray(part.read_bytes())
    blob[len(blob) // 2] ^= 0x40
    part.write_bytes(bytes(blob))
    seen = parsed(monkeypatch)
    again = load(files)
    assert len(seen) == 1
    assert same(again, cold)


def test_one_large_file_is_not_kept_twice(tmp_path: Path, files: list[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "PART_BYTES", 1000)  # only the two files of events are large
    load(files[:2])
    assert parts(tmp_path) == []
    assert load(files[:2]).events


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux")
def test_files_parsed_by_workers_give_the_same_chronology(
        tmp_path: Path, files: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chronology, "_workers", lambda jobs, kept=0: 2)
    seen = parsed(monkeypatch)
    built = load(files)
    assert seen == []  # every file was parsed in a worker
    assert len(parts(tmp_path)) == 3
    assert same(built, load(files, use_cache=False))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux")
def test_a_broken_file_parsed_by_a_worker_is_reported_as_it_is_without(
        tmp_path: Path, files: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    Path(files[1]).write_text(events(0, 3) + "  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError) as alone:
        load(files, use_cache=False)
    monkeypatch.setattr(chronology, "_workers", lambda jobs, kept=0: 2)
    with pytest.raises(DataError) as forked:
        load(files)
    assert [str(p) for p in forked.value.problems] == [str(p) for p in alone.value.problems]
    assert "b.yaml:21:1: error: YAML syntax" in str(forked.value.problems[0])


def _tree(v: Any) -> Any:
    """A parsed value with every position and raw text, for comparing."""
    if type(v) is loader.YMap:
        return ("map", v.line, v.col, v.pos, v.kpos, v.raw, [(k, _tree(x)) for k, x in v.items()])
    if type(v) is loader.YList:
        return ("list", v.line, v.col, v.pos, v.raw, [_tree(x) for x in v])
    return (type(v).__name__, v)


def test_a_packed_parse_is_the_parse() -> None:
    path = str(bundled_path())
    text = loader.read_text(path)
    root, problems = loader.parse_yaml(text, path)
    back, back_problems = loader.unpack(loader.pack(root, problems))
    assert _tree(back) == _tree(root)
    assert back_problems == problems
    # Unpacked lazily, the records are bytes until each is thawed, then the same.
    lazy, _ = loader.unpack(loader.pack(root, problems), lazy=True)
    assert all(type(x) is bytes for x in lazy["events"])
    for v in lazy.values():
        if isinstance(v, loader.YList):
            v[:] = [loader.thaw(x) for x in v]
    assert _tree(lazy) == _tree(root)
    odd = "x: [no, 017, 12:30, ~, 1.5, 'no']\nx: 2\n"
    root, problems = loader.parse_yaml(odd, "odd.yaml")
    back, back_problems = loader.unpack(loader.pack(root, problems))
    assert _tree(back) == _tree(root) and back_problems == problems and problems


@pytest.mark.parametrize("blob", [b"", b"not zlib", __import__("zlib").compress(b"\x00\x01"),
                                  __import__("zlib").compress(__import__("marshal").dumps(7))])
def test_what_is_not_a_packed_parse_is_refused(blob: bytes) -> None:
    with pytest.raises(ValueError):
        loader.unpack(blob)


CROSS_A = """sources:
  - {id: src-a, title: "The A Papers"}
entities:
  - id: place-a
    kind: place
    name: "Nomonhan"
    aliases: ["Halha", "Khalkha"]
    sources: [src-a]
  - id: unit-b
    kind: unit
    name: "57th Special Corps"
    relations:
      - {type: fought-in, target: nowhere-battle}
    homonyms: [no-such-entity]
    sources: [src-a, src-missing]
"""

CROSS_B = """entities:
  - id: person-c
    kind: person
    name: "Komatsubara"
    aliases: ["Halha"]
    dates: 1886/1940
    place: atlantis
    sources: [src-a]
events:
  - id: ev-1
    date: 1939-07-02
    title: "Crossing at Nomonhan"
    entities: [place-a, ghost-unit, person-c]
    place: unit-b
    sources:
      - {source: src-a, locator: "p. 1"}
      - {source: src-gone}
  - id: ev-2
    date: 1950-01-01
    title: "Long after"
    entities: [person-c]
    sources: [src-a]
claims:
  - {subject: nobody, property: casualties, value: "100", source: src-a}
  - {subject: ev-1, property: casualties, value: "200", source: src-nowhere}
"""


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_problems_across_files_read_as_in_check(tmp_path: Path, order: tuple[int, int]) -> None:
    # A cold load keeps of each collected record only the positions its later checks
    # need (validate.Slim); what they report (references across files, aliases,
    # lifetimes, claims) is check's, to the line and column, whichever file comes first.
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(CROSS_A, encoding="utf-8")
    b.write_text(CROSS_B, encoding="utf-8")
    paths = [str((a, b)[i]) for i in order]
    _, expected = chronology.check(paths)
    rules = {p.rule for p in expected}
    assert {"unknown-entity", "unknown-source", "unknown-place", "alias-conflict",
            "lifetime", "place"} <= rules
    with pytest.raises(DataError) as e:
        chronology.load_paths(paths, use_cache=False)
    assert sorted(e.value.problems) == expected
