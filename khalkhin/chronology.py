"""Find the data files, load them (through the parse cache) and build one chronology."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from khalkhin.errors import DataError, Problem, UsageError
from khalkhin.model import Chronology
from khalkhin.paths import data_paths

if TYPE_CHECKING:
    from khalkhin.validate import Record


def parse_file(path: str, text: str) -> tuple[list[Record], list[Problem]]:
    """Parse one file into records; a file that cannot be read gives one problem."""
    from khalkhin.load import LoadFailed, parse_yaml
    from khalkhin.validate import read_records

    try:
        root, problems = parse_yaml(text, path)
    except LoadFailed as e:
        return [], [e.problem]
    records, more = read_records(root, path)
    return records, problems + more


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
    del blobs
    from khalkhin.validate import build

    if progress is not None and sum(len(t) for _, t in texts) < SLOW_BYTES:
        progress = None
    total = len(texts) + 2
    records: list[Record] = []
    problems: list[Problem] = []
    try:
        with cache.paused_gc():
            for i, (path, text) in enumerate(texts):
                if progress is not None:
                    progress(f"reading {os.path.basename(path)}", i, total)
                recs, probs = parse_file(path, text)
                records.extend(recs)
                problems.extend(probs)
            del texts
            if progress is not None:
                progress("checking", total - 2, total)
            chron, problems = build(records, problems)
            del records
        if any(p.is_error for p in problems):
            raise DataError(problems)
        chron.warnings = list(problems)
        if key is not None and stats is not None:
            if progress is not None:
                progress("writing the store", total - 1, total)
            if cache.write(key, chron, env, stats):
                cache.remember(paths, stats, key, env)
    finally:
        if progress is not None:
            progress("done", total, total)
    return chron
