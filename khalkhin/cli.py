"""The command line: options in, library calls, rendered results out, errors to exit codes."""

from __future__ import annotations

import functools
import inspect
import os
import signal
import sys
from collections.abc import Callable
from typing import Annotated, Any, NamedTuple, NoReturn

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
StartOpt = Annotated[str | None, typer.Option("--from", metavar="DATE",
                                              help="Start: a year, month or day (EDTF); a "
                                                   "year or month means its first day.")]
EndOpt = Annotated[str | None, typer.Option("--to", metavar="DATE",
                                            help="End: a year or month means its last day.")]
TagOpt = Annotated[list[str] | None, typer.Option("--tag", "-t", metavar="TAG",
                                                  help="Only events with this tag (repeatable;"
                                                       " all must match).")]
FormatOpt = Annotated[Format, typer.Option(
    "--format", "-f", case_sensitive=False,
    help="auto (table on a terminal, plain otherwise), table, plain, markdown, json, jsonl, "
         "csv; timeline also ics and timelinejs.")]


def _color_choice(value: str) -> str:
    if value not in ("auto", "always", "never"):
        raise typer.BadParameter(f"'{value}': use auto, always or never")
    return value


ColorOpt = Annotated[str, typer.Option("--color", metavar="auto|always|never",
                                       callback=_color_choice,
                                       help="Colour in tables. Honours NO_COLOR, FORCE_COLOR "
                                            "and TERM=dumb.")]
OutputOpt = Annotated[str | None, typer.Option("--output", "-o", metavar="FILE",
                                               help="Write to FILE (atomically) instead of "
                                                    "stdout.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Let --output replace an existing "
                                                        "file.")]


class Common(NamedTuple):
    """The options every command shares (the ones it does not take keep their defaults)."""

    data: list[str]
    no_bundled: bool = False
    no_cache: bool = False
    fmt: Format = Format.AUTO
    color: str = "auto"
    output: str | None = None
    force: bool = False


# The shared options by parameter name: (annotation, default).
SHARED: dict[str, tuple[Any, Any]] = {
    "fmt": (FormatOpt, Format.AUTO),
    "color": (ColorOpt, "auto"),
    "output": (OutputOpt, None),
    "force": (ForceOpt, False),
    "data": (DataOpt, None),
    "no_bundled": (NoBundledOpt, False),
    "no_cache": (NoCacheOpt, False),
}

Command = Callable[..., None]


def command(name: str | None = None, *,
            shared: tuple[str, ...] = tuple(SHARED)) -> Callable[[Command], Command]:
    """Register a command on ``app``.

    Its function takes ``opts: Common`` first, then its own arguments and options; the
    shared options (all of SHARED, or those named) are added to what Typer sees, and the
    body runs under :func:`run`, so errors become one-line messages and exit codes.
    """

    def register(fn: Command) -> Command:
        sig = inspect.signature(fn, eval_str=True)
        own = list(sig.parameters.values())[1:]  # after `opts`
        extra = [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, default=SHARED[n][1],
                                   annotation=SHARED[n][0]) for n in shared]

        @functools.wraps(fn)
        def wrapper(**kwargs: Any) -> None:
            given = {n: kwargs.pop(n) for n in shared}
            opts = Common(list(given.pop("data", None) or []), **given)
            run(lambda: fn(opts, **kwargs))

        params = own + extra
        wrapper.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in params}
        app.command(name)(wrapper)
        return fn

    return register


# --- plumbing ----------------------------------------------------------------------------------


def _err(message: str) -> None:
    sys.stderr.write(f"khalkhin: error: {message}\n")


def _fail(exc: KhalkhinError) -> NoReturn:
    if isinstance(exc, DataError):
        from khalkhin.text import clean

        errors = exc.errors or exc.problems
        for p in errors[:PROBLEMS_SHOWN]:
            sys.stderr.write(f"khalkhin: {clean(str(p))}\n")
        more = len(errors) - PROBLEMS_SHOWN
        tail = f" ({more} more)" if more > 0 else ""
        sys.stderr.write(f"khalkhin: {len(errors)} problem{'s' if len(errors) != 1 else ''} in "
                         f"the data{tail}; run '{_check_hint(errors)}' to see them all\n")
    elif isinstance(exc, LookupFailed):
        _err(str(exc))
        for ident, kind, label in exc.candidates:
            sys.stderr.write(f"  {ident}  ({kind})  {label}\n")
    else:
        _err(str(exc))
    raise typer.Exit(int(exc.exit_code))


