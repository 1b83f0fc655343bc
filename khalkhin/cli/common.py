"""What every command shares: the app, the shared options, loading, output (emit), errors."""

from __future__ import annotations

import functools
import inspect
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Annotated, Any, NamedTuple, NoReturn

import typer
import typer.core

from khalkhin.errors import DataError, KhalkhinError, LookupFailed
from khalkhin.render import Cite, Format
from khalkhin.version import __version__


class Group(typer.core.TyperGroup):
    """The command group: usage errors become the one ``khalkhin: error: …`` line."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             windows_expand_args: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args,
                                **extra)
        click_error, _ = _click_errors()
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args,
                                **extra)
        except click_error as e:
            say(f"error: {_usage_message(e)}")
            sys.exit(int(getattr(e, "exit_code", 2)))
        except typer.Abort:
            say("error: aborted")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def _click_errors() -> tuple[type[Exception], type[Exception]]:
    """Click's ClickException and UsageError, from whichever Click this Typer uses."""
    mro = typer.BadParameter.__mro__
    base = next(c for c in mro if c.__name__ == "ClickException")
    usage = next(c for c in mro if c.__name__ == "UsageError")
    return base, usage


def _usage_message(e: Exception) -> str:
    """Click's message on one line, with its suggestion, and where to read more."""
    from khalkhin.text import short

    message = " ".join(str(getattr(e, "format_message", lambda: str(e))()).split())
    message = short(message, 300)
    _, usage = _click_errors()
    ctx = getattr(e, "ctx", None)
    if isinstance(e, usage) and ctx is not None:
        message += f" (see '{ctx.command_path} --help')"
    return message


app = typer.Typer(
    cls=Group,
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
                                          help="Do not read or write the cached store "
                                               "(also KHALKHIN_NO_CACHE=1).")]
StartOpt = Annotated[str | None, typer.Option("--from", metavar="DATE",
                                              help="Start: a year, month or day, in EDTF or "
                                                   "as written (Aug 1939, 9.6.1940, Shōwa 14, "
                                                   "1904-01-27 O.S.); a year or month means "
                                                   "its first day.")]
EndOpt = Annotated[str | None, typer.Option("--to", metavar="DATE",
                                            help="End: a year or month means its last day.")]
TagOpt = Annotated[list[str] | None, typer.Option("--tag", "-t", metavar="TAG",
                                                  autocompletion=lambda ctx, incomplete:
                                                  complete_tag(ctx, incomplete),
                                                  help="Only events with this tag (repeatable;"
                                                       " all must match; any case).")]
FormatOpt = Annotated[Format, typer.Option(
    "--format", "-f", case_sensitive=False,
    help="auto (table on a terminal, plain otherwise), table, plain, markdown, json, jsonl, "
         "csv; csljson and bibtex (the sources cited) for timeline, show, compare, figures "
         "and sources; timeline also ics and timelinejs.")]
CiteOpt = Annotated[Cite, typer.Option(
    "--cite", case_sensitive=False, envvar="KHALKHIN_CITE",
    help="Markdown citations: footnotes (numbered, one per source and locator) or pandoc "
         "([@id, p. 12], with -f csljson or bibtex for the bibliography). Also "
         "KHALKHIN_CITE.")]


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
    cite: Cite = Cite.FOOTNOTES


# The shared options by parameter name: (annotation, default).
SHARED: dict[str, tuple[Any, Any]] = {
    "fmt": (FormatOpt, Format.AUTO),
    "color": (ColorOpt, "auto"),
    "output": (OutputOpt, None),
    "force": (ForceOpt, False),
    "data": (DataOpt, None),
    "no_bundled": (NoBundledOpt, False),
    "no_cache": (NoCacheOpt, False),
    "cite": (CiteOpt, Cite.FOOTNOTES),
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


def say(message: str) -> None:
    """One line on stderr, ``khalkhin: MESSAGE``. Every diagnostic goes through here, cleaned:
    names and labels from data never reach the terminal with their control characters."""
    line(f"khalkhin: {message}")


def line(text: str) -> None:
    """A line on stderr, cleaned (the one writer of stderr)."""
    from khalkhin.text import clean

    sys.stderr.write(clean(text) + "\n")


def _fail(exc: KhalkhinError) -> NoReturn:
    if isinstance(exc, DataError):
        errors = exc.errors or exc.problems
        for p in errors[:PROBLEMS_SHOWN]:
            say(str(p))
        more = len(errors) - PROBLEMS_SHOWN
        tail = f" ({more} more)" if more > 0 else ""
        say(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in the data{tail}; "
            f"run '{_check_hint(errors)}' to see them all")
    else:
        say(f"error: {exc}")
        if isinstance(exc, LookupFailed):
            for ident, kind, label, when in exc.candidates:
                line(f"  {ident}  ({kind}{', ' + when if when else ''})  {label}")
    raise typer.Exit(int(exc.exit_code))


def _check_hint(problems: list[Any]) -> str:
    """The check command that shows every problem: `khalkhin check` plus the user's files."""
    import shlex

    from khalkhin.paths import is_bundled

    paths = dict.fromkeys(p.path for p in problems if p.path != "-" and not is_bundled(p.path))
    return " ".join(["khalkhin check", *(shlex.quote(p) for p in paths)])


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
        from khalkhin.text import clean

        self.bar.update(self.task, description=f"khalkhin: {clean(step)}", completed=done)
        if done >= total:
            self.bar.stop()


def _warn_overrides(warnings: list[Any]) -> None:
    """Say when the user's own data replaces bundled entries (the first few, then a count)."""
    replaced = [w for w in warnings if w.rule == "override"]
    for w in replaced[:PROBLEMS_SHOWN]:
        say(str(w))
    if len(replaced) > PROBLEMS_SHOWN:
        say(f"{len(replaced) - PROBLEMS_SHOWN} more entries replaced; "
            f"run '{_check_hint(replaced)}' to see them all")


class Plan(NamedTuple):
    """Where and how a view is drawn: the concrete format, width and colour."""

    fmt: Format
    width: int
    color: bool


def plan(view: str, common: Common, command: str) -> Plan:
    """Decide the concrete format once: for ``auto``, a table on a terminal (when the view has
    one) and plain text otherwise, also with --output. A format with no form for the view is
    a usage error, said before anything is written."""
    from khalkhin import term
    from khalkhin.errors import UsageError
    from khalkhin.render import available, supports

    if common.color not in ("auto", "always", "never"):
        raise UsageError(f"--color: '{common.color}': use auto, always or never")
    to_file = common.output not in (None, "-")
    terminal = term.detect(sys.stdout, common.color)
    fmt = common.fmt
    if fmt is Format.AUTO:
        fmt = Format.TABLE if terminal.isatty and not to_file and supports(Format.TABLE, view) \
            else Format.PLAIN
    if not supports(fmt, view, command):
        names = ", ".join(["auto", *(f.value for f in available(view, command))])
        raise UsageError(f"--format {fmt.value} is not available for '{command}'; "
                         f"use one of: {names}")
    return Plan(fmt, terminal.width, terminal.color and not to_file)


def emit(view: str, data: Any, common: Common, chron: Any = None, *, long: bool = False,
         command: str | None = None, how: Plan | None = None) -> None:
    """Render a view to stdout or --output: the one way out of every command."""
    from khalkhin import term
    from khalkhin.render import Ctx, render

    if how is None:
        how = plan(view, common, command or view)
    with term.output_to(common.output, common.force, data_files(common)) as out:
        ctx = Ctx(out=out, fmt=how.fmt, width=how.width, color=how.color, long=long,
                  chron=chron, cite=common.cite)
        try:
            render(view, data, ctx)
            out.flush()
        except BrokenPipeError:
            quiet_pipe()
        except OSError as e:
            if common.output in (None, "-"):
                raise
            from khalkhin.term import OutputFailed

            raise OutputFailed(f"{common.output}: cannot write: {e.strerror or e}") from None


def data_files(common: Common) -> list[str]:
    """Every data path in play (bundled, KHALKHIN_DATA, --data): never written to."""
    from khalkhin.paths import given_paths

    return given_paths(common.data)


def run(fn: Callable[[], None]) -> None:
    """Run a command body, turning our errors into one-line messages and exit codes."""
    try:
        fn()
    except KhalkhinError as e:
        _fail(e)
    except OSError as e:
        # Output that cannot be written (a full disk, a closed terminal): one line, exit 1.
        if isinstance(e, BrokenPipeError):
            quiet_pipe()
        say(f"error: cannot write the output: {e.strerror or e}")
        raise typer.Exit(1) from None


def _completion_chronology(ctx: typer.Context) -> Any:
    params = ctx.params if ctx is not None else {}
    opts = Common(list(params.get("data") or []), bool(params.get("no_bundled")),
                  bool(params.get("no_cache")))
    try:
        return load_chronology(opts)
    except Exception:  # completion must never print a traceback into the shell
        return None


_SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*")
_BASH_SPECIAL = re.compile(r"([\s'\"\\$`!&;()<>|*?\[\]#~{}])")


def for_the_shell(values: list[tuple[str, str]], incomplete: str, *,
                  slugs_as_spelt: bool = True) -> list[tuple[str, str]]:
    """Completions as the shell will insert them, each starting with what was typed (the
    shells keep only those): a name found ignoring case and accents keeps the typed
    beginning, which a look-up reads the same. Bash inserts a completion as it is, so its
    spaces and quotes are escaped with a backslash; zsh and fish escape what they insert."""
    from khalkhin.text import fold

    shell = next((v for k, v in os.environ.items()
                  if k.startswith("_KHALKHIN") and k.endswith("_COMPLETE")), "")
    out = []
    for value, help_ in values:
        n = len(incomplete)
        if not value.startswith(incomplete):
            if (slugs_as_spelt and _SLUG.fullmatch(value)) or fold(value[:n]) != fold(incomplete):
                continue  # an id is offered as it is spelt, or not at all
            value = incomplete + value[n:]
        if shell == "complete_bash":
            value = incomplete + _BASH_SPECIAL.sub(r"\\\1", value[len(incomplete):]) \
                if value.startswith(incomplete) else _BASH_SPECIAL.sub(r"\\\1", value)
        out.append((value, help_))
    return out


def complete_names(ctx: typer.Context, incomplete: str, *,
                   entities_only: bool = False) -> list[tuple[str, str]]:
    """Shell completion of entity (and event) ids and names from the loaded chronology."""
    from khalkhin.search import complete

    chron = _completion_chronology(ctx)
    if chron is None:
        return []
    return for_the_shell(complete(chron, incomplete, entities_only=entities_only), incomplete)


def complete_tag(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Shell completion of tags, most used first, with their counts."""
    from khalkhin.text import fold

    chron = _completion_chronology(ctx)
    if chron is None:
        return []
    counts = {t: n for t, (n, _, _) in chron.tag_stats().items()}
    typed = fold(incomplete)
    tags = sorted((t for t in counts if fold(t).startswith(typed)), key=lambda t: (-counts[t], t))
    return for_the_shell([(t, f"{counts[t]} events") for t in tags], incomplete,
                         slugs_as_spelt=False)


def complete_entity(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return complete_names(ctx, incomplete, entities_only=True)


EntityOpt = Annotated[list[str] | None, typer.Option(
    "--entity", "-e", metavar="NAME", autocompletion=complete_entity,
    help="Only events linked to this entity: id, name or any spelling (repeatable).")]


def resolve_entities(chron: Any, names: list[str]) -> list[str]:
    if not names:
        return []  # keep the search index (and its imports) out of a plain timeline
    return [resolved(chron, name, entities_only=True, alternatives=False).item.id
            for name in names]


def resolved(chron: Any, name: str, *, entities_only: bool = False,
             alternatives: bool = True) -> Any:
    """Resolve a name for a command; a loose match and close alternatives are said on stderr."""
    from khalkhin.search import resolve
    from khalkhin.text import short

    found = resolve(chron, name, entities_only=entities_only)
    if not found.exact:
        say(f"'{short(name)}' taken as {found.item.label} ({found.item.id})")
    if found.alternatives and alternatives:
        say("also close: " + ", ".join(f"{h.label} ({h.id})" for h in found.alternatives))
    return found


def quiet_pipe() -> NoReturn:
    """The reader went away (`| head`): stop quietly with exit 0, the reader took all it
    wanted; keep Python from complaining when it flushes stdout at exit."""
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    os._exit(0)
