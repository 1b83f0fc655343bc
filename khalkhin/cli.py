"""The command line: options in, library calls, rendered results out, errors to exit codes."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, NoReturn

import typer

from khalkhin import __version__
from khalkhin.errors import DataError, ExitCode, KhalkhinError, LookupFailed
from khalkhin.render import Format

app = typer.Typer(
    name="khalkhin",
    help="Timeline and fact explorer for the Soviet–Japanese–Mongolian conflicts, 1904–1946.\n\n"
    "Example: khalkhin timeline --from 1939-05 --to 1939-09 --tag khalkhin-gol",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

PROBLEMS_SHOWN = 5


class Interrupted(BaseException):
    """Ctrl-C, raised past click's own handler so that we exit 130 quietly."""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"khalkhin {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Timeline and fact explorer for the Soviet–Japanese–Mongolian conflicts, 1904–1946."""


# --- options shared by the commands ------------------------------------------------------------

DataOpt = Annotated[list[str] | None, typer.Option(
    "--data", metavar="PATH",
    help="Your own chronology (a .yaml file or a directory of them), layered over the bundled "
         "one. Repeatable. Also KHALKHIN_DATA (paths separated by ':').")]
NoBundledOpt = Annotated[bool, typer.Option("--no-bundled",
                                            help="Use only --data / KHALKHIN_DATA files.")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache",
                                          help="Do not read or write the parse cache "
                                               "(also KHALKHIN_NO_CACHE=1).")]
FormatOpt = Annotated[Format, typer.Option(
    "--format", "-f", case_sensitive=False,
    help="auto (table on a terminal, plain otherwise), table, plain, markdown, json, jsonl, "
         "csv; timeline also ics and timelinejs.")]
ColorOpt = Annotated[str, typer.Option("--color", metavar="auto|always|never",
                                       help="Colour in tables. Honours NO_COLOR, FORCE_COLOR "
                                            "and TERM=dumb.")]
OutputOpt = Annotated[str | None, typer.Option("--output", "-o", metavar="FILE",
                                               help="Write to FILE (atomically) instead of "
                                                    "stdout.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Let --output replace an existing "
                                                        "file.")]


@dataclass
class Common:
    data: list[str]
    no_bundled: bool
    no_cache: bool
    fmt: Format
    color: str
    output: str | None
    force: bool


# --- plumbing ----------------------------------------------------------------------------------


def _err(message: str) -> None:
    sys.stderr.write(f"khalkhin: error: {message}\n")


def _fail(exc: KhalkhinError) -> NoReturn:
    if isinstance(exc, DataError):
        errors = exc.errors or exc.problems
        for p in errors[:PROBLEMS_SHOWN]:
            sys.stderr.write(f"khalkhin: {p}\n")
        more = len(errors) - PROBLEMS_SHOWN
        tail = f" ({more} more)" if more > 0 else ""
        sys.stderr.write(f"khalkhin: {len(errors)} problem{'s' if len(errors) != 1 else ''} in "
                         f"the data{tail}; run 'khalkhin check' to see them all\n")
    elif isinstance(exc, LookupFailed):
        _err(str(exc))
        for ident, kind, label in exc.candidates:
            sys.stderr.write(f"  {ident}  ({kind})  {label}\n")
    else:
        _err(str(exc))
    raise typer.Exit(int(exc.exit_code))


def load_chronology(common: Common) -> Any:
    from khalkhin.chronology import load

    return load(common.data, bundled=not common.no_bundled,
                use_cache=False if common.no_cache else None)


def emit(view: str, data: Any, common: Common, chron: Any = None, *, long: bool = False,
         extra: dict[str, Any] | None = None) -> None:
    """Render a view to stdout or --output, choosing table or plain for --format auto."""
    from khalkhin import term
    from khalkhin.render import Ctx, render

    if common.color not in ("auto", "always", "never"):
        raise typer.BadParameter("use auto, always or never", param_hint="--color")
    to_file = common.output not in (None, "-")
    terminal = term.detect(sys.stdout, common.color)
    fmt = common.fmt
    if fmt is Format.AUTO:
        fmt = Format.TABLE if terminal.isatty and not to_file else Format.PLAIN
    protected = list(common.data)
    with term.output_to(common.output, common.force, protected) as out:
        ctx = Ctx(out=out, fmt=fmt, width=terminal.width,
                  color=terminal.color and not to_file, long=long, chron=chron,
                  extra=extra or {})
        try:
            render(view, data, ctx)
            out.flush()
        except BrokenPipeError:
            _quiet_pipe()