def _check_hint(problems: list[Any]) -> str:
    """The check command that shows every problem: `khalkhin check` plus the user's files."""
    import shlex

    from khalkhin.paths import bundled_path
    from khalkhin.text import clean

    ours = os.path.realpath(bundled_path())
    paths = dict.fromkeys(p.path for p in problems
                          if p.path != "-" and os.path.realpath(p.path) != ours)
    return clean(" ".join(["khalkhin check", *(shlex.quote(p) for p in paths)]))


def load_chronology(common: Common) -> Any:
    from khalkhin.chronology import load

    chron = load(common.data, bundled=not common.no_bundled,
                 use_cache=False if common.no_cache else None,
                 progress=_LoadProgress() if _isatty(sys.stderr) else None)
    _warn_overrides(chron.warnings)
    return chron


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class _LoadProgress:
    """A transient Rich progress bar on stderr while a slow cold load runs (terminals only)."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, step: str, done: int, total: int) -> None:
        if self.bar is None:
            if done >= total:
                return
            from rich.console import Console
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

            self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                console=Console(stderr=True, markup=False, highlight=False),
                                transient=True)
            self.bar.start()
            self.task = self.bar.add_task("loading", total=total)
        self.bar.update(self.task, description=f"khalkhin: {step}", completed=done)
        if done >= total:
            self.bar.stop()


def _warn_overrides(warnings: list[Any]) -> None:
    """Say when the user's own data replaces bundled entries (the first few, then a count)."""
    from khalkhin.text import clean

    replaced = [w for w in warnings if w.rule == "override"]
    for w in replaced[:PROBLEMS_SHOWN]:
        sys.stderr.write(f"khalkhin: {clean(str(w))}\n")
    if len(replaced) > PROBLEMS_SHOWN:
        sys.stderr.write(f"khalkhin: {len(replaced) - PROBLEMS_SHOWN} more entries replaced; "
                         f"run '{_check_hint(replaced)}' to see them all\n")


def emit(view: str, data: Any, common: Common, chron: Any = None, *, long: bool = False,
         extra: dict[str, Any] | None = None) -> None:
    """Render a view to stdout or --output, choosing table or plain for --format auto."""
    from khalkhin import term
    from khalkhin.errors import UsageError
    from khalkhin.render import Ctx, Format, module, render

    if common.color not in ("auto", "always", "never"):
        raise UsageError(f"--color: '{common.color}': use auto, always or never")
    to_file = common.output not in (None, "-")
    terminal = term.detect(sys.stdout, common.color)
    fmt = common.fmt
    if fmt is Format.AUTO:
        fmt = Format.TABLE if terminal.isatty and not to_file else Format.PLAIN
    if not hasattr(module(fmt), view):
        # Say so before anything is written: no empty --output file, no half a document.
        command = getattr(data, "kind", None) or {"profile": "show"}.get(view, view)
        usable = [f.value for f in Format if f is Format.AUTO or hasattr(module(f), view)]
        raise UsageError(f"--format {fmt.value} is not available for '{command}'; "
                         f"use one of: {', '.join(usable)}")
    with term.output_to(common.output, common.force, data_files(common)) as out:
        ctx = Ctx(out=out, fmt=fmt, width=terminal.width,
                  color=terminal.color and not to_file, long=long, chron=chron,
                  extra=extra or {})
        try:
            render(view, data, ctx)
            out.flush()
        except BrokenPipeError:
            _quiet_pipe()


def data_files(common: Common) -> list[str]:
    """Every data path in play (bundled, KHALKHIN_DATA, --data): never written to."""
    from khalkhin.paths import bundled_path

    paths = [str(bundled_path()), *os.environ.get("KHALKHIN_DATA", "").split(os.pathsep),
             *common.data]
    return [p for p in paths if p]


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


def complete_names(ctx: typer.Context, incomplete: str, *,
                   entities_only: bool = False) -> list[tuple[str, str]]:
    """Shell completion of entity (and event) ids and names from the loaded chronology."""
    from khalkhin.search import complete

    params = ctx.params if ctx is not None else {}
    opts = Common(list(params.get("data") or []), bool(params.get("no_bundled")),
                  bool(params.get("no_cache")))
    try:
        chron = load_chronology(opts)
    except Exception:  # completion must never print a traceback into the shell
        return []
    return complete(chron, incomplete, entities_only=entities_only)


