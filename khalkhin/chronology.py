"""Find the data files, load them (through the parse cache) and build one chronology."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from khalkhin.errors import DataError, Problem, UsageError
from khalkhin.model import Chronology
from khalkhin.paths import data_paths

if TYPE_CHECKING:
    from khalkhin.forks import Later
    from khalkhin.validate import Record


def parse_file(path: str, text: str) -> tuple[list[Record], list[Problem]]:
    """Parse one file into records; a file that cannot be read gives one problem."""
    from khalkhin.validate import read_records

    got = _parse_one(path, text)
    if isinstance(got, Problem):
        return [], [got]
    records, more = read_records(got[0], path)
    return records, got[1] + more


def _parts(paths: list[str], blobs: list[bytes | None]) -> list[str | None]:
    """The part keys of the files to keep parsed: the large ones, when there are several
    (an edit to one then re-parses only that one)."""
    from khalkhin import cache

    big = [b is not None and len(b) >= cache.PART_BYTES for b in blobs]
    if sum(big) < 2:
        return [None] * len(blobs)
    return [cache.part_key(p, b) if keep and b is not None else None
            for p, b, keep in zip(paths, blobs, big, strict=True)]


# The texts a forked worker parses (inherited, not copied through a pipe).
_JOBS: list[tuple[str, str]] = []


def _parse_job(i: int) -> bytes | Problem:
    """In a worker: parse one file of _JOBS and pack it, or the problem that stops it."""
    from khalkhin.load import pack

    got = _parse_one(*_JOBS[i])
    return got if isinstance(got, Problem) else pack(*got)


def _worker_signals() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the pool
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _workers(jobs: int, kept: int = 0) -> int:
    """How many processes parse JOBS large files at once: one per CPU, when there are
    several large files, or one and KEPT parses to read back meanwhile, and forking is safe
    (:func:`khalkhin.forks.cpus`); else none."""
    from khalkhin.forks import cpus

    return min(cpus(jobs + (1 if kept and jobs else 0)), jobs)


def _parsed_files(texts: list[tuple[str, str]], parts: list[str | None],
                  env: Mapping[str, str] | None, progress: Progress | None,
                  total: int) -> Iterator[tuple[Iterator[Record], list[Problem], list[Problem]]]:
    """Each file's records (one at a time), the problems of its parse and of its fields (a
    list complete once its records are read), in order, one file at a time: a file kept parsed
    is read back from its part; several large files are parsed by as many processes as
    there are CPUs. Each text is let go (its place in TEXTS emptied) once it is parsed."""
    from khalkhin import cache
    from khalkhin.load import pack, unpack
    from khalkhin.validate import iter_records

    kept: list[bytes | None] = [cache.read_part(part, env) if part is not None else None
                                for part in parts]
    todo = [i for i, k in enumerate(kept) if k is None]
    big = [i for i in todo if len(texts[i][1]) >= cache.PART_BYTES]
    bigs = set(big)
    workers = _workers(len(big), len(kept) - len(todo))
    results: Iterator[bytes | Problem] = iter(())
    pool = None
    if workers:
        import multiprocessing

        global _JOBS
        _JOBS = texts
        pool = multiprocessing.get_context("fork").Pool(workers, _worker_signals)
        results = pool.imap(_parse_job, big)
    try:
        for i, (path, text) in enumerate(texts):
            if progress is not None:
                progress(f"reading {os.path.basename(path)}", i, total)
            got: tuple[Any, list[Problem]] | Problem | None = None
            packed, kept[i] = kept[i], None
            if packed is not None:
                try:
                    got = unpack(packed, lazy=True)
                except ValueError:
                    pass
                del packed
            if got is None and pool is not None and i in bigs:
                out = next(results)
                if isinstance(out, bytes):
                    got = unpack(out, lazy=True)
                    if parts[i] is not None:
                        cache.write_part(parts[i], out, env)  # type: ignore[arg-type]
                else:
                    got = out
                del out
            if got is None:
                got = _parse_one(path, text)
                part = parts[i]
                if part is not None and not isinstance(got, Problem):
                    cache.write_part(part, pack(*got), env)
            texts[i] = (path, "")
            del text
            if isinstance(got, Problem):
                yield iter(()), [got], []
                continue
            recs, more = iter_records(got[0], path)
            yield recs, got[1], more
            del recs, got
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
            _JOBS = []


def _parse_one(path: str, text: str) -> tuple[Any, list[Problem]] | Problem:
    """One file's parsed values and problems, or the one problem that stops it."""
    from khalkhin.load import LoadFailed, parse_yaml

    try:
        return parse_yaml(text, path)
    except LoadFailed as e:
        return e.problem


