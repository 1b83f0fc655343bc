"""The parse cache: a checked chronology stored as compact JSON, keyed by the data's content hash.

Where: ``$XDG_CACHE_HOME/khalkhin`` (else ``~/.cache/khalkhin``), one file per set of data
files, named ``<paths hash>-<content hash>.json``. The content hash covers the cache format,
the tool's version, the YAML loader a cold load uses, and each file's path and bytes, so an
edited file, an upgrade or a different loader simply misses.

JSON cannot run code when read (unlike pickle). Files are written to a temporary file in the
same directory and renamed into place (``os.replace``), so processes running at the same time
see a whole file or none. A corrupt, stale or unreadable cache is ignored and rebuilt; an
unwritable cache directory is skipped without complaint. ``--no-cache`` and
``KHALKHIN_NO_CACHE=1`` turn it off.

The layout is compact: source references are stored once in a table and events point at
them by number, so a warm load shares one ``SourceRef`` per distinct citation.
"""

from __future__ import annotations

import gc
import json
import os
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from khalkhin import dates
from khalkhin.errors import Problem
from khalkhin.model import Chronology, Claim, Entity, Event, Relation, Source, SourceRef
from khalkhin.version import __version__

FORMAT = 5
#: Files larger than this are left to the loader, which reports them properly.
MAX_BYTES = 256 * 1024 * 1024


def loader_name() -> str:
    """Which YAML loader a cold load uses (part of the key), found without importing yaml."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("yaml")
    except (ImportError, ValueError):
        return "none"
    if spec is None:
        return "none"
    for where in spec.submodule_search_locations or ():
        try:
            if any(n.startswith("_yaml.") for n in os.listdir(where)):
                return "libyaml"
        except OSError:
            continue
    return "pyyaml"


def disabled(env: Mapping[str, str] | None = None) -> bool:
    """True when KHALKHIN_NO_CACHE asks for no cache (any value but empty or 0)."""
    environ = os.environ if env is None else env
    return environ.get("KHALKHIN_NO_CACHE", "") not in ("", "0")


def cache_dir(env: Mapping[str, str] | None = None) -> str:
    """``$XDG_CACHE_HOME/khalkhin``, else ``~/.cache/khalkhin`` (a relative XDG path is ignored)."""
    environ = os.environ if env is None else env
    base = environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "khalkhin")


def read_bytes(path: str) -> bytes | None:
    """A regular file's bytes, or None when anything is odd (the loader then says what)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            return None
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def _hasher() -> Any:
    try:  # the built-in blake2 module loads far faster than OpenSSL's hashlib
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - every CPython build has it
        from hashlib import blake2b
    return blake2b(digest_size=20)


def key(files: list[tuple[str, bytes]], loader: str | None = None) -> str:
    """``<paths hash>-<content hash>``: the file name of this data's cache entry."""
    paths = _hasher()
    content = _hasher()
    content.update(f"khalkhin-cache {FORMAT}\0{__version__}\0{loader or loader_name()}\0".encode())
    for path, data in files:
        name = os.path.abspath(path).encode("utf-8", "surrogateescape") + b"\0"
        paths.update(name)
        content.update(name + len(data).to_bytes(8, "little"))
        content.update(data)
    return f"{paths.hexdigest()[:16]}-{content.hexdigest()}"


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while building many objects that all stay alive.

    Building 100,000 events triggers the collector hundreds of times, each pass walking
    every object built so far; the data has no cycles to collect, so pausing it is safe.
    What was built is then frozen (moved out of the collector's sight: it is still freed by
    reference counting), so that later passes do not walk it again and again either.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()
            gc.enable()


# --- the compact layout ------------------------------------------------------------------------


def _d(e: dates.Edtf | None) -> str | None:
    return None if e is None else e.text


def _l(names: tuple[str, ...] | None) -> list[str] | None:
    return None if names is None else list(names)


def dump(chron: Chronology, cache_key: str = "") -> dict[str, Any]:
    """The chronology as JSON-ready lists (positional fields, shared citation table)."""
    refs: dict[SourceRef, int] = {}

    def r(rs: tuple[SourceRef, ...]) -> list[int]:
        return [refs.setdefault(x, len(refs)) for x in rs]

    entities = [[e.id, e.kind, e.name, list(e.aliases), _d(e.dates), e.summary, e.place,
                 e.outcome, [[x.type, x.target, _d(x.date), x.note] for x in e.relations],
                 list(e.homonyms), r(e.sources), e.note, _d(e.signed), _l(e.calendars),
                 e.as_written, list(e.given)]
                for e in chron.entities.values()]
    events = [[e.id, e.date.text, e.title, e.summary, list(e.tags), list(e.entities), e.place,
               r(e.sources), e.note, _l(e.calendars), e.as_written, list(e.given)]
              for e in chron.events]
    claims = [[c.subject, c.property, c.value, r((c.source,))[0], c.amount, c.note]
              for c in chron.claims]
    return {
        "format": FORMAT,
        "version": __version__,
        "key": cache_key,
        "refs": [[x.source, x.locator, x.url] for x in refs],
        "sources": [[s.id, s.title, s.author, s.periodical, s.publisher, _d(s.date), s.url,
                     s.note] for s in chron.sources.values()],
        "entities": entities,
        "events": events,
        "claims": claims,
        "warnings": [[p.path, p.line, p.col, p.severity, p.message, p.rule]
                     for p in chron.warnings if isinstance(p, Problem)],
    }


