"""The terminal: format and colour choice, width, safe encoding, atomic file output."""

from __future__ import annotations

import codecs
import io
import os
import sys
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

from khalkhin.errors import UsageError

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


def _is_data(target: str, protected: list[str]) -> bool:
    """Whether TARGET is one of the data files, or a .yaml file a data directory would load."""
    real = os.path.realpath(target)
    for p in protected:
        if not os.path.exists(p):
            continue
        if os.path.isdir(p):
            inside = os.path.dirname(real) == os.path.realpath(p)
            if inside and real.endswith((".yaml", ".yml")):
                return True
        elif os.path.exists(real) and os.path.samefile(p, real):
            return True
    return False


def _mode(target: str) -> int:
    """File mode for the new file: the old file's, or what umask allows (mkstemp gives 0600)."""
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


@contextmanager
def output_to(path: str | None, force: bool, protected: list[str]) -> Iterator[TextIO]:
    """Yield the stream to write to: stdout, or a temporary file renamed onto PATH at the end.

    Nothing is written to PATH unless the whole output was: the temporary file sits in the
    same directory and replaces PATH atomically (os.replace). An existing file is not replaced
    without ``force``, and a data file (or a new .yaml in a data directory) never is.
    """
    if path is None or path == "-":
        yield safe_stream(sys.stdout)
        return
    if _is_data(path, protected):
        raise UsageError(f"{path}: is a data file; khalkhin never writes to its data")
    target = os.path.realpath(path)
    if os.path.isdir(target):
        raise UsageError(f"{path}: is a directory")
    if os.path.lexists(path) and not force:
        raise UsageError(f"{path}: already exists; use --force to replace it")
    directory = os.path.dirname(target)
    mode = _mode(target)
    try:
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".khalkhin-", suffix=".tmp")
    except OSError as e:
        raise UsageError(f"{path}: cannot write: {e.strerror or e}") from None
    ok = False
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        ok = True
    finally:
        if not ok:
            try:
                os.unlink(tmp)
            except OSError:
                pass
