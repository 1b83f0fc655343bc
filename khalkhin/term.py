"""The terminal: format and colour choice, width, safe encoding, atomic file output."""

from __future__ import annotations

import codecs
import io
import os
import sys
import tempfile
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


@contextmanager
def output_to(path: str | None, force: bool, protected: list[str]) -> Iterator[TextIO]:
    """Yield the stream to write to: stdout, or a temporary file renamed onto PATH at the end.

    An existing file is not replaced without ``force``, and a data file never is.
    """
    if path is None or path == "-":
        yield safe_stream(sys.stdout)
        return
    target = os.path.abspath(path)
    if any(os.path.exists(p) and os.path.samefile(p, target) for p in protected
           if os.path.exists(target)):
        raise UsageError(f"{path}: is a data file; khalkhin never writes to its data")
    if os.path.isdir(target):
        raise UsageError(f"{path}: is a directory")
    if os.path.exists(target) and not force:
        raise UsageError(f"{path}: already exists; use --force to replace it")
    directory = os.path.dirname(target)
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".khalkhin-", suffix=".tmp")
    except OSError as e:
        raise UsageError(f"{path}: cannot write: {e.strerror or e}") from None
    ok = False
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(tmp, target)
        ok = True
    finally:
        if not ok:
            try:
                os.unlink(tmp)
            except OSError:
                pass