def run(fn: Callable[[], None]) -> None:
    """Run a command body, turning our errors into one-line messages and exit codes."""
    from khalkhin.dates import EdtfError

    try:
        fn()
    except KhalkhinError as e:
        _fail(e)
    except EdtfError as e:
        _err(str(e))
        raise typer.Exit(int(ExitCode.USAGE)) from None


def common(data: list[str] | None, no_bundled: bool, no_cache: bool, fmt: Format = Format.AUTO,
           color: str = "auto", output: str | None = None, force: bool = False) -> Common:
    return Common(list(data or []), no_bundled, no_cache, fmt, color, output, force)


def resolve_entities(chron: Any, names: list[str]) -> list[str]:
    from khalkhin.search import resolve

    ids = []
    for name in names:
        found = resolve(chron, name, entities_only=True)
        if not found.exact:
            sys.stderr.write(f"khalkhin: '{name}' taken as {found.item.name} ({found.item.id})\n")
        ids.append(found.item.id)
    return ids


# --- commands ----------------------------------------------------------------------------------


@app.command()
def timeline(
    start: Annotated[str | None, typer.Option("--from", metavar="DATE",
                                              help="Start: a year, month or day (EDTF); a "
                                                   "year or month means its first day.")] = None,
    end: Annotated[str | None, typer.Option("--to", metavar="DATE",
                                            help="End: a year or month means its last "
                                                 "day.")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", metavar="TAG",
                                                  help="Only events with this tag (repeatable;"
                                                       " all must match).")] = None,
    entity: Annotated[list[str] | None, typer.Option(
        "--entity", "-e", metavar="NAME",
        help="Only events linked to this entity: id, name or any spelling (repeatable).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Only events wholly inside the range "
                                                          "(default: overlapping it).")] = False,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Newest first.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=0,
                                              help="At most N events.")] = None,
    long: Annotated[bool, typer.Option("--long", "-l", help="Add each event's summary.")] = False,
    fmt: FormatOpt = Format.AUTO,
    color: ColorOpt = "auto",
    output: OutputOpt = None,
    force: ForceOpt = False,
    data: DataOpt = None,
    no_bundled: NoBundledOpt = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """Events in date order, filtered by date range, tag and entity.

    Example: khalkhin timeline --from 1939-05 --to 1939-09 --tag khalkhin-gol
    """
    opts = common(data, no_bundled, no_cache, fmt, color, output, force)

    def body() -> None:
        from khalkhin import query, views

        chron = load_chronology(opts)
        ids = resolve_entities(chron, entity or [])
        events = query.timeline(chron, start=start, end=end, tags=tag or [], entities=ids,
                                strict=strict, reverse=reverse, limit=limit)
        if not events:
            sys.stderr.write("khalkhin: no events match\n")
            return
        emit("timeline", views.timeline(events), opts, chron, long=long)

    run(body)


# --- entry point -------------------------------------------------------------------------------


def _on_sigint(signum: int, frame: Any) -> None:
    raise Interrupted()


def main() -> None:
    """Console entry point: exit codes per ExitCode, no tracebacks for Ctrl-C or a closed pipe."""
    signal.signal(signal.SIGINT, _on_sigint)
    try:
        app(prog_name="khalkhin")
    except Interrupted:
        sys.stderr.write("\n")
        os._exit(int(ExitCode.INTERRUPTED))
    except BrokenPipeError:
        _quiet_pipe()
    except SystemExit as e:
        if e.code not in (0, None):
            raise
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _quiet_pipe()
        raise


def _quiet_pipe() -> NoReturn:
    # The reader went away (`| head`): stop quietly, and keep Python from complaining
    # when it flushes stdout at exit.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
    os._exit(0)


# Commands defined in their own modules register themselves on `app` when imported.
from khalkhin.commands import chart as _chart  # noqa: E402,F401
from khalkhin.commands import check as _check  # noqa: E402,F401
from khalkhin.commands import lookup as _lookup  # noqa: E402,F401
