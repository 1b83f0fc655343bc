"""Pipes and terminals: colour choice, a closed pipe, Ctrl-C, non-UTF-8 output, -o files."""

from __future__ import annotations

import os
import pty
import re
import signal
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from khalkhin import term
from tests.conftest import MINI

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile.yaml"
ARGS = ["timeline", "--no-bundled", "--data", str(MINI)]


def env(**extra: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items()
           if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LC_ALL", "PYTHONIOENCODING")}
    out.update(extra)
    return out


def khalkhin(*args: str) -> list[str]:
    return [sys.executable, "-m", "khalkhin", *args]


# --- colour -------------------------------------------------------------------------------------


class FakeTTY:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty

    def fileno(self) -> int:
        raise OSError


@pytest.mark.parametrize(("tty", "choice", "environ", "expected"), [
    (True, "auto", {"TERM": "xterm"}, True),
    (False, "auto", {"TERM": "xterm"}, False),
    (True, "auto", {"TERM": "xterm", "NO_COLOR": "1"}, False),
    (True, "auto", {"TERM": "xterm", "NO_COLOR": ""}, True),  # empty means unset
    (False, "auto", {"FORCE_COLOR": "1"}, True),
    (True, "auto", {"TERM": "dumb"}, False),
    (True, "never", {"FORCE_COLOR": "1"}, False),
    (False, "always", {"NO_COLOR": "1"}, True),
])
def test_colour_choice(tty: bool, choice: str, environ: dict[str, str], expected: bool) -> None:
    assert term.detect(FakeTTY(tty), choice, environ).color is expected  # type: ignore[arg-type]


def test_width_from_columns() -> None:
    assert term.detect(FakeTTY(False), "auto", {"COLUMNS": "132"}).width == 132  # type: ignore[arg-type]


@pytest.mark.parametrize(("opts", "environ", "ansi"), [
    (["--color", "always"], {}, True),
    (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    ([], {"FORCE_COLOR": "1"}, True),
    ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
])
def test_colour_in_tables(run: Any, mini: list[str], opts: list[str], environ: dict[str, str],
                          ansi: bool) -> None:
    result = run("timeline", *mini, "-f", "table", *opts, env=environ)
    assert result.exit_code == 0
    assert ("\x1b[" in result.stdout) is ansi


def test_bad_colour_is_a_usage_error(run: Any, mini: list[str]) -> None:
    result = run("timeline", *mini, "--color", "sometimes")
    assert result.exit_code == 2
    assert "'sometimes': use auto, always or never" in result.stderr


# --- pipes and terminals through real processes ------------------------------------------------


def test_head_closes_the_pipe_quietly() -> None:
    pipeline = " ".join(f"'{a}'" for a in khalkhin(*ARGS)) + " | head -1"
    done = subprocess.run(["bash", "-c", "set -o pipefail; " + pipeline], capture_output=True,
                          text=True, env=env(), timeout=30)
    assert done.stdout == "1931-09-18  Japan occupies Manchuria\n"
    assert done.stderr == ""
    assert done.returncode == 0


def test_reader_gone_before_the_first_write() -> None:
    # The read end is closed before khalkhin writes: every write fails with EPIPE.
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.Popen(khalkhin(*ARGS, "--long"), stdout=write, stderr=subprocess.PIPE,
                                env=env())
    finally:
        os.close(write)
    _, err = proc.communicate(timeout=30)
    assert err == b""
    assert proc.returncode == 0


def test_ctrl_c_exits_130_without_traceback() -> None:
    # Block the command while it loads its data, say so, then get a SIGINT.
    hook = (
        "import sys, time\n"
        "import khalkhin.cli as cli, khalkhin.cli.timeline as tl\n"
        "def blocked(common):\n"
        "    sys.stderr.write('ready\\n'); sys.stderr.flush(); time.sleep(60)\n"
        "tl.load_chronology = blocked\n"
        f"sys.argv = ['khalkhin', *{ARGS!r}]\n"
        "cli.main()\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", hook], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env())
    assert proc.stderr is not None
    assert proc.stderr.readline() == b"ready\n"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert err == b"\n"
    assert out == b""


@pytest.mark.parametrize(("fmt", "environ"), [
    ("table", {"LC_ALL": "C"}),
    ("table", {"LC_ALL": "C", "PYTHONIOENCODING": "ascii"}),
    ("markdown", {"PYTHONIOENCODING": "ascii"}),
])
def test_non_utf8_output_falls_back_to_ascii(environ: dict[str, str], fmt: str) -> None:
    done = subprocess.run(khalkhin("timeline", "--no-bundled", "--data", str(HOSTILE), "-l",
                                   "-f", fmt, "--to", "1905"),
                          capture_output=True, env=env(COLUMNS="200", **environ), timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    if environ.get("PYTHONIOENCODING") == "ascii":
        text = done.stdout.decode("ascii")
        assert "Zukov - ??? - Kantogun -- \"quoted\" war" in text.replace("????? ", "??? ")
    else:
        assert "\u017dukov" in done.stdout.decode("utf-8")


def test_ascii_error_messages_do_not_crash(tmp_path: Path) -> None:
    done = subprocess.run(khalkhin(*ARGS, "-e", "\u017dukov", "-o", str(tmp_path / "o.txt")),
                          capture_output=True, env=env(PYTHONIOENCODING="ascii"), timeout=30)
    assert done.returncode == 0
    assert b"Traceback" not in done.stderr


def _pty_run(args: list[str], **extra: str) -> bytes:
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(args, stdout=slave, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL,
                                env=env(TERM="xterm", COLUMNS="100", **extra))
    finally:
        os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and err == b""
    return b"".join(chunks)


def test_terminal_gets_a_rich_table() -> None:
    out = _pty_run(khalkhin(*ARGS)).decode("utf-8")
    assert out.startswith("\u250f\u2501") and "Date" in out  # the heavy header of a Rich table
    bare = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "\u2502 18 Sep 1931          \u2502 Japan occupies Manchuria" in bare
    assert "Japan occupies Manchuria" in out
    assert "\x1b[" in out  # colour on a terminal


def test_terminal_honours_no_color() -> None:
    out = _pty_run(khalkhin(*ARGS), NO_COLOR="1").decode("utf-8")
    assert "\u2503 Date" in out and "\x1b[" not in out
    assert "\u2502 18 Sep 1931          \u2502 Japan occupies Manchuria" in out


def test_pipe_gets_plain_lines() -> None:
    done = subprocess.run(khalkhin(*ARGS), capture_output=True, text=True, env=env(),
                          timeout=30)
    lines = done.stdout.splitlines()
    assert lines[:2] == ["1931-09-18  Japan occupies Manchuria",
                         "1938-07-29/1938-08-11  Clash at Lake Khasan"]
    assert len(lines) == 7
    assert not any(ch in done.stdout for ch in "\u2502\u2503\u2501\x1b")


# --- -o / --output ------------------------------------------------------------------------------


def test_output_writes_a_file(run: Any, mini: list[str], tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    target = tmp_path / "out.md"
    result = run("timeline", *mini, "-f", "markdown", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text().startswith("- **18 Sep 1931**")
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()
    assert os.listdir(tmp_path) == ["out.md"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_output_refuses_to_replace_without_force(run: Any, mini: list[str],
                                                 tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    target = tmp_path / "out.txt"
    target.write_text("keep me\n")
    result = run("timeline", *mini, "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr == f"khalkhin: error: {target}: already exists; use --force to " \
                            "replace it\n"
    assert target.read_text() == "keep me\n"
    assert run("timeline", *mini, "-o", str(target), "--force").exit_code == 0
    assert target.read_text().startswith("1931-09-18  Japan occupies Manchuria\n")
    assert sorted(os.listdir(tmp_path)) == ["out.txt"]


def test_output_never_writes_a_data_file(run: Any, tmp_path: Path) -> None:
    data = tmp_path / "mine.yaml"
    data.write_bytes(MINI.read_bytes())
    before = data.read_bytes()
    for extra in ([], ["--force"]):
        result = run("timeline", "--no-bundled", "--data", str(data), "-o", str(data), *extra)
        assert result.exit_code == 2
        assert "is a data file; khalkhin never writes to its data" in result.stderr
    result = run("timeline", "--no-bundled", "--data", str(tmp_path), "-o",
                 str(tmp_path / "new.yaml"))
    assert result.exit_code == 2
    assert data.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["cache", "mine.yaml"] or \
        sorted(os.listdir(tmp_path)) == ["mine.yaml"]


def test_output_left_untouched_on_a_usage_error(run: Any, mini: list[str],
                                               tmp_path: Path) -> None:
    target = tmp_path / "x.ics"
    result = run("show", "zhukov", *mini, "-f", "ics", "-o", str(target))
    if "No such command" in result.stderr:
        pytest.skip("the 'show' command does not exist")
    assert result.exit_code == 2
    assert not target.exists() and os.listdir(tmp_path) in ([], ["cache"])


def test_output_failure_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with pytest.raises(RuntimeError), term.output_to(str(target), False, []) as fh:
        fh.write("half")
        raise RuntimeError
    assert os.listdir(tmp_path) == []
