"""The check command, and the user's own chronology layered over the bundled one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from khalkhin import chronology, paths
from tests.conftest import MINI

BASE = str(MINI)


@pytest.fixture
def bundled(monkeypatch: pytest.MonkeyPatch) -> str:
    """Make the small test chronology stand in for the bundled one."""
    monkeypatch.setattr(paths, "bundled_path", lambda: MINI)
    return BASE


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


MANY = """\
events:
  - id: late
    date: 1939-08-20
    title: "An event"
    entities: [nobody]
    sources: [nothing]
  - id: early
    date: 1939-02-30
    title: "Another"
    tittle: "typo"
    sources: [nothing]
"""


# --- the check command -----------------------------------------------------------------------


def test_clean_file(run: Any, mini: list[str]) -> None:
    result = run("check", *mini)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "khalkhin: no problems in 1 file\n"


def test_every_problem_sorted_by_position(run: Any, tmp_path: Path) -> None:
    f = write(tmp_path / "many.yaml", MANY)
    result = run("check", "--no-bundled", f)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{f}:5:16: error: unknown entity 'nobody' [unknown-entity]",
        f"{f}:6:15: error: unknown source 'nothing' [unknown-source]",
        f"{f}:8:11: error: invalid date: '1939-02-30': day 30 is out of range (Feb 1939 has 28 "
        "days) [date]",
        f"{f}:10:5: error: unknown field 'tittle'; did you mean 'title'? [field]",
    ]
    assert result.stderr == "khalkhin: 4 errors, 0 warnings in 1 file\n"


def test_warnings_alone_exit_zero(run: Any) -> None:
    path = str(MINI.parent / "broken" / "lifetime.yaml")
    result = run("check", "--no-bundled", path)
    assert result.exit_code == 0
    assert result.stderr == "khalkhin: 0 errors, 1 warning in 1 file\n"


def test_json(run: Any, tmp_path: Path) -> None:
    f = write(tmp_path / "many.yaml", MANY)
    result = run("check", "--no-bundled", "--format", "json", f)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["files"] == [f]
    assert (doc["errors"], doc["warnings"]) == (4, 0)
    assert doc["summary"] == "4 errors, 0 warnings in 1 file"
    assert doc["problems"][0] == {"path": f, "line": 5, "col": 16, "severity": "error",
                                  "message": "unknown entity 'nobody'", "rule": "unknown-entity"}
    assert result.stderr == ""


def test_jsonl(run: Any, tmp_path: Path) -> None:
    f = write(tmp_path / "many.yaml", MANY)
    result = run("check", "--no-bundled", "-f", "jsonl", f)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["line"], r["rule"]) for r in rows] == [(5, "unknown-entity"),
                                                      (6, "unknown-source"), (8, "date"),
                                                      (10, "field")]


def test_file_level_problem_has_no_position_in_json(run: Any, tmp_path: Path) -> None:
    missing = str(tmp_path / "none.yaml")
    doc = json.loads(run("check", "--no-bundled", "-f", "json", missing).stdout)
    assert doc["problems"] == [{"path": missing, "line": None, "col": None, "severity": "error",
                                "message": "no such file", "rule": "file"}]


def test_unsupported_format(run: Any, mini: list[str]) -> None:
    result = run("check", *mini, "-f", "csv")
    assert result.exit_code == 2
    assert result.stderr == ("khalkhin: error: --format csv is not available for 'check'; use "
                             "one of: auto, plain, json, jsonl\n")


def test_nothing_to_check(run: Any) -> None:
    result = run("check", "--no-bundled")
    assert result.exit_code == 2
    assert result.stderr == ("khalkhin: error: nothing to check: --no-bundled needs a PATH, "
                             "--data PATH or KHALKHIN_DATA\n")


def test_several_files_and_a_directory(run: Any, tmp_path: Path) -> None:
    d = tmp_path / "mine"
    d.mkdir()
    a = write(d / "a.yaml", "events:\n  - id: x\n")
    write(d / "b.yml", "sources:\n  - {id: s, title: \"S\"}\n")
    write(d / "notes.txt", "not data")
    write(d / ".hidden.yaml", "not: [data")
    result = run("check", "--no-bundled", str(d), BASE)
    assert result.stdout.splitlines() == [
        f"{a}:2:5: error: event is missing 'date' [required]",
        f"{a}:2:5: error: event is missing 'sources' [no-source]",
        f"{a}:2:5: error: event is missing 'title' [required]",
    ]
    assert result.stderr == "khalkhin: 3 errors, 0 warnings in 3 files\n"


def test_default_checks_what_commands_load(run: Any, bundled: str, tmp_path: Path) -> None:
    mine = write(tmp_path / "mine.yaml", "events:\n  - {id: x, date: 1939-13, title: \"X\", "
                                         "sources: [lc-1989]}\n")
    result = run("check", env={"KHALKHIN_DATA": mine})
    assert result.stdout == (f"{mine}:2:19: error: invalid date: '1939-13': month 13 is out of "
                             "range (01–12) [date]\n")
    assert result.stderr == "khalkhin: 1 error, 0 warnings in 2 files\n"


def test_path_may_refer_to_bundled_ids(run: Any, bundled: str, tmp_path: Path) -> None:
    mine = write(tmp_path / "mine.yaml", "events:\n  - {id: x, date: 1939, title: \"X\", "
                                         "entities: [zhukov], sources: [lc-1989]}\n")
    assert run("check", mine).exit_code == 0
    alone = run("check", "--no-bundled", mine)
    assert alone.exit_code == 1
    assert alone.stdout.splitlines() == [
        f"{mine}:2:48: error: unknown entity 'zhukov' [unknown-entity]",
        f"{mine}:2:67: error: unknown source 'lc-1989' [unknown-source]",
    ]


def test_check_in_a_real_process(tmp_path: Path) -> None:
    f = write(tmp_path / "bad.yaml", "events:\n  - id: a\n    title: !!python/name:os.system\n")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    proc = subprocess.run([sys.executable, "-m", "khalkhin", "check", "--no-bundled", f],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 1
    assert proc.stdout == (f"{f}:3:12: error: YAML tag '!!python/name:os.system' is not allowed;"
                           " a chronology holds plain text, numbers, lists and mappings "
                           "[yaml-tag]\n")
    assert proc.stderr == "khalkhin: 1 error, 0 warnings in 1 file\n"


def test_help_names_the_command(run: Any) -> None:
    result = run("check", "--help")
    assert result.exit_code == 0
    assert "Check chronology files" in result.stdout


# --- your own chronology ---------------------------------------------------------------------

OWN = """\
sources:
  - {id: my-notes, title: "My notes"}