def restore(data: dict[str, Any], cache_key: str = "") -> Chronology:
    """Rebuild a chronology from :func:`dump`'s form; raise on anything unexpected."""
    if data.get("format") != FORMAT or data.get("version") != __version__:
        raise ValueError("stale cache")
    if cache_key and data.get("key") != cache_key:
        raise ValueError("cache entry of other data")
    parse = dates.parse

    def date(t: str | None) -> dates.Edtf | None:
        return None if t is None else parse(t)

    def names(x: list[str] | None) -> tuple[str, ...] | None:
        return None if x is None else tuple(x)

    refs = [SourceRef(s, loc, u) for s, loc, u in data["refs"]]
    ref = refs.__getitem__
    chron = Chronology()
    chron.sources = {s[0]: Source(s[0], s[1], s[2], s[3], s[4], date(s[5]), s[6], s[7])
                     for s in data["sources"]}
    chron.entities = {
        e[0]: Entity(e[0], e[1], e[2], tuple(e[3]), date(e[4]), e[5], e[6], e[7],
                     tuple(Relation(x[0], x[1], date(x[2]), x[3]) for x in e[8]),
                     tuple(e[9]), tuple(map(ref, e[10])), e[11], date(e[12]), names(e[13]),
                     e[14], tuple(e[15]))
        for e in data["entities"]
    }
    chron.events = [
        Event(i, parse(d), t, s, tuple(tg), tuple(en), p, tuple(map(ref, rs)), n, names(c),
              aw, tuple(gv))
        for i, d, t, s, tg, en, p, rs, n, c, aw, gv in data["events"]
    ]
    chron.claims = [Claim(c[0], c[1], c[2], refs[c[3]], c[4], c[5]) for c in data["claims"]]
    chron.warnings = [Problem(*w) for w in data["warnings"]]
    _check_types(chron)
    return chron


def _check_types(chron: Chronology) -> None:
    """The text fields every command prints are text (an entry is written by us, and sealed
    by its checksum; this keeps a hand-made one from reaching the renderers)."""
    text = str
    for ev in chron.events:
        if not (type(ev.title) is text and type(ev.summary) is text and type(ev.id) is text):
            raise TypeError("cache entry with a non-text event field")
    for ent in chron.entities.values():
        if not (type(ent.name) is text and type(ent.kind) is text
                and type(ent.summary) is text):
            raise TypeError("cache entry with a non-text entity field")
    for src in chron.sources.values():
        if type(src.title) is not text:
            raise TypeError("cache entry with a non-text source title")


# --- reading and writing -----------------------------------------------------------------------

_MAGIC = b"khalkhin-cache "


def seal(body: bytes) -> bytes:
    """An entry as stored: a first line with the checksum of the body, then the body."""
    h = _hasher()
    h.update(body)
    digest: str = h.hexdigest()
    return _MAGIC + digest.encode() + b"\n" + body


def unseal(raw: bytes) -> bytes | None:
    """The body of a stored entry, or None when it is damaged (its checksum does not match)."""
    head, sep, body = raw.partition(b"\n")
    if not sep or not head.startswith(_MAGIC):
        return None
    h = _hasher()
    h.update(body)
    return body if head[len(_MAGIC):] == h.hexdigest().encode() else None


def _read_entry(path: str, limit: int) -> bytes | None:
    """A cache entry's bytes, only from a regular file (no link, FIFO or device) of sane size."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        chunks = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks) if size <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


def read(cache_key: str, env: Mapping[str, str] | None = None,
         limit: int = MAX_BYTES) -> Chronology | None:
    """The cached chronology for this key, or None (missing, damaged, stale: all the same).

    ``limit`` bounds the size of the entry read (a few times the data's own size).
    """
    raw = _read_entry(os.path.join(cache_dir(env), cache_key + ".json"), limit)
    body = unseal(raw) if raw is not None else None
    if body is None:
        return None
    try:
        with paused_gc():
            return restore(json.loads(body), cache_key)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError):
        return None  # dates.EdtfError and json's errors are ValueErrors


def write(cache_key: str, chron: Chronology, env: Mapping[str, str] | None = None) -> None:
    """Store the chronology atomically; any failure leaves no trace and says nothing."""
    import tempfile

    from khalkhin.tempfiles import prune_stale

    directory = cache_dir(env)
    try:
        text = json.dumps(dump(chron, cache_key), ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False)
        blob = seal(text.encode("utf-8", "surrogatepass"))
    except (TypeError, ValueError, UnicodeError):
        return
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        prune_stale(directory, ".tmp-", ".json")
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".json")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, os.path.join(directory, cache_key + ".json"))
    except OSError:
        return
    finally:
        # Also on Ctrl-C or SIGTERM: the temporary file never stays behind.
        try:
            os.unlink(tmp)
        except OSError:
            pass
    _prune(directory, cache_key)
def _prune(directory: str, cache_key: str) -> None:
    """Drop older entries for the same data files (their content has changed since)."""
    prefix = cache_key.split("-", 1)[0] + "-"
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        if name.startswith(prefix) and name.endswith(".json") and name != cache_key + ".json":
            try:
                os.unlink(os.path.join(directory, name))
            except OSError:
                pass


def clear(env: Mapping[str, str] | None = None) -> int:
    """Remove every cache entry; return how many files were removed."""
    directory = cache_dir(env)
    removed = 0
    try:
        names = os.listdir(directory)
    except OSError:
        return 0
    for name in names:
        if name.endswith(".json"):
            try:
                os.unlink(os.path.join(directory, name))
                removed += 1
            except OSError:
                pass
    return removed
