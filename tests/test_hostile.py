"""Broken and hostile data files: each ends in one precise line, exit 1, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from khalkhin import load as loadmod
from khalkhin.cli import app

BROKEN = Path(__file__).resolve().parent / "data" / "broken"

# file -> every line `khalkhin check --no-bundled FILE` prints, without the leading path.
CORPUS: dict[str, list[str]] = {
    "syntax.yaml": [":7:1: error: YAML syntax: found unexpected end of stream (while scanning a "
                    "quoted scalar at line 3, column 12) [syntax]"],
    "syntax-flow.yaml": [":2:1: error: YAML syntax: did not find expected ',' or '}' (while "
                         "parsing a flow mapping at line 1, column 10) [syntax]"],
    "bad-indent.yaml": [":4:4: error: YAML syntax: did not find expected '-' indicator (while "
                        "parsing a block collection at line 2, column 3) [syntax]"],
    "duplicate-key.yaml": [":8:5: error: duplicate key 'title' (first at line 7); YAML would "
                           "silently keep only the last [duplicate-key]"],
    "unknown-field.yaml": [":7:5: error: unknown field 'tittle'; did you mean 'title'? [field]"],
    "unknown-section.yaml": [":1:1: error: unknown section 'event'; did you mean 'events'? "
                             "[field]"],
    "merge-key.yaml": [":7:5: error: YAML merge keys ('<<') are not supported; write the fields "
                       "out [field]"],
    "yaml11-bool.yaml": [":3:12: error: 'title': YAML 1.1 reads no as a boolean (false); quote "
                         "it: \"no\" [type]"],
    "yaml11-sexagesimal.yaml": [":7:12: error: 'title': YAML 1.1 reads 12:30 as a number (750); "
                                "quote it: \"12:30\" [type]"],
    "yaml11-octal.yaml": [":2:9: error: 'id': YAML 1.1 reads 017 as a number (15); quote it: "
                          "\"017\" [type]"],
    "yaml11-list-item.yaml": [":8:20: error: 'tags[2]': YAML 1.1 reads on as a boolean (true); "
                              "quote it: \"on\" [type]"],
    "date-boolean.yaml": [":6:11: error: 'date': YAML 1.1 reads yes as a boolean (true); quote "
                          "it: \"yes\" [type]"],
    "date-feb29.yaml": [":6:11: error: invalid date: '1939-02-29': day 29 is out of range (Feb "
                        "1939 has 28 days) [date]"],
    "date-month.yaml": [":6:11: error: invalid date: '1939-13': month 13 is out of range (01–12) "
                        "[date]"],
    "date-backwards.yaml": [":6:11: error: invalid date: '1939-09-16/1939-05-11': the interval "
                            "ends before it starts [date]"],
    "unknown-entity.yaml": [":13:16: error: unknown entity 'zhukow'; did you mean 'zhukov'? "
                            "[unknown-entity]"],
    "unknown-source.yaml": [":8:15: error: unknown source 'lc-1998'; did you mean 'lc-1989'? "
                            "[unknown-source]"],
    "unknown-place.yaml": [":8:12: error: unknown place 'nowhere' [unknown-place]"],
    "unknown-kind.yaml": [":6:11: error: unknown kind 'persn'; did you mean 'person'? [kind]"],
    "duplicate-id.yaml": [":9:9: error: duplicate id 'a' (first at line 5) [duplicate-id]"],
    "no-source.yaml": [":2:5: error: event is missing 'sources' [no-source]"],
    "empty-sources.yaml": [":5:14: error: event 'a' cites no source [no-source]"],
    "alias-conflict.yaml": [":12:15: warning: the name 'Georgy Zhukov' belongs to both 'zhukov' "
                            "and 'konev'; remove it from one, or list them as homonyms "
                            "[alias-conflict]"],
    "lifetime.yaml": [":14:16: warning: event 'a' (1980) lies outside the dates of 'zhukov' "
                      "(1896-12-01/1974-06-18) [lifetime]"],
    "python-tag.yaml": [":3:12: error: YAML tag '!!python/object/apply:os.system' is not "
                        "allowed; a chronology holds plain text, numbers, lists and mappings "
                        "[yaml-tag]"],
    "recursive-alias.yaml": [":2:5: error: alias *a refers to itself (a recursive alias) "
                             "[yaml-alias]"],
    "unknown-alias.yaml": [":2:5: error: unknown alias *nowhere [yaml-alias]"],
    "multi-document.yaml": [":2:1: error: more than one YAML document ('---') in one file; put "
                            "each chronology in its own file [structure]"],
    "top-list.yaml": [":1:1: error: the top level is a list; a chronology is a mapping with "
                      "'events', 'entities', 'sources' or 'claims' [structure]"],
    "top-scalar.yaml": [":1:1: error: the top level is a single value; a chronology is a "
                        "mapping with 'events', 'entities', 'sources' or 'claims' [structure]"],
    "empty.yaml": [":1:1: error: file is empty; a chronology is a mapping with 'events', "
                   "'entities', 'sources' or 'claims' [structure]"],
    "invalid-utf8.yaml": [":3:16: error: invalid UTF-8 (byte 0xe9); save the file as UTF-8 "
                          "[encoding]"],
    "bom.yaml": [],
}


def invoke(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def test_corpus_is_complete() -> None:
    on_disk = {p.name for p in BROKEN.iterdir()}
    assert on_disk == set(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_broken_file_is_reported_exactly(name: str) -> None:
    path = str(BROKEN / name)
    result = invoke("check", "--no-bundled", path)
    expected = "".join(f"{path}{line}\n" for line in CORPUS[name])
    assert result.stdout == expected
    errors = any(": error: " in line for line in CORPUS[name])
    assert result.exit_code == (1 if errors else 0)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", sorted(n for n, lines in CORPUS.items()
                                        if any(": error: " in x for x in lines)))
def test_other_commands_report_the_same_first_problem(name: str) -> None:
    path = str(BROKEN / name)
    result = invoke("timeline", "--no-bundled", "--data", path)
    assert result.exit_code == 1
    first = f"{path}{CORPUS[name][0]}"
    lines = result.stderr.splitlines()
    assert lines[0] == f"khalkhin: {first}"
    assert lines[-1].endswith(f"run 'khalkhin check {path}' to see them all")
    assert result.stdout == ""


# --- hostile files, made where they are needed ---------------------------------------------


def one_error(path: str, *extra: str) -> str:
    """Run check on PATH: it must fail with exactly one problem line; return it."""
    result = invoke("check", "--no-bundled", *extra, path)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    assert "Traceback" not in result.output
    return lines[0]


def test_alias_bomb(tmp_path: Path) -> None:
    rows = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    rows += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(rows) + "\n")
    assert one_error(str(bomb)) == (f"{bomb}:7:18: error: aliases expand to more than 2,000,000 "
                                    "values (an alias bomb?) [yaml-alias]")


def test_deep_flow_nesting(tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("events: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert one_error(str(deep)) == (f"{deep}:1:56: error: nesting deeper than 48 levels; a "
                                    "chronology needs only a few [structure]")


def test_deep_nesting_in_a_real_process(tmp_path: Path) -> None:
    # libyaml's own composer crashes the interpreter on this; the process must exit cleanly.
    deep = tmp_path / "deep.yaml"
    deep.write_text("events: " + "{a: " * 100_000 + "1" + "}" * 100_000 + "\n")
    env = dict(os.environ)
    proc = subprocess.run([sys.executable, "-m", "khalkhin", "timeline", "--no-bundled",
                           "--data", str(deep)], capture_output=True, text=True, env=env,
                          timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[0] == (
        f"khalkhin: {deep}:1:197: error: nesting deeper than 48 levels; a chronology needs "
        "only a few [structure]")
    assert "Traceback" not in proc.stderr


def test_dev_zero() -> None:
    assert one_error("/dev/zero") == ("/dev/zero: error: not a regular file (a device, FIFO or "
                                      "socket); give a .yaml file [file]")


def test_fifo_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert one_error(str(fifo)) == (f"{fifo}: error: not a regular file (a device, FIFO or "
                                    "socket); give a .yaml file [file]")


def test_fifo_in_a_data_directory_does_not_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    assert one_error(str(tmp_path)) == (f"{tmp_path / 'pipe.yaml'}: error: not a regular file "
                                        "(a device, FIFO or socket); give a .yaml file [file]")


def test_empty_directory(tmp_path: Path) -> None:
    assert one_error(str(tmp_path)) == f"{tmp_path}: error: directory holds no .yaml files [file]"


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    assert one_error(str(missing)) == f"{missing}: error: no such file [file]"


def test_missing_data_file_for_a_command(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    result = invoke("timeline", "--no-bundled", "--data", str(missing))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"khalkhin: {missing}: error: no such file [file]"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file whatever its mode")
def test_unreadable_file(tmp_path: Path) -> None:
    locked = tmp_path / "locked.yaml"
    locked.write_text("events: []\n")
    locked.chmod(0)
    assert one_error(str(locked)) == f"{locked}: error: permission denied [file]"


def test_unreadable_file_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked.yaml"
    locked.write_text("events: []\n")
    real_open = open

    def refuse(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == str(locked):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refuse)
    assert one_error(str(locked)) == f"{locked}: error: permission denied [file]"


def test_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loadmod, "MAX_BYTES", 1024 * 1024)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"events: []\n" + b"#" * (3 * 1024 * 1024))
    assert one_error(str(big)) == (f"{big}: error: file is 3 MiB, more than the 1 MiB a "
                                   "chronology may be [file]")


def test_integer_too_long_for_python(tmp_path: Path) -> None:
    f = tmp_path / "long.yaml"
    f.write_text("sources:\n  - id: s\n    title: " + "1" * 5000 + "\n")
    result = invoke("check", "--no-bundled", str(f))
    assert result.exit_code == 0
    assert result.stdout == ""


def test_control_characters_in_a_message_are_neutralised(tmp_path: Path) -> None:
    f = tmp_path / "esc.yaml"
    f.write_text('events:\n  - id: a\n    "ti\\e[31mtle": x\n')
    result = invoke("check", "--no-bundled", str(f))
    assert "\x1b" not in result.output
    assert f"{f}:3:5: error: unknown field 'ti\ufffd[31mtle'; did you mean 'title'? [field]" \
        in result.stdout.splitlines()


# --- any bytes at all ------------------------------------------------------------------------

_YAMLISH = st.lists(st.sampled_from([
    b"events:", b"entities:", b"sources:", b"claims:", b"\n", b"  ", b"- ", b"id: a",
    b"date: 1939-02-29", b"title: no", b"&a ", b"*a", b"[", b"]", b"{", b"}", b": ", b"---",
    b"!!python/object:os.system", b"\xef\xbb\xbf", b"\xff", b"'", b'"', b"#", b"12:30",
    b"017", b"<<: ", b"? ", b"%YAML 1.1\n", b"\t", b"\x00", b",",
]), max_size=40).map(b"".join)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=300), _YAMLISH), command=st.sampled_from(["check",
                                                                                  "timeline"]))
def test_any_bytes_end_cleanly(tmp_path: Path, data: bytes, command: str) -> None:
    f = tmp_path / "any.yaml"
    f.write_bytes(data)
    if command == "check":
        result = invoke("check", "--no-bundled", str(f))
    else:
        result = invoke("timeline", "--no-bundled", "--no-cache", "--data", str(f))
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
