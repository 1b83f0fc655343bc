"""Work shared with forked processes, where that is safe: on Linux, with more than one CPU
this process may use, and no thread but this one (a fork copies only the calling thread).

A forked child inherits what the parent has already read (a store's names, a file's text)
without copying it through a pipe; only its answer comes back, marshalled.
"""

from __future__ import annotations

import os
from collections.abc import Callable
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


def both(first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Any, Any]:
    """(first(), second()): SECOND runs in a forked child while this process runs FIRST,
    when forking may help (:func:`cpus`); its answer must be marshallable. When the child
    cannot be started or does not answer, SECOND runs here instead, so its errors are
    raised here as they would be without a fork."""
    if not cpus():
        return first(), second()
    import marshal
    import signal

    try:
        r, w = os.pipe()
    except OSError:
        return first(), second()
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        return first(), second()
    if pid == 0:  # the child: answer, then leave without running anything of the parent's
        code = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent ends it
            os.close(r)
            data = marshal.dumps(second())
            view = memoryview(data)
            while view:
                view = view[os.write(w, view):]
            code = 0
        except BaseException:  # noqa: BLE001, S110 - any failure: the parent does the work
            pass
        finally:
            os._exit(code)
    os.close(w)
    reaped = False
    try:
        mine = first()
        answer = bytearray()
        while chunk := os.read(r, 1 << 20):
            answer += chunk
        _, status = os.waitpid(pid, 0)
        reaped = True
        if status == 0 and answer:
            try:
                return mine, marshal.loads(answer)
            except (EOFError, ValueError, TypeError):
                pass
            finally:
                del answer
        return mine, second()
    finally:
        os.close(r)
        if not reaped:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass
