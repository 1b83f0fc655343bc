"""The README's promises, tried as an attacker and as a careless user would: nothing the user
has is damaged, nothing hostile reaches a terminal or a spreadsheet, one line and never a
traceback, whatever the input."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from khalkhin.cli import app
from khalkhin.load import LoadFailed, parse_yaml
from tests.conftest import MINI

TESTS = Path(__file__).resolve().parent
HOSTILE = TESTS / "data" / "hostile.yaml"
ESC = "\x1b"


def invoke(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def proc(*args: str, env: dict[str, str] | None = None, **kw: Any) -> subprocess.CompletedProcess[
        str]:
    full = dict(os.environ)
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "khalkhin", *args], capture_output=True,
                          text=True, env=full, timeout=60, **kw)


def one_line_error(result: Any, code: int) -> str:
    assert result.exit_code == code, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("khalkhin: error: ")
    return str(lines[0])


# --- 1. the same error whichever libyaml -------------------------------------------------------


def test_deep_flow_nesting_is_the_same_with_and_without_libyaml() -> None:
    text = "events: " + "[" * 5000 + "]" * 5000 + "\n"
    messages = []
    for pure in (False, True):
        with pytest.raises(LoadFailed) as e:
            parse_yaml(text, "deep.yaml", pure=pure)
        messages.append(str(e.value.problem))
    assert messages == ["deep.yaml:1:56: error: nesting deeper than 48 levels; a chronology "
                        "needs only a few [structure]"] * 2


# --- 2. nothing the user has is damaged --------------------------------------------------------


@pytest.fixture
def linked(tmp_path: Path) -> tuple[Path, Path, Path]:
    """t/real.yaml, and a data directory t/dd whose a.yaml is a symbolic link to it."""
    dd = tmp_path / "dd"
    dd.mkdir()
    real = tmp_path / "real.yaml"
    shutil.copy(MINI, real)
    (dd / "a.yaml").symlink_to("../real.yaml")
    return dd, dd / "a.yaml", real


@pytest.mark.parametrize("via", ["link", "real", "env"])
def test_output_never_reaches_a_data_file_through_a_link(linked: tuple[Path, Path, Path],
                                                         via: str) -> None:
    dd, link, real = linked
    before = real.read_bytes()
    target = str(real if via == "real" else link)
    data = [] if via == "env" else ["--data", str(dd)]
    env = {"KHALKHIN_DATA": str(dd)} if via == "env" else None
    r = invoke("tags", "--no-bundled", *data, "-o", target, "--force", env=env)
    assert one_line_error(r, 2) == (f"khalkhin: error: {target}: is a data file; khalkhin "
                                    "never writes to its data")
    assert real.read_bytes() == before
    assert link.is_symlink()


def test_a_new_yaml_in_a_data_directory_is_refused(tmp_path: Path) -> None:
    dd = tmp_path / "dd"
    dd.mkdir()
    shutil.copy(MINI, dd / "mine.yaml")
    r = invoke("tags", "--no-bundled", "--data", str(dd), "-o", str(dd / "new.yaml"))
    assert r.exit_code == 2
    assert not (dd / "new.yaml").exists()


def test_output_to_dev_null_writes_in_place_without_force() -> None:
    r = invoke("tags", "--no-bundled", "--data", str(MINI), "-o", "/dev/null")
    assert r.exit_code == 0, r.stderr
    r = invoke("tags", "--no-bundled", "--data", str(MINI), "-o", "/dev/null", "--force")
    assert r.exit_code == 0, r.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)  # still the device, not a file


def test_output_to_a_fifo_writes_into_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    r = invoke("tags", "--no-bundled", "--data", str(MINI), "-o", str(fifo), "--force")
    reader.join(10)
    assert r.exit_code == 0, r.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert got and got[0].decode().startswith("khalkhin-gol")


def test_output_to_dev_stdout_goes_to_stdout() -> None:
    p = proc("tags", "--no-bundled", "--data", str(MINI), "-o", "/dev/stdout")
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("khalkhin-gol")


def _blocked(where: str, args: list[str], tmp_path: Path) -> subprocess.Popen[bytes]:
    """Run khalkhin with os.replace in WHERE made to wait (a temporary file is then on disk),
    and say so on stderr."""
    hook = (
        "import os, sys, time\n"
        f"import {where} as m\n"
        "def slow(a, b):\n"
        "    sys.stderr.write('ready\\n'); sys.stderr.flush(); time.sleep(60)\n"
        "m.os.replace = slow\n"
        "import khalkhin.cli as cli\n"
        f"sys.argv = ['khalkhin', *{args!r}]\n"
        "cli.main()\n"
    )
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    return subprocess.Popen([sys.executable, "-c", hook], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)


@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_leaves_no_temporary_output_file(tmp_path: Path, sig: int, code: int) -> None:
    target = tmp_path / "out.txt"
    p = _blocked("khalkhin.term", ["tags", "--no-bundled", "--no-cache", "--data", str(MINI),
                                   "-o", str(target)], tmp_path)
    assert p.stderr is not None and p.stderr.readline() == b"ready\n"
    assert [n for n in os.listdir(tmp_path) if n.startswith(".khalkhin-")]
    p.send_signal(sig)
    _, err = p.communicate(timeout=30)
    assert p.returncode == code
    assert b"Traceback" not in err
    assert [n for n in os.listdir(tmp_path) if n.startswith(".khalkhin-")] == []
    assert not target.exists()


def test_a_signal_leaves_no_temporary_cache_file(tmp_path: Path) -> None:
    p = _blocked("khalkhin.store", ["tags", "--no-bundled", "--data", str(MINI)], tmp_path)
    assert p.stderr is not None and p.stderr.readline() == b"ready\n"
    cache_dir = tmp_path / "cache" / "khalkhin"
    assert [n for n in os.listdir(cache_dir) if n.startswith(".tmp-")]
    p.send_signal(signal.SIGTERM)
    p.communicate(timeout=30)
    assert p.returncode == 143
    assert [n for n in os.listdir(cache_dir) if n.startswith(".tmp-")] == []


def test_stale_temporary_files_are_pruned(tmp_path: Path) -> None:
    old = tmp_path / ".khalkhin-dead.tmp"
    new = tmp_path / ".khalkhin-busy.tmp"
    for f in (old, new):
        f.write_text("left by a killed process")
    hours_ago = time.time() - 7200
    os.utime(old, (hours_ago, hours_ago))
    r = invoke("tags", "--no-bundled", "--data", str(MINI), "-o", str(tmp_path / "out.txt"))
    assert r.exit_code == 0
    assert not old.exists() and new.exists()


# --- 3. nothing hostile reaches a terminal or a spreadsheet -------------------------------------


@pytest.mark.parametrize("args", [
    ["show", "Pact"], ["show", "Pakt"], ["compare", "Pact", "Pact entity"],
    ["figures", "Pakt"], ["timeline", "-e", "Pakt"], ["chart", "-e", "Pakt"],
    ["show", "nothing-like-it"],
])
def test_labels_from_data_are_cleaned_on_stderr(args: list[str]) -> None:
    r = invoke(*args, "--no-bundled", "--data", str(HOSTILE))
    assert "Traceback" not in r.output
    assert ESC not in r.stderr and "\x9b" not in r.stderr and "\u202e" not in r.stderr
    assert ESC not in r.stdout


def test_check_json_escapes_controls(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("events:\n  - id: x\n    tit\u202ele: \"y\"\n", encoding="utf-8")
    for fmt in ("json", "jsonl"):
        r = invoke("check", "--no-bundled", str(bad), "-f", fmt)
        assert r.exit_code == 1
        assert "\u202e" not in r.stdout
        assert "\\u202e" in r.stdout
        docs = [json.loads(line) for line in r.stdout.splitlines()] if fmt == "jsonl" else [
            json.loads(r.stdout)]
        assert docs


def test_csv_cells_cannot_become_formulas(tmp_path: Path) -> None:
    data = tmp_path / "f.yaml"
    data.write_text(
        'sources:\n  - {id: s, title: "=HYPERLINK(\\"http://x\\")"}\n'
        'events:\n'
        '  - {id: a, date: 1939, title: "=1+2", summary: "+cmd", sources: [s]}\n'
        '  - {id: b, date: 1940, title: "@SUM(A1)", summary: "-2+3", sources: [s]}\n'
        '  - {id: c, date: 1941, title: "plain", summary: "a = b", sources: [s]}\n',
        encoding="utf-8")
    r = invoke("timeline", "--no-bundled", "--data", str(data), "-f", "csv", "--long")
    rows = list(csv.DictReader(io.StringIO(r.stdout, newline="")))
    assert [(x["title"], x["summary"]) for x in rows] == [
        ("'=1+2", "'+cmd"), ("'@SUM(A1)", "'-2+3"), ("plain", "a = b")]
    r = invoke("sources", "--no-bundled", "--data", str(data), "-f", "csv")
    assert "'=HYPERLINK" in r.stdout


def test_markdown_links_only_web_urls(tmp_path: Path) -> None:
    from markdown_it import MarkdownIt

    data = tmp_path / "u.yaml"
    data.write_text(
        'sources:\n'
        '  - {id: evil, title: "Evil", url: "javascript:alert(1)"}\n'
        '  - {id: good, title: "Good", url: "https://history.state.gov/x"}\n'
        'events:\n'
        '  - {id: a, date: 1939, title: "A", sources: [evil, good]}\n', encoding="utf-8")
    r = invoke("timeline", "--no-bundled", "--data", str(data), "-f", "markdown")
    assert "<javascript:" not in r.stdout
    html = MarkdownIt("commonmark").render(r.stdout)
    assert 'href="javascript' not in html
    assert 'href="https://history.state.gov/x"' in html


# --- 4. one clear line, never a traceback, never a hang -----------------------------------------


def test_alias_amplification_by_bytes(tmp_path: Path) -> None:
    big = "x" * (2 * 1024 * 1024)
    rows = [f'sources:\n  - id: s\n    title: &t "{big}"\n', "events:\n"]
    rows += [f"  - {{id: e{i}, date: 1939, title: *t, sources: [s]}}\n" for i in range(999)]
    f = tmp_path / "amp.yaml"
    f.write_text("".join(rows))
    r = invoke("check", "--no-bundled", str(f))
    assert r.exit_code == 1
    assert r.stdout.splitlines() == [
        f"{f}:37:34: error: aliases expand to more than 64 MiB of text (an alias bomb?) "
        "[yaml-alias]"]
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").rglob("*.sqlite"))


@pytest.fixture
def entry(tmp_path: Path) -> Path:
    assert invoke("tags", "--no-bundled", "--data", str(MINI)).exit_code == 0
    [found] = list((tmp_path / "cache" / "khalkhin").glob("*.sqlite"))
    return found


def tags_ok() -> None:
    r = invoke("tags", "--no-bundled", "--data", str(MINI))
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("khalkhin-gol")


def test_a_fifo_cache_entry_does_not_hang(entry: Path) -> None:
    entry.unlink()
    os.mkfifo(entry)
    tags_ok()


def test_a_link_to_dev_zero_is_not_read(entry: Path) -> None:
    entry.unlink()
    entry.symlink_to("/dev/zero")
    tags_ok()


def test_a_flipped_byte_is_not_served(entry: Path) -> None:
    raw = bytearray(entry.read_bytes())
    at = raw.index(b"Clash at Lake Khasan")
    raw[at:at + 5] = b"Flash"
    entry.write_bytes(bytes(raw))
    r = invoke("timeline", "--no-bundled", "--data", str(MINI))
    assert "Flash at Lake Khasan" not in r.stdout and "Clash at Lake Khasan" in r.stdout


def test_a_store_with_wrong_types_is_never_an_answer(entry: Path) -> None:
    from tests.test_cache import set_event_field

    set_event_field(entry, 2, 12345)  # sealed, as if khalkhin had written it so
    r = invoke("timeline", "--no-bundled", "--data", str(MINI))
    assert one_line_error(r, 1).startswith("khalkhin: error: the cached store ")
    assert "12345" not in r.stdout
    tags_ok()  # removed, and rebuilt by the next run


@pytest.mark.parametrize("target", ["/dev/full"])
def test_a_full_disk_is_one_line(target: str) -> None:
    if not os.path.exists(target):
        pytest.skip("no /dev/full here")
    with open(target, "w") as full:
        p = subprocess.run([sys.executable, "-m", "khalkhin", "tags", "--no-bundled", "--data",
                            str(MINI)], stdout=full, stderr=subprocess.PIPE, text=True,
                           timeout=60)
    assert p.returncode == 1
    assert p.stderr == "khalkhin: error: cannot write the output: No space left on device\n"
    r = invoke("tags", "--no-bundled", "--data", str(MINI), "-o", target)
    assert one_line_error(r, 1) == ("khalkhin: error: /dev/full: cannot write: No space left "
                                    "on device")


def test_a_refused_replace_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from khalkhin import term

    def refuse(a: str, b: str) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(term.os, "replace", refuse)
    target = tmp_path / "out.txt"
    r = invoke("tags", "--no-bundled", "--data", str(MINI), "-o", str(target))
    assert one_line_error(r, 1) == (f"khalkhin: error: {target}: cannot replace it: Operation "
                                    "not permitted")
    assert os.listdir(tmp_path) == ["cache"] or not [
        n for n in os.listdir(tmp_path) if n.startswith(".khalkhin-")]


def test_an_ascii_terminal_and_a_non_ascii_file_name(tmp_path: Path) -> None:
    f = tmp_path / "Žukov.yaml"
    f.write_text("events:\n  - {id: x, date: 1939-02-30, title: \"Жуков\", sources: [s]}\n",
                 encoding="utf-8")
    p = proc("check", "--no-bundled", str(f), env={"PYTHONIOENCODING": "ascii"})
    assert p.returncode == 1
    assert "Traceback" not in p.stderr
    assert "Zukov.yaml:2:" in p.stdout


def test_an_undecodable_file_name(tmp_path: Path) -> None:
    raw = os.fsencode(str(tmp_path)) + b"/\xff\xfe.yaml"
    with open(raw, "w", encoding="utf-8") as fh:
        fh.write("events:\n  - {id: x, date: 1939, title: \"t\"}\n")
    name = os.fsdecode(raw)
    for fmt in ("plain", "json"):
        p = subprocess.run([sys.executable, "-m", "khalkhin", "check", "--no-bundled", name,
                            "-f", fmt], capture_output=True, timeout=60)
        assert p.returncode == 1
        assert b"Traceback" not in p.stderr
        out = p.stdout.decode("utf-8")  # valid UTF-8, whatever the name held
        assert "missing 'sources'" in out or "cites no source" in out


@pytest.mark.parametrize("when", ["9999", "99XX", "9999/..", "9999-12-31", "0001-01-01"])
def test_calendar_edges(tmp_path: Path, when: str) -> None:
    from icalendar import Calendar

    f = tmp_path / "edge.yaml"
    f.write_text(f'sources: [{{id: s, title: "S"}}]\nevents:\n  - {{id: e, date: "{when}", '
                 'title: "Edge", sources: [s]}\n', encoding="utf-8")
    r = invoke("timeline", "--no-bundled", "--data", str(f), "-f", "ics")
    assert r.exit_code == 0, r.output
    [ev] = Calendar.from_ical(r.stdout).walk("VEVENT")
    assert str(ev["SUMMARY"]).startswith("Edge")
    r = invoke("timeline", "--no-bundled", "--data", str(f), "-f", "json")
    [rec] = json.loads(r.stdout)
    if when in ("9999-12-31", "0001-01-01"):
        assert rec["start"] == rec["end"] == when  # a real day, not an open end


def test_huge_numbers_in_options() -> None:
    r = invoke("search", "zhukov", "-n", "461168601842738791")
    assert r.exit_code == 0 and "zhukov" in r.stdout
    for width in ("99999999999999999999", "10000000"):
        r = invoke("chart", "-w", width)
        line = one_line_error(r, 2)
        assert "--width" in line and "1000" in line


def test_show_to_a_closed_pipe_exits_0() -> None:
    p = subprocess.run(f"{sys.executable} -m khalkhin show zhukov -f table | head -1",
                       shell=True, capture_output=True, text=True, timeout=60,
                       executable="/bin/bash",
                       env=dict(os.environ, COLUMNS="80", PIPESTATUS_CHECK="1"))
    assert p.stderr == ""
    p = subprocess.run(f"{sys.executable} -m khalkhin show zhukov -f table | head -1; "
                       "exit ${PIPESTATUS[0]}", shell=True, capture_output=True, text=True,
                       timeout=60, executable="/bin/bash")
    assert p.returncode == 0, p.stderr


def test_positions_count_editor_lines(tmp_path: Path) -> None:
    f = tmp_path / "odd.yaml"
    f.write_text('events:\n  - id: x\n    title: "a\u2028b\u2029c\x85d"\n    summary: "\x07"\n',
                 encoding="utf-8")
    r = invoke("check", "--no-bundled", str(f))
    assert r.stdout.splitlines() == [
        f"{f}:4:15: error: character U+0007 is not allowed in YAML text (a control character); "
        "remove it or write it as an escape in double quotes [encoding]"]
    f.write_text('events:\n  - id: x\n    title: "a\u2028b\u2029c"\n    datum: 1939\n',
                 encoding="utf-8")
    r = invoke("check", "--no-bundled", str(f))
    assert f"{f}:4:5: error: unknown field 'datum'; did you mean 'date'? [field]" in r.stdout


@pytest.mark.parametrize("args,message", [
    (["timeline", "--bogus"], "khalkhin: error: No such option: --bogus"),
    (["timelin"], "khalkhin: error: No such command 'timelin'."),
    (["timeline", "-n", "x"], "khalkhin: error: Invalid value for '--limit' / '-n'"),
])
def test_usage_errors_are_one_line(args: list[str], message: str) -> None:
    line = one_line_error(invoke(*args), 2)
    assert line.startswith(message)
    assert "--help" in line
    p = proc(*args)
    assert p.returncode == 2 and p.stderr.count("\n") == 1


def test_suggestions_are_bounded(tmp_path: Path) -> None:
    rows = ["events:\n"]
    rows += [f"  - {{id: e{i}, date: 1939, title: t, sources: [s], titel{i}: x}}\n"
             for i in range(20_000)]
    f = tmp_path / "many.yaml"
    f.write_text("".join(rows))
    r = invoke("check", "--no-bundled", str(f), "-f", "jsonl")
    assert r.exit_code == 1
    fields = [p for p in map(json.loads, r.stdout.splitlines()) if p["rule"] == "field"]
    assert len(fields) == 20_000
    assert "did you mean" not in fields[-1]["message"]


@pytest.mark.parametrize("command", ["show", "search", "figures", "compare"])
def test_an_empty_name_is_a_usage_error(command: str) -> None:
    args = [command, ""] if command != "compare" else [command, "", "zhukov"]
    line = one_line_error(invoke(*args), 2)
    assert "needed" in line or "needs" in line


def test_long_queries_are_not_echoed_whole() -> None:
    q = "q" * 100_000
    for command in ("show", "search"):
        r = invoke(command, q)
        assert r.exit_code == 1
        assert len(r.stderr) < 500


# --- properties: argv and cache content ---------------------------------------------------------

_WORDS = st.sampled_from(["timeline", "show", "search", "compare", "figures", "list", "tags",
                          "sources", "chart", "check", "on-this-day", "--from", "--to", "-f",
                          "json", "csv", "ics", "svg", "markdown", "-n", "0", "-1", "x",
                          "--tag", "zhukov", "1939-13", "1939-08", "--entity", "--bogus", "",
                          "-o", "-", "--strict", "--limit", "08-20", "Aug 1939", "\x1b[2J",
                          "--kind", "battle", "--width", "5", "--disputed", "--cite"])


@given(st.lists(_WORDS, max_size=6))
def test_any_argv_gives_an_exit_code_and_no_traceback(argv: list[str]) -> None:
    r = CliRunner().invoke(app, [*argv, "--no-bundled", "--data", str(MINI)] if argv else [],
                           catch_exceptions=True)
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert r.exit_code in (0, 1, 2), (argv, r.output)
    assert "Traceback" not in r.output
    assert ESC not in r.stderr


@given(st.binary(max_size=400) | st.builds(lambda b: b"SQLite format 3\x00" + b,
                                           st.binary(max_size=4000)),
       st.integers(min_value=0), st.integers(min_value=1, max_value=255))
def test_any_cache_content_is_ignored_or_equal(tmp_path_factory: Any, blob: bytes, at: int,
                                               flip: int) -> None:
    from khalkhin.chronology import load

    home = tmp_path_factory.mktemp("c")
    env = {"XDG_CACHE_HOME": str(home)}
    good = load([str(MINI)], bundled=False, env=env)
    [found] = list((home / "khalkhin").glob("*.sqlite"))
    real = bytearray(found.read_bytes())
    real[at % len(real)] ^= flip  # one damaged byte anywhere in a real store
    for content in (blob, bytes(real)):
        found.write_bytes(content)
        assert load([str(MINI)], bundled=False, env=env) == good
