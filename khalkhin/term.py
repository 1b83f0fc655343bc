"""The terminal: format and colour choice, width, safe encoding, atomic file output."""

from __future__ import annotations

import codecs
import io
import os
import stat
import sys
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

from khalkhin.errors import KhalkhinError, UsageError
from khalkhin.tempfiles import TEMP_PREFIX, TEMP_SUFFIX, prune_stale

# Readable ASCII for what a non-UTF-8 terminal cannot show.
_ASCII = {
    "\u2014": "--", "\u2013": "-", "\u2026": "...", "\u2018": "'", "\u2019": "'",
    "\u201c": '"', "\u201d": '"', "\u00d7": "x", "\u2192": "->", "\u2190": "<-",
    "\u2022": "*", "\u00a0": " ", "\ufffd": "?", "\u2500": "-", "\u2502": "|",
}


def _fallback(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeEncodeError):
        raise err
    out = []
    for ch in err.object[err.start:err.end]:
        rep = _ASCII.get(ch)
        if rep is None:
            base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            rep = base or "?"
        out.append(rep)
    return "".join(out), err.end


codecs.register_error("khalkhin-ascii", _fallback)


def safe_stream(stream: TextIO) -> TextIO:
    """Make a text stream replace what its encoding cannot show instead of crashing."""
    enc = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    if enc.startswith("utf"):
        return stream
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="khalkhin-ascii")
            return stream
        except (ValueError, io.UnsupportedOperation):
            pass
    return stream


@dataclass(frozen=True)
class Terminal:
    """What the output stream is: a terminal or not, its width, whether to use colour."""

    isatty: bool
    width: int
    color: bool


def detect(stream: TextIO, color: str = "auto", env: Mapping[str, str] | None = None) -> Terminal:
    environ = os.environ if env is None else env
    try:
        isatty = stream.isatty()
    except (AttributeError, ValueError):
        isatty = False
    width = 80
    cols = environ.get("COLUMNS", "")
    if cols.isdigit() and int(cols) > 0:
        width = int(cols)
    elif isatty:
        try:
            width = os.get_terminal_size(stream.fileno()).columns or 80
        except (OSError, ValueError, AttributeError):
            width = 80
    if color == "always":
        use = True
    elif color == "never":
        use = False
    elif environ.get("NO_COLOR"):
        use = False
    elif environ.get("FORCE_COLOR"):
        use = True
    else:
        use = isatty and environ.get("TERM", "") != "dumb"
    return Terminal(isatty, max(width, 20), use)


def protected_files(protected: list[str]) -> tuple[set[str], set[str]]:
    """The real paths of every data file in play, and of every data directory."""
    files: set[str] = set()
    dirs: set[str] = set()
    for p in protected:
        real = os.path.realpath(p)
        if os.path.isdir(real):
            dirs.add(real)
            try:
                names = os.listdir(real)
            except OSError:
                continue
            files.update(os.path.realpath(os.path.join(real, n)) for n in names
                         if n.endswith((".yaml", ".yml")))
        else:
            files.add(real)
    return files, dirs


def _is_data(target: str, protected: list[str]) -> bool:
    """Whether TARGET is (or resolves to) a data file, or a .yaml a data directory would load.

    Every path is resolved to its real file first, so neither a symbolic link in a data
    directory nor a link to a data file elsewhere lets output reach the data.
    """
    files, dirs = protected_files(protected)
    real = os.path.realpath(target)
    if real in files:
        return True
    # A new file in a data directory, named as the directory would read it (through the
    # directory as written, or its real path).
    named = os.path.join(os.path.realpath(os.path.dirname(os.path.abspath(target))),
                         os.path.basename(target))
    return any(os.path.dirname(x) in dirs and x.endswith((".yaml", ".yml"))
               for x in (real, named))


def _mode(target: str) -> int:
    """File mode for the new file: the old file's, or what umask allows (mkstemp gives 0600)."""
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


class OutputFailed(KhalkhinError):
    """--output could not be written (exit 1)."""


@contextmanager
def output_to(path: str | None, force: bool, protected: list[str]) -> Iterator[TextIO]:
    """Yield the stream to write to: stdout, or a temporary file renamed onto PATH at the end.

    Nothing is written to PATH unless the whole output was: the temporary file sits in the
    same directory and replaces PATH atomically (os.replace). Only a regular file is ever
    replaced, and not without ``force``; a data file (or a new .yaml in a data directory)
    never is. A FIFO, a terminal or a device such as /dev/null or /dev/stdout is written to
    in place, as a shell redirection would. The temporary file is removed whatever happens,
    a signal included.
    """
    if path is None or path == "-":
        yield safe_stream(sys.stdout)
        return
    if _is_data(path, protected):
        raise UsageError(f"{path}: is a data file; khalkhin never writes to its data")
    target = os.path.realpath(path)
    try:
        st = os.stat(path)  # through links: /dev/stdout is a link to a pipe or a terminal
    except OSError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise UsageError(f"{path}: is a directory")
    if st is not None and not stat.S_ISREG(st.st_mode):
        with _in_place(path) as fh:
            yield fh
        return
    if st is not None and not force:
        raise UsageError(f"{path}: already exists; use --force to replace it")
    directory = os.path.dirname(target)
    mode = _mode(target)
    prune_stale(directory, TEMP_PREFIX, TEMP_SUFFIX)
    try:
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=directory, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
    except OSError as e:
        raise OutputFailed(f"{path}: cannot write: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            try:
                fh.flush()
                os.fchmod(fh.fileno(), mode)
                os.fsync(fh.fileno())
            except OSError as e:
                raise OutputFailed(f"{path}: cannot write: {e.strerror or e}") from None
        try:
            os.replace(tmp, target)
        except OSError as e:
            raise OutputFailed(f"{path}: cannot replace it: {e.strerror or e}") from None
    finally:
        # BaseException too (Ctrl-C, SIGTERM, a closed pipe): never leave the file behind.
        try:
            os.unlink(tmp)
        except OSError:
            pass


@contextmanager
def _in_place(path: str) -> Iterator[TextIO]:
    """Write into a FIFO or a device as it is, without truncating or replacing it."""
    try:
        fh = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as e:
        raise OutputFailed(f"{path}: cannot write: {e.strerror or e}") from None
    try:
        yield fh
        try:
            fh.flush()
        except OSError as e:
            raise OutputFailed(f"{path}: cannot write: {e.strerror or e}") from None
    finally:
        try:
            fh.close()
        except OSError:
            pass  # what could not be written was said already
