"""Temporary files: where a write-then-rename keeps its work, the clean-up of strays, and
reading back only what such a write could have left (a regular file, never a link, a FIFO
or a device)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

TEMP_PREFIX = ".khalkhin-"
TEMP_SUFFIX = ".tmp"
#: A temporary file older than this was left by a process that was killed: removed.
STALE_SECONDS = 3600


def prune_stale(directory: str, prefix: str, suffix: str, *, age: float = STALE_SECONDS) -> None:
    """Remove our own temporary files left behind in DIRECTORY by a killed process."""
    import time

    try:
        names = [n for n in os.listdir(directory) if n.startswith(prefix) and n.endswith(suffix)]
    except OSError:
        return
    now = time.time()
    for name in names:
        full = os.path.join(directory, name)
        try:
            st = os.lstat(full)
            if stat.S_ISREG(st.st_mode) and now - st.st_mtime > age:
                os.unlink(full)
        except OSError:
            pass


@contextmanager
def replacing(path: str, suffix: str, prefix: str = ".tmp-") -> Iterator[str]:
    """A temporary file beside PATH (its directory made, 0700, if missing) that replaces
    PATH when the block ends without an error; removed in any case, also on Ctrl-C or
    SIGTERM. For the cache's files and a notes folder's (``folder``); other output goes
    through ``term``."""
    import tempfile

    directory = os.path.dirname(path)
    os.makedirs(directory, mode=0o700, exist_ok=True)
    prune_stale(directory, prefix, suffix)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=prefix, suffix=suffix)
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def open_regular(path: str) -> BinaryIO | None:
    """PATH opened for reading when it is a regular file itself (not through a link, and no
    FIFO or device, which could hang or never end); None otherwise."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return None
        return os.fdopen(fd, "rb")
    except OSError:
        os.close(fd)
        return None