entities:
  - id: zhukov
    kind: person
    name: "Georgy Konstantinovich Zhukov"
    dates: 1896-12-01/1974-06-18
    sources: [my-notes]
events:
  - id: my-event
    date: 1939-08-21
    title: "My own event"
    entities: [zhukov, first-army-group]
    sources: [lc-1989, my-notes]
claims:
  - {subject: battle-of-khalkhin-gol, property: strength-soviet, value: "many",
     source: my-notes}
"""


def test_overlay_joins_and_replaces(run: Any, bundled: str, tmp_path: Path) -> None:
    mine = write(tmp_path / "own.yaml", OWN)
    result = run("timeline", "--data", mine, "--from", "1939-08-20", "--to", "1939-08-21",
                 "--strict")
    assert result.exit_code == 0
    assert result.stdout == ("1939-08-20  Soviet–Mongolian offensive opens\n"
                             "1939-08-21  My own event\n")
    assert result.stderr == (f"khalkhin: {mine}:4:9: warning: 'zhukov' replaces the entry of "
                             "the same id in the bundled chronology [override]\n")
    chron = chronology.load([mine], use_cache=False)
    assert chron.entities["zhukov"].name == "Georgy Konstantinovich Zhukov"
    assert "lc-1989" in chron.sources and "my-notes" in chron.sources
    assert [c.value for c in chron.claims if c.source.source == "my-notes"] == ["many"]


def test_no_bundled_uses_theirs_alone(run: Any, bundled: str, tmp_path: Path) -> None:
    mine = write(tmp_path / "own.yaml", "sources:\n  - {id: s, title: \"S\"}\nevents:\n"
                                        "  - {id: e, date: 1939-08-21, title: \"Mine\", "
                                        "sources: [s]}\n")
    result = run("timeline", "--no-bundled", "--data", mine)
    assert result.exit_code == 0
    assert result.stdout == "1939-08-21  Mine\n"


def test_khalkhin_data_takes_several_paths(run: Any, bundled: str, tmp_path: Path) -> None:
    d = tmp_path / "dir"
    d.mkdir()
    write(d / "one.yaml", "events:\n  - {id: e1, date: 1950, title: \"One\", "
                          "sources: [lc-1989]}\n")
    two = write(tmp_path / "two.yaml", "events:\n  - {id: e2, date: 1951, title: \"Two\", "
                                       "sources: [lc-1989]}\n")
    env = {"KHALKHIN_DATA": os.pathsep.join([str(d), two])}
    result = run("timeline", "--from", "1950", env=env)
    assert result.exit_code == 0
    assert result.stdout == "1950  One\n1951  Two\n"
    both = run("timeline", "--from", "1950", "--data", str(d), "--data", two)
    assert both.stdout == result.stdout


def test_error_in_their_file_names_their_file(run: Any, bundled: str, tmp_path: Path) -> None:
    mine = write(tmp_path / "own.yaml", "events:\n  - {id: e, date: 1939, title: \"X\", "
                                        "sources: [lc-1998]}\n")
    result = run("timeline", "--data", mine)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"khalkhin: {mine}:2:47: error: unknown source 'lc-1998'; did you mean 'lc-1989'? "
        "[unknown-source]\n"
        f"khalkhin: 1 problem in the data; run 'khalkhin check {mine}' to see them all\n")


def test_many_problems_are_cut_short(run: Any, tmp_path: Path) -> None:
    rows = "".join(f"  - {{id: e{i}, date: 1939, title: \"X\", sources: [no]}}\n"
                   for i in range(8))
    mine = write(tmp_path / "own.yaml", "events:\n" + rows)
    lines = run("timeline", "--no-bundled", "--data", mine).stderr.splitlines()
    assert len(lines) == 6
    assert lines[-1] == (f"khalkhin: 8 problems in the data (3 more); run 'khalkhin check "
                         f"{mine}' to see them all")


def test_nothing_is_ever_written(run: Any, bundled: str, tmp_path: Path) -> None:
    d = tmp_path / "dir"
    d.mkdir()
    own = write(d / "own.yaml", OWN)
    broken = write(tmp_path / "broken.yaml", MANY)
    files = [own, broken, str(MINI)]
    before = {f: (os.stat(f).st_mtime_ns, Path(f).read_bytes()) for f in files}
    run("check", own, broken)
    run("check", "-f", "json", str(d))
    run("timeline", "--data", str(d))
    run("timeline", "--data", broken)
    run("timeline", "--data", own, "-o", own, "--force")
    run("timeline", "-o", str(d / "new.yaml"), env={"KHALKHIN_DATA": str(d)})
    assert {f: (os.stat(f).st_mtime_ns, Path(f).read_bytes()) for f in files} == before
    assert sorted(os.listdir(d)) == ["own.yaml"]
