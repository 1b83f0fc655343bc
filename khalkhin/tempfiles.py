"""Temporary files: where a write-then-rename keeps its work, and the clean-up of strays."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager

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
def replacing(path: str, suffix: str) -> Iterator[str]:
    """A temporary file beside PATH (its directory made, 0700, if missing) that replaces
    PATH when the block ends without an error; removed in any case, also on Ctrl-C or
    SIGTERM. For the cache's own files; user-facing output goes through ``term``."""
    import tempfile

    directory = os.path.dirname(path)
    os.makedirs(directory, mode=0o700, exist_ok=True)
    prune_stale(directory, ".tmp-", suffix)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=suffix)
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass
