"""Work shared with forked processes, where that is safe: on Linux, with more than one CPU
this process may use, and no thread but this one (a fork copies only the calling thread).

A forked child inherits what the parent has already read (a store's names, a file's text)
without copying it through a pipe; only its answer comes back, marshalled.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any


def cpus(jobs: int = 2) -> int:
    """How many processes may share JOBS pieces of work: one per CPU this process may use,
    at most JOBS; 0 when forking is not safe here or there is only one CPU."""
    import sys
    import threading

    if jobs < 2 or not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 0
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    return min(n, jobs) if n > 1 else 0


class Later:
    """WORK's answer, worked out by a forked child while this process goes on, when forking
    may help (:func:`cpus`); its answer must be marshallable. When the child cannot be
    started or does not answer, :meth:`result` runs WORK here instead, so its errors are
    raised here as they would be without a fork. :meth:`close` ends a child whose answer is
    not wanted (call it in any case: it does nothing once the answer is in)."""

    def __init__(self, work: Callable[[], Any],
                 release: Callable[[], None] | None = None) -> None:
        """RELEASE is called first in the child: what only this process still needs, let
        go there so that the child's memory is used again for its own work."""
        self.work = work
        self.pid: int | None = None
        self.fd: int | None = None
        if not cpus():
            return
        import signal

        try:
            r, w = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            os.close(r)
            os.close(w)
            return
        if pid == 0:  # the child: answer, then leave without running anything of the parent's
            code = 1
            try:
                import marshal

                signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent ends it
                os.close(r)
                if release is not None:
                    release()
                with os.fdopen(w, "wb", buffering=1 << 20) as out:
                    for piece in _pieces(work()):
                        marshal.dump(piece, out)
                code = 0
            except BaseException:  # noqa: BLE001, S110 - any failure: the parent does the work
                pass
            finally:
                os._exit(code)
        os.close(w)
        self.pid, self.fd = pid, r

    def result(self) -> Any:
        if self.pid is None or self.fd is None:
            return self.work()
        import marshal

        answer: Any = None
        ok = False
        try:
            with os.fdopen(self.fd, "rb", buffering=1 << 20, closefd=False) as got:
                try:
                    answer = _read(got, marshal.load)
                    ok = got.read(1) == b""
                except (EOFError, ValueError, TypeError, IndexError):
                    answer = None
            _, status = os.waitpid(self.pid, 0)
            self.pid = None  # reaped: never to be signalled
        finally:
            self.close()
        if ok and status == 0:
            return answer
        del answer
        return self.work()

    def close(self) -> None:
        pid, fd = self.pid, self.fd
        self.pid = self.fd = None
        if fd is not None:
            os.close(fd)
        if pid is not None:
            import signal

            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                os.waitpid(pid, 0)
            except OSError:
                pass


#: A long list in an answer is sent this many items at a time, each let go once sent.
SLICE = 20_000


def _pieces(value: Any) -> Iterator[Any]:
    """An answer as marshallable pieces, each (kind, payload): ("t", n) a tuple of the n
    values that follow, ("l", n) a list of n items in the slices that follow, ("v", x) a
    value. A long list is emptied as it is sent (it is the child's own copy)."""
    if type(value) is tuple:
        yield ("t", len(value))
        for v in value:
            yield from _pieces(v)
    elif type(value) is list and len(value) > SLICE:
        yield ("l", len(value))
        while value:
            yield value[:SLICE]
            del value[:SLICE]
    else:
        yield ("v", value)


def _read(got: Any, load: Callable[[Any], Any]) -> Any:
    """The answer :func:`_pieces` sent, read piece by piece."""
    kind, n = load(got)
    if kind == "t":
        return tuple(_read(got, load) for _ in range(n))
    if kind == "l":
        items: list[Any] = []
        while len(items) < n:
            items.extend(load(got))
        if len(items) != n:
            raise ValueError("a list longer than was said")
        return items
    if kind == "v":
        return n
    raise ValueError(f"not a piece of an answer: {kind!r}")


def both(first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Any, Any]:
    """(first(), second()): SECOND runs in a forked child while this process runs FIRST
    (:class:`Later`)."""
    later = Later(second)
    try:
        mine = first()
        return mine, later.result()
    finally:
        later.close()
