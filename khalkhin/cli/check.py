"""The check command: lint chronology files and report every problem, one a line."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from khalkhin.cli.common import Common, command, emit, say
from khalkhin.errors import DataError, Problem, UsageError


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
    from khalkhin.paths import bundled_path, env_paths

    context: list[str] = [str(bundled_path())] if bundled else []
    extra, problems = _files(list(data))
    if targets:
        files, more = _files(targets)
        problems += more
        shown = _dedupe(files)
        context = [p for p in _dedupe(context + extra)
                   if os.path.realpath(p) not in {os.path.realpath(f) for f in shown}]
    else:
        from_env, more = _files(env_paths(env))
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


@command(shared=("fmt", "output", "force", "data", "no_bundled"))
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
    from khalkhin.render import Format
    from khalkhin.views.problems import Report

    report = Report(*lint(list(paths or []), data=opts.data, bundled=not opts.no_bundled))
    emit("problems", report, opts, command="check")
    if opts.fmt is not Format.JSON:
        say(report.summary)
    if report.errors:
        raise typer.Exit(1)