def complete_entity(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return complete_names(ctx, incomplete, entities_only=True)


EntityOpt = Annotated[list[str] | None, typer.Option(
    "--entity", "-e", metavar="NAME", autocompletion=complete_entity,
    help="Only events linked to this entity: id, name or any spelling (repeatable).")]


def resolve_entities(chron: Any, names: list[str]) -> list[str]:
    if not names:
        return []  # keep the search index (and its imports) out of a plain timeline
    from khalkhin.search import resolve

    ids = []
    for name in names:
        found = resolve(chron, name, entities_only=True)
        if not found.exact:
            sys.stderr.write(f"khalkhin: '{name}' taken as {found.item.label} ({found.item.id})\n")
        ids.append(found.item.id)
    return ids


# --- commands ----------------------------------------------------------------------------------


@command()
def timeline(
    opts: Common,
    start: StartOpt = None,
    end: EndOpt = None,
    tag: TagOpt = None,
    entity: EntityOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Only events wholly inside the range "
                                                          "(default: overlapping it).")] = False,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Newest first.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=0,
                                              help="At most N events.")] = None,
    long: Annotated[bool, typer.Option("--long", "-l", help="Add each event's summary.")] = False,
) -> None:
    """Events in date order, filtered by date range, tag and entity.

    Example: khalkhin timeline --from 1939-05 --to 1939-09 --tag khalkhin-gol
    """
    from khalkhin import query, views

    chron = load_chronology(opts)
    ids = resolve_entities(chron, entity or [])
    events = query.timeline(chron, start=start, end=end, tags=tag or [], entities=ids,
                            strict=strict, reverse=reverse, limit=limit)
    if not events:
        sys.stderr.write("khalkhin: no events match\n")
        return
    emit("timeline", views.timeline(events), opts, chron, long=long)


# --- entry point -------------------------------------------------------------------------------


def _on_sigint(signum: int, frame: Any) -> None:
    raise Interrupted()


def _only_invoked_command(argv: list[str]) -> None:
    """Give Typer only the command being run when it is named first (`khalkhin timeline ...`).

    Typer reads the signature of every registered command on each start; with a dozen
    commands that is a third of the start-up time. Help, completion and anything else
    (no command, an option first, an unknown name) still see every command.
    """
    if len(argv) < 2 or any(k.startswith("_KHALKHIN") and k.endswith("_COMPLETE")
                            for k in os.environ):
        return
    keep = [c for c in app.registered_commands
            if (c.name or getattr(c.callback, "__name__", "") or "").lower().replace("_", "-")
            .strip("-")
            == argv[1]]
    if len(keep) == 1:
        app.registered_commands = keep


def main() -> None:
    """Console entry point: exit codes per ExitCode, no tracebacks for Ctrl-C or a closed pipe."""
    from khalkhin.term import safe_stream

    signal.signal(signal.SIGINT, _on_sigint)
    safe_stream(sys.stderr)
    _only_invoked_command(sys.argv)
    try:
        app(prog_name="khalkhin")
    except (Interrupted, KeyboardInterrupt):
        _interrupted()
    except BrokenPipeError:
        _quiet_pipe()
    except SystemExit:
        # Flush here, not at interpreter exit, so a closed pipe is caught and stays quiet.
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _quiet_pipe()
        except (Interrupted, KeyboardInterrupt):
            _interrupted()
        raise


def _interrupted() -> NoReturn:
    # Ctrl-C: a newline so the shell prompt starts clean, then exit 130 without a traceback.
    # os._exit skips interpreter shutdown, where a second Ctrl-C could still print one.
    try:
        sys.stderr.write("\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(int(ExitCode.INTERRUPTED))


def _quiet_pipe() -> NoReturn:
    # The reader went away (`| head`): stop quietly, and keep Python from complaining
    # when it flushes stdout at exit. Exit 0: the reader took all it wanted.
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    os._exit(int(ExitCode.OK))


# Commands defined in their own modules register themselves on `app` when imported.
from khalkhin.commands import chart as _chart  # noqa: E402,F401
from khalkhin.commands import check as _check  # noqa: E402,F401
from khalkhin.commands import lookup as _lookup  # noqa: E402,F401
