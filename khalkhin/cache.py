"""The cache: where the indexed stores live, how they are keyed, and how a warm run finds
its store without reading the data files.

Where: ``$XDG_CACHE_HOME/khalkhin`` (else ``~/.cache/khalkhin``), one store per set of data
files (:mod:`khalkhin.store`), named ``<paths hash>-<content hash>.sqlite``. The content
hash covers the store's format, the tool's version, the YAML loader a cold load uses, and
each file's path and bytes, so an edited file, an upgrade or a different loader simply
misses. Beside it, ``<paths hash>.stat`` remembers the files' sizes, modification times and
inodes with that key (sealed by a checksum), so that a warm run reads no data file at all;
any change to one of them sends the run back to reading and hashing the bytes.

A large file of a set of several is also kept parsed on its own (a ``.part``), so that an
edit to one file re-parses only that file.

A corrupt, stale or unreadable store is ignored and rebuilt; an unwritable cache directory
is skipped without complaint. ``--no-cache`` and ``KHALKHIN_NO_CACHE=1`` turn it off.
"""

from __future__ import annotations

import gc
import json
import os
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from khalkhin.model import Chronology
from khalkhin.version import __version__

if TYPE_CHECKING:
    from khalkhin.forks import Later

FORMAT = 7
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


# --- sealed notes --------------------------------------------------------------------------

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
    from khalkhin.tempfiles import open_regular

    fh = open_regular(path)
    if fh is None:
        return None
    try:
        with fh:
            data = fh.read(limit + 1)
        return data if len(data) <= limit else None
    except OSError:
        return None




def _paths_hash(paths: list[str]) -> str:
    h = _hasher()
    for path in paths:
        h.update(os.path.abspath(path).encode("utf-8", "surrogateescape") + b"\0")
    return str(h.hexdigest())[:16]


def file_stats(paths: list[str]) -> list[list[Any]] | None:
    """Each file's (path, size, modification time, inode), or None when one is not a
    regular file (the loader then says what is wrong)."""
    out: list[list[Any]] = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            return None
        out.append([os.path.abspath(path), st.st_size, st.st_mtime_ns, st.st_ino])
    return out


def _stat_file(paths: list[str], env: Mapping[str, str] | None) -> str:
    return os.path.join(cache_dir(env), _paths_hash(paths) + ".stat")


def known_key(paths: list[str], stats: list[list[Any]],
              env: Mapping[str, str] | None = None) -> str | None:
    """The key of the store built from these files, if they have not changed since."""
    raw = _read_entry(_stat_file(paths, env), 1 << 20)
    body = unseal(raw) if raw is not None else None
    if body is None:
        return None
    try:
        doc = json.loads(body)
        if doc.get("version") == __version__ and doc.get("stats") == stats:
            found = doc.get("key")
            return found if isinstance(found, str) else None
    except (ValueError, AttributeError):
        pass
    return None


def remember(paths: list[str], stats: list[list[Any]], cache_key: str,
             env: Mapping[str, str] | None = None) -> None:
    """Note the files' sizes and times with the key of their store (best effort)."""
    if known_key(paths, stats, env) == cache_key:
        return
    body = json.dumps({"version": __version__, "stats": stats, "key": cache_key}).encode()
    _write_atomic(_stat_file(paths, env), seal(body))


def _write_atomic(path: str, blob: bytes, suffix: str = ".stat") -> bool:
    from khalkhin.tempfiles import replacing

    try:
        with replacing(path, suffix) as tmp, open(tmp, "wb") as fh:
            fh.write(blob)
        return True
    except OSError:
        return False


def store_path(cache_key: str, env: Mapping[str, str] | None = None) -> str:
    return os.path.join(cache_dir(env), cache_key + ".sqlite")


def read(cache_key: str, env: Mapping[str, str] | None = None) -> Chronology | None:
    """The stored chronology for this key, or None (missing, damaged, stale: all the same)."""
    from khalkhin.store import open_store

    return open_store(store_path(cache_key, env), cache_key)


def write(cache_key: str, chron: Chronology, env: Mapping[str, str] | None = None,
          stats: list[list[Any]] | None = None, text: Later | None = None) -> bool:
    """Store the chronology (atomically); any failure leaves no trace and says nothing.
    TEXT: its text index, already begun (:func:`khalkhin.store.text_later`)."""
    from khalkhin.store import write as write_store

    ok = write_store(store_path(cache_key, env), chron, cache_key, stats or [], text)
    if ok:
        _prune(cache_dir(env), cache_key)
    return ok


def _prune(directory: str, cache_key: str, suffix: str = ".sqlite") -> None:
    """Drop older stores (or parts) for the same data files (their content has changed)."""
    prefix = cache_key.split("-", 1)[0] + "-"
    try:
        names = os.listdir(directory)
    except OSError:
        return
    olds = (".sqlite", ".json") if suffix == ".sqlite" else (suffix,)
    for name in names:
        if name.startswith(prefix) and name.endswith(olds) and name != cache_key + suffix:
            try:
                os.unlink(os.path.join(directory, name))
            except OSError:
                pass


# --- parsed files ------------------------------------------------------------------------------
#
# A large file of a set of several is also kept parsed on its own (``<path hash>-<content
# hash>.part``: :func:`khalkhin.load.pack`, sealed), so that after an edit to one file of
# the set only that file is parsed again; the others are read back from their parts.

#: Files at least this large are kept parsed when their set holds another such file.
PART_BYTES = 1024 * 1024
#: A part is at most this large (packed, about 0.7 times its file).
MAX_PART = 2 * MAX_BYTES


def part_key(path: str, data: bytes, loader: str | None = None) -> str:
    """``<path hash>-<content hash>`` of one file as parsed by this version and loader."""
    import marshal

    content = _hasher()
    name = os.path.abspath(path).encode("utf-8", "surrogateescape") + b"\0"
    content.update(f"khalkhin-part {FORMAT}\0{__version__}\0{loader or loader_name()}\0"
                   f"{marshal.version}\0".encode() + name + len(data).to_bytes(8, "little"))
    content.update(data)
    return f"{_paths_hash([path])}-{content.hexdigest()}"


def _part_path(part: str, env: Mapping[str, str] | None) -> str:
    return os.path.join(cache_dir(env), part + ".part")


def read_part(part: str, env: Mapping[str, str] | None = None) -> bytes | None:
    """A kept parse (as :func:`khalkhin.load.pack` made it), or None: missing or damaged."""
    raw = _read_entry(_part_path(part, env), MAX_PART)
    return unseal(raw) if raw is not None else None


def write_part(part: str, packed: bytes, env: Mapping[str, str] | None = None) -> None:
    """Keep a parse (best effort), dropping older parses of the same file."""
    path = _part_path(part, env)
    if _write_atomic(path, seal(packed), ".part"):
        _prune(os.path.dirname(path), part, ".part")


def clear(env: Mapping[str, str] | None = None) -> int:
    """Remove every store and note; return how many files were removed."""
    directory = cache_dir(env)
    removed = 0
    try:
        names = os.listdir(directory)
    except OSError:
        return 0
    for name in names:
        if name.endswith((".sqlite", ".stat", ".part", ".json")):
            try:
                os.unlink(os.path.join(directory, name))
                removed += 1
            except OSError:
                pass
    return removed