def check(paths: list[str]) -> tuple[Chronology | None, list[Problem]]:
    """Load and check files without the cache: every problem, errors and warnings."""
    from khalkhin.load import LoadFailed, read_text
    from khalkhin.validate import build

    records: list[Record] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            text = read_text(path)
        except LoadFailed as e:
            problems.append(e.problem)
            continue
        recs, probs = parse_file(path, text)
        records.extend(recs)
        problems.extend(probs)
    if any(p.rule in ("file", "encoding", "syntax", "structure", "yaml-tag", "yaml-alias")
           for p in problems) and not records:
        return None, sorted(problems)
    chron, all_problems = build(records, problems)
    return chron, all_problems


def load(extra: Iterable[str] = (), *, bundled: bool = True, use_cache: bool | None = None,
         env: Mapping[str, str] | None = None, progress: Progress | None = None) -> Chronology:
    """Load the chronology; raise DataError listing every error when the data is broken.

    ``progress`` is told the steps of a slow cold load (see :data:`SLOW_BYTES`).
    """
    environ = os.environ if env is None else env
    paths = data_paths(extra, bundled=bundled, env=environ)
    if not paths:
        raise UsageError("no data: --no-bundled needs --data PATH or KHALKHIN_DATA")
    if use_cache is None:
        from khalkhin import cache

        use_cache = not cache.disabled(environ)
    return load_paths(paths, use_cache=use_cache, env=environ, progress=progress)


#: ``progress(step, done, total)``: called with done=0 first and done=total last.
Progress = Callable[[str, int, int], None]
#: Data larger than this takes about a second or more to load cold: report progress.
SLOW_BYTES = 2 * 1024 * 1024


def load_paths(paths: list[str], *, use_cache: bool = True,
               env: Mapping[str, str] | None = None,
               progress: Progress | None = None) -> Chronology:
    from khalkhin import cache

    stats = cache.file_stats(paths)
    key = None
    blobs: list[bytes | None] | None = None
    if use_cache and stats is not None:
        # A warm run: the files' sizes and times as the store was built from them are
        # enough; a file that changed is read and hashed to find its store.
        key = cache.known_key(paths, stats, env)
        if key is None:
            blobs = [cache.read_bytes(p) for p in paths]
            if all(b is not None for b in blobs):
                key = cache.key(list(zip(paths, blobs, strict=True)))  # type: ignore[arg-type]
        if key is not None:
            hit = cache.read(key, env)
            if hit is not None:
                cache.remember(paths, stats, key, env)
                return hit
    if blobs is None:
        blobs = [cache.read_bytes(p) for p in paths]

    from khalkhin.load import LoadFailed, decode, read_text

    texts: list[tuple[str, str]] = []
    errors: list[Problem] = []
    for path, blob in zip(paths, blobs, strict=True):
        try:
            texts.append((path, read_text(path) if blob is None else decode(blob, path)))
        except LoadFailed as e:
            errors.append(e.problem)
    if errors:
        raise DataError(errors)
    parts: list[str | None] = _parts(paths, blobs) if key is not None else [None] * len(texts)
    del blobs
    from khalkhin.validate import Builder

    if progress is not None and sum(len(t) for _, t in texts) < SLOW_BYTES:
        progress = None
    total = len(texts) + 2
    text: Later | None = None
    try:
        with cache.paused_gc():
            builder = Builder()
            for records, *found in _parsed_files(texts, parts, env, progress, total):
                builder.collect_file(records, *found)
                del records
            del texts
            if progress is not None:
                progress("checking", total - 2, total)
            chron = builder.chronology()
            if key is not None and stats is not None:
                # The text index is begun (by a forked process) while the references are
                # checked and the other tables written.
                from khalkhin.store import text_later

                text = text_later(chron, builder.release)
            problems = builder.checked()
            del builder
            if any(p.is_error for p in problems):
                raise DataError(problems)
            chron.warnings = list(problems)
            if key is not None and stats is not None:
                # Writing the store builds the text index's postings: no cycles either.
                if progress is not None:
                    progress("writing the store", total - 1, total)
                if cache.write(key, chron, env, stats, text):
                    cache.remember(paths, stats, key, env)
    finally:
        if text is not None:
            text.close()
        if progress is not None:
            progress("done", total, total)
    return chron
