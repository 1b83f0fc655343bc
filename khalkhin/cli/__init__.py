"""The command line: options in, library calls, rendered results out, errors to exit codes.

``khalkhin.cli:main`` is the console entry point; the commands live one group a module
(timeline, lookup, check) and register themselves on :data:`app` when imported here.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any, NoReturn

from khalkhin.cli import check as _check  # noqa: F401
from khalkhin.cli import lookup as _lookup  # noqa: F401
from khalkhin.cli import notes as _notes  # noqa: F401
from khalkhin.cli import timeline as _timeline  # noqa: F401
from khalkhin.cli.common import Interrupted, app, quiet_pipe
from khalkhin.errors import ExitCode

__all__ = ["app", "main"]


def _on_signal(signum: int, frame: Any) -> None:
    raise Interrupted(signum)


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
    """Console entry point: exit codes per ExitCode, no tracebacks for Ctrl-C or a closed pipe.

    SIGINT and SIGTERM unwind the stack (so temporary files are removed) and exit 130 and
    143 without a traceback.
    """
    from khalkhin.term import safe_stream

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    safe_stream(sys.stderr)
    safe_stream(sys.stdout)
    _only_invoked_command(sys.argv)
    try:
        app(prog_name="khalkhin")
    except (Interrupted, KeyboardInterrupt) as e:
        _interrupted(e)
    except BrokenPipeError:
        quiet_pipe()
    except SystemExit:
        # Flush here, not at interpreter exit, so a closed pipe is caught and stays quiet.
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            quiet_pipe()
        except (Interrupted, KeyboardInterrupt) as e:
            _interrupted(e)
        except OSError as e:
            sys.stderr.write(f"khalkhin: error: cannot write the output: {e.strerror or e}\n")
            os._exit(1)
        raise


def _interrupted(e: BaseException) -> NoReturn:
    # Ctrl-C: a newline so the shell prompt starts clean, then exit 130 without a traceback
    # (143 for SIGTERM). os._exit skips interpreter shutdown, where a second signal could
    # still print one.
    term = isinstance(e, Interrupted) and e.args[:1] == (signal.SIGTERM,)
    try:
        if not term:
            sys.stderr.write("\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(int(ExitCode.TERMINATED if term else ExitCode.INTERRUPTED))
