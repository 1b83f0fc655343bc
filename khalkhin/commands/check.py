"""The check command: lint chronology files and report every problem, one a line."""

from __future__ import annotations

import json
import os
import sys
from typing import Annotated, Any

import typer

from khalkhin.cli import Common, command
from khalkhin.errors import DataError, Problem, UsageError
from khalkhin.render import Format, UnsupportedView

FORMATS = (Format.AUTO, Format.PLAIN, Format.JSON, Format.JSONL)


def _files(paths: list[str]) -> tuple[list[str], list[Problem]]:
    """Expand each path (a directory gives its .yaml files); a bad path becomes a problem."""
    from khalkhin.paths import expand

    files: list[str] = []
    problems: list[Problem] = []
    for p in paths:
        try:
            files.extend(expand([p]))
        except DataError as e:
            problems.extend(e.problems)
    return files, problems


def _dedupe(paths: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for p in paths:
        key = os.path.realpath(p)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def lint(targets: list[str], *, data: list[str], bundled: bool,
         env: dict[str, str] | None = None) -> tuple[list[str], list[Problem]]:
    """The files checked and every problem in them (errors and warnings), in order.

    With no targets, everything the other commands would load is checked: the bundled
    chronology (unless left out), KHALKHIN_DATA and --data. With targets, the bundled
    chronology and --data files are loaded as context, so the targets may refer to their ids,
    and only problems in the targets are reported.
    """
    from khalkhin.chronology import check
    from khalkhin.paths import bundled_path

    environ = os.environ if env is None else env
    context: list[str] = [str(bundled_path())] if bundled else []
    extra, problems = _files(list(data))
    if targets:
        files, more = _files(targets)
        problems += more
        shown = _dedupe(files)
        context = [p for p in _dedupe(context + extra)
                   if os.path.realpath(p) not in {os.path.realpath(f) for f in shown}]
    else:
        env_paths = [p for p in environ.get("KHALKHIN_DATA", "").split(os.pathsep) if p]
        from_env, more = _files(env_paths)
        problems += more
        shown = _dedupe(context + from_env + extra)
        context = []
    if not shown and not problems:
        raise UsageError("nothing to check: --no-bundled needs a PATH, --data PATH or "
                         "KHALKHIN_DATA")
    if shown:
        _, found = check(context + shown)
        keep = {os.path.realpath(p) for p in shown}
        problems += [p for p in found if os.path.realpath(p.path) in keep]
    return shown, sorted(set(problems), key=lambda p: (_order(p, shown), p))


def _order(p: Problem, shown: list[str]) -> int:
    try:
        return shown.index(p.path)
    except ValueError:
        return -1


def summary(files: list[str], problems: list[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    n = len(files)
    where = f"in {n} file{'s' if n != 1 else ''}"
    if not problems:
        return f"no problems {where}"
    return (f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''} {where}")


def _record(p: Problem) -> dict[str, Any]:
    return {"path": p.path, "line": p.line or None, "col": p.col or None,
            "severity": p.severity, "message": p.message, "rule": p.rule}


@command(shared=("fmt", "data", "no_bundled"))
def check(
    opts: Common,
    paths: Annotated[list[str] | None, typer.Argument(
        metavar="[PATH]...",
        help="Files or directories of .yaml files to check (default: the chronology the other "
             "commands load).")] = None,
) -> None:
    """Check chronology files: every problem, one a line, as path:line:col: severity: message.

    Exit 1 when there are errors, 0 when there are only warnings or none.

    Example: khalkhin check my-events.yaml
    """
    fmt = opts.fmt
    if fmt not in FORMATS:
        raise UnsupportedView(f"format '{fmt.value}' is not available for check; use plain, "
                              "json or jsonl")
    from khalkhin.text import clean

    files, problems = lint(list(paths or []), data=opts.data, bundled=not opts.no_bundled)
    out = sys.stdout
    line = summary(files, problems)
    if fmt is Format.JSON:
        out.write(json.dumps({
            "files": files,
            "errors": sum(p.is_error for p in problems),
            "warnings": sum(not p.is_error for p in problems),
            "summary": line,
            "problems": [_record(p) for p in problems],
        }, ensure_ascii=False, indent=2) + "\n")
    elif fmt is Format.JSONL:
        for p in problems:
            out.write(json.dumps(_record(p), ensure_ascii=False) + "\n")
    else:
        for p in problems:
            out.write(clean(str(p)) + "\n")
    out.flush()
    if fmt is not Format.JSON:
        sys.stderr.write(f"khalkhin: {line}\n")
    if any(p.is_error for p in problems):
        raise typer.Exit(1)

