"""The indexed store: a checked chronology in SQLite, read by key, so that a command costs
what its answer costs rather than what the chronology weighs.

One database per set of data files, in the cache directory, named like the parse cache was
(``<paths hash>-<content hash>.sqlite``: the files' paths and bytes, the version, the YAML
loader). Rows hold the records in a compact JSON form; the tables are indexed by id, by
entity, by subject and by date, and a command asks for the rows it prints:

- ``show``/``compare`` fetch an item, its relations, events and claims by key;
- ``timeline --from/--to`` is a range query on the events' first day (long events apart);
- a whole timeline streams its rows in order, one at a time.

A store is written once, to a temporary file in the same directory renamed into place, and
never changed after: processes running at the same time see a whole store or none, and
read it without locks. It is used only when its schema, version and key are its own and its
file is a regular file; a small one is checked whole (``PRAGMA quick_check``), a large one
relies on SQLite's own checks as it reads, and anything odd is ignored and rebuilt. A
second, tiny file per set of paths (``<paths hash>.stat``) remembers the files' sizes and
modification times with the content key, so a warm run does not read megabytes of YAML
only to hash them: a file whose size or time changed is read and hashed again.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

from khalkhin import dates
from khalkhin.errors import KhalkhinError, Problem
from khalkhin.model import Chronology, Claim, Entity, Event, Link, Relation, Source, SourceRef
from khalkhin.version import __version__

SCHEMA = 1
#: Stores up to this size are checked whole when opened (quick_check reads every page).
CHECK_WHOLE = 64 * 1024 * 1024
#: Events longer than this many days are kept apart for range queries on the first day.
LONG = 366
#: A range wider than this many days is read in order rather than through the index.
WIDE = 3 * 366
BATCH = 5000


# --- rows -------------------------------------------------------------------------------------


def _d(e: dates.Edtf | None) -> str | None:
    return None if e is None else e.text


def _refs(rs: Iterable[SourceRef]) -> list[list[str | None]]:
    return [[r.source, r.locator, r.url] for r in rs]


def entity_row(e: Entity) -> list[Any]:
    return [e.id, e.kind, e.name, list(e.aliases), _d(e.dates), e.summary, e.place, e.outcome,
            [[x.type, x.target, _d(x.date), x.note] for x in e.relations], list(e.homonyms),
            _refs(e.sources), e.note, _d(e.signed),
            None if e.calendars is None else list(e.calendars), e.as_written, list(e.given)]


def event_row(e: Event) -> list[Any]:
    return [e.id, e.date.text, e.title, e.summary, list(e.tags), list(e.entities), e.place,
            _refs(e.sources), e.note, None if e.calendars is None else list(e.calendars),
            e.as_written, list(e.given)]


def _date(t: str | None) -> dates.Edtf | None:
    return None if t is None else dates.parse(t)


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("a store row with a non-text field")
    return value


def entity_of(row: list[Any]) -> Entity:
    e = row
    return Entity(_text(e[0]), _text(e[1]), _text(e[2]), tuple(e[3]), _date(e[4]),
                  _text(e[5]), e[6], e[7],
                  tuple(Relation(x[0], x[1], _date(x[2]), x[3]) for x in e[8]), tuple(e[9]),
                  tuple(SourceRef(*r) for r in e[10]), e[11], _date(e[12]),
                  None if e[13] is None else tuple(e[13]), e[14], tuple(e[15]))


def event_of(row: list[Any]) -> Event:
    i, d, t, s, tg, en, p, rs, n, c, aw, gv = row
    return Event(_text(i), dates.parse(d), _text(t), _text(s), tuple(tg), tuple(en), p,
                 tuple(SourceRef(*r) for r in rs), n, None if c is None else tuple(c), aw,
                 tuple(gv))


def claim_row(c: Claim) -> list[Any]:
    return [c.subject, c.property, c.value, [c.source.source, c.source.locator, c.source.url],
            c.amount, c.note]


def claim_of(row: list[Any]) -> Claim:
    return Claim(_text(row[0]), _text(row[1]), _text(row[2]), SourceRef(*row[3]), row[4],
                 row[5])


def source_row(s: Source) -> list[Any]:
    return [s.id, s.title, s.author, s.periodical, s.publisher, _d(s.date), s.url, s.note]


def source_of(row: list[Any]) -> Source:
    return Source(_text(row[0]), _text(row[1]), row[2], row[3], row[4], _date(row[5]), row[6],
                  row[7])


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


# --- writing ----------------------------------------------------------------------------------

_TABLES = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE sources (ord INTEGER PRIMARY KEY, id TEXT NOT NULL, row TEXT NOT NULL);
CREATE TABLE entities (ord INTEGER PRIMARY KEY, id TEXT NOT NULL, row TEXT NOT NULL);
CREATE TABLE events (ord INTEGER PRIMARY KEY, id TEXT NOT NULL, lower INTEGER NOT NULL,
                     upper INTEGER NOT NULL, long INTEGER NOT NULL, row TEXT NOT NULL);
CREATE TABLE event_entities (entity TEXT NOT NULL, ord INTEGER NOT NULL);
CREATE TABLE links (entity TEXT NOT NULL, seq INTEGER NOT NULL, row TEXT NOT NULL);
CREATE TABLE claims (ord INTEGER PRIMARY KEY, subject TEXT NOT NULL, row TEXT NOT NULL);
"""
_INDEXES = """
CREATE UNIQUE INDEX entities_id ON entities (id);
CREATE UNIQUE INDEX events_id ON events (id);
CREATE INDEX events_lower ON events (long, lower);
CREATE INDEX event_entities_entity ON event_entities (entity, ord);
CREATE INDEX links_entity ON links (entity, seq);
CREATE INDEX claims_subject ON claims (subject, ord);
"""


def write(path: str, chron: Chronology, key: str, stats: list[list[Any]]) -> bool:
    """Write the chronology as a store at PATH (atomically: a temporary file renamed into
    place); False, leaving nothing behind, when the directory cannot be written."""
    import sqlite3
    import tempfile

    from khalkhin.tempfiles import prune_stale

    directory = os.path.dirname(path)
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        prune_stale(directory, ".tmp-", ".sqlite")
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".sqlite")
        os.close(fd)
    except OSError:
        return False
    try:
        con = sqlite3.connect(tmp, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode=OFF")
            con.execute("PRAGMA synchronous=OFF")
            con.executescript(_TABLES)
            con.execute("BEGIN")
            _fill(con, chron, key, stats)
            for statement in _INDEXES.strip().split(";\n"):
                con.execute(statement)
            con.execute("COMMIT")
            if os.path.getsize(tmp) <= CHECK_WHOLE:
                con.execute("VACUUM")
        finally:
            con.close()
        _seal(tmp)
        os.replace(tmp, path)
        return True
    except (OSError, sqlite3.Error, TypeError, ValueError):
        return False
    finally:
        # Also on Ctrl-C or SIGTERM: the temporary file never stays behind.
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _batches(rows: Iterable[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for r in rows:
        batch.append(r)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _fill(con: Any, chron: Chronology, key: str, stats: list[list[Any]]) -> None:
    def put(sql: str, rows: Iterable[tuple[Any, ...]]) -> None:
        for batch in _batches(rows):
            con.executemany(sql, batch)

    put("INSERT INTO sources VALUES (?, ?, ?)",
        ((n, s.id, _dumps(source_row(s))) for n, s in enumerate(chron.sources.values())))
    put("INSERT INTO entities VALUES (?, ?, ?)",
        ((n, e.id, _dumps(entity_row(e))) for n, e in enumerate(chron.entities.values())))
    longest = 0

    def events() -> Iterator[tuple[Any, ...]]:
        nonlocal longest
        for n, e in enumerate(chron.events):
            d = e.date
            long = int(d.upper - d.lower > LONG)
            if not long:
                longest = max(longest, d.upper - d.lower)
            yield (n, e.id, d.lower, d.upper, long, _dumps(event_row(e)))

    put("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)", events())

    def event_entities() -> Iterator[tuple[Any, ...]]:
        for n, e in enumerate(chron.events):
            seen = dict.fromkeys(e.entities)
            if e.place:
                seen[e.place] = None
            for ent in seen:
                yield (ent, n)

    put("INSERT INTO event_entities VALUES (?, ?)", event_entities())

    def links() -> Iterator[tuple[Any, ...]]:
        seq = 0
        for ent in chron.entities.values():
            for r in ent.relations:
                yield (ent.id, seq, _dumps([r.type, r.target, _d(r.date), r.note, 0]))
                yield (r.target, seq + 1, _dumps([r.type, ent.id, _d(r.date), r.note, 1]))
                seq += 2

    put("INSERT INTO links VALUES (?, ?, ?)", links())
    put("INSERT INTO claims VALUES (?, ?, ?)",
        ((n, c.subject, _dumps(claim_row(c))) for n, c in enumerate(chron.claims)))
    warnings = [[p.path, p.line, p.col, p.severity, p.message, p.rule]
                for p in chron.warnings if isinstance(p, Problem)]
    meta = {"schema": str(SCHEMA), "version": __version__, "key": key,
            "warnings": _dumps(warnings), "stats": _dumps(stats), "longest": str(longest),
            "events": str(len(chron.events)), "entities": str(len(chron.entities))}
    con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())


# --- reading ----------------------------------------------------------------------------------


def open_store(path: str, key: str) -> StoredChronology | None:
    """The store at PATH for this key, or None (missing, foreign, stale, damaged: the same)."""
    import sqlite3

    if not _sound(path):
        return None
    try:
        from urllib.parse import quote

        con = sqlite3.connect(f"file:{quote(path)}?mode=ro&immutable=1", uri=True,
                              isolation_level=None, check_same_thread=False)
    except (OSError, sqlite3.Error):
        return None
    try:
        meta = dict(con.execute("SELECT name, value FROM meta"))
        if (meta.get("schema"), meta.get("version"), meta.get("key")) != (
                str(SCHEMA), __version__, key):
            con.close()
            return None
        return StoredChronology(con, meta, path)
    except (sqlite3.Error, StoreDamaged, ValueError, TypeError, KeyError, IndexError):
        con.close()
        return None


# The 8 bytes of the SQLite header that only PRAGMA user_version and application_id read
# hold the store's checksum: a digest of the whole file with those bytes zeroed.
_SEAL_AT = ((60, 64), (68, 72))
_HEADER = b"SQLite format 3\x00"


def _digest(blob: bytearray) -> bytes:
    for a, b in _SEAL_AT:
        blob[a:b] = bytes(b - a)
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - every CPython build has it
        from hashlib import blake2b
    return blake2b(bytes(blob), digest_size=8).digest()


def _seal(path: str) -> None:
    """Write the checksum of a small store into its header (a large one goes unsealed and
    relies on SQLite's own checks and on each row's as they are read)."""
    if os.path.getsize(path) > CHECK_WHOLE:
        return
    with open(path, "r+b") as fh:
        digest = _digest(bytearray(fh.read()))
        fh.seek(_SEAL_AT[0][0])
        fh.write(digest[:4])
        fh.seek(_SEAL_AT[1][0])
        fh.write(digest[4:])


def _sound(path: str) -> bool:
    """Whether PATH is a regular file (no link, FIFO or device) holding a store whose
    checksum matches, when it is small enough to have one."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return False
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size < 100:
            return False
        if st.st_size > CHECK_WHOLE:
            return os.read(fd, 16) == _HEADER
        blob = bytearray()
        while len(blob) <= st.st_size:
            chunk = os.read(fd, 1 << 22)
            if not chunk:
                break
            blob += chunk
        if len(blob) != st.st_size or not blob.startswith(_HEADER):
            return False
        seal = bytes(blob[60:64] + blob[68:72])
        return _digest(blob) == seal
    except OSError:
        return False
    finally:
        os.close(fd)


class StoreDamaged(KhalkhinError):
    """A large store turned out damaged while a command read it: it has been removed, and
    the next run builds it again."""


class _Rows:
    """Decoded rows of a connection, with the errors of a damaged file made one error."""

    def __init__(self, con: Any, path: str = "") -> None:
        self.con = con
        self.path = path

    def damaged(self, why: object) -> StoreDamaged:
        if self.path:
            try:
                os.unlink(self.path)
            except OSError:
                pass
        return StoreDamaged(f"the cached store {self.path or ''} is damaged ({why}); it has "
                            "been removed and the next run rebuilds it")

    def all(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        import sqlite3

        try:
            return list(self.con.execute(sql, args))
        except sqlite3.Error as e:
            raise self.damaged(e) from None

    def stream(self, sql: str, args: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
        import sqlite3

        try:
            cur = self.con.execute(sql, args)
            while True:
                batch = cur.fetchmany(BATCH)
                if not batch:
                    return
                yield from batch
        except sqlite3.Error as e:
            raise self.damaged(e) from None

    def decode(self, text: str) -> Any:
        try:
            return json.loads(text)
        except (TypeError, ValueError) as e:
            raise self.damaged(e) from None

    def make(self, fn: Any, text: str) -> Any:
        try:
            return fn(self.decode(text))
        except (TypeError, ValueError, IndexError, AttributeError, KeyError) as e:
            raise self.damaged(e) from None


class StoredEntities(Mapping[str, Entity]):
    """The entities of a store, read by id; iterating reads them all, in order."""

    def __init__(self, rows: _Rows, count: int) -> None:
        self.rows = rows
        self.size = count
        self.cache: dict[str, Entity | None] = {}

    def get(self, key: str, default: Any = None) -> Any:
        if key in self.cache:
            hit = self.cache[key]
            return default if hit is None else hit
        found = self.rows.all("SELECT row FROM entities WHERE id = ?", (key,))
        ent = self.rows.make(entity_of, found[0][0]) if found else None
        self.cache[key] = ent
        return default if ent is None else ent

    def __getitem__(self, key: str) -> Entity:
        ent = self.get(key)
        if ent is None:
            raise KeyError(key)
        return ent  # type: ignore[no-any-return]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[str]:
        return (row[0] for row in self.rows.stream("SELECT id FROM entities ORDER BY ord"))

    def __len__(self) -> int:
        return self.size

    def values(self) -> Any:
        return [self.rows.make(entity_of, r[0])
                for r in self.rows.stream("SELECT row FROM entities ORDER BY ord")]

    def items(self) -> Any:
        return [(e.id, e) for e in self.values()]


class StoredEvents(Sequence[Event]):
    """The events of a store in order (first day, precision, time, id), streamed."""

    def __init__(self, rows: _Rows, count: int) -> None:
        self.rows = rows
        self.size = count

    def __len__(self) -> int:
        return self.size

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(other) == self.size and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __iter__(self) -> Iterator[Event]:
        return (self.rows.make(event_of, r[0])
                for r in self.rows.stream("SELECT row FROM events ORDER BY ord"))

    @overload
    def __getitem__(self, i: int) -> Event: ...

    @overload
    def __getitem__(self, i: slice) -> list[Event]: ...

    def __getitem__(self, i: int | slice) -> Event | list[Event]:
        if isinstance(i, slice):
            return list(self)[i]
        n = i + self.size if i < 0 else i
        found = self.rows.all("SELECT row FROM events WHERE ord = ?", (n,))
        if not found:
            raise IndexError(i)
        return self.rows.make(event_of, found[0][0])  # type: ignore[no-any-return]


class StoredEventIndex(Mapping[str, Event]):
    def __init__(self, rows: _Rows, count: int) -> None:
        self.rows = rows
        self.size = count

    def get(self, key: str, default: Any = None) -> Any:
        found = self.rows.all("SELECT row FROM events WHERE id = ?", (key,))
        return self.rows.make(event_of, found[0][0]) if found else default

    def __getitem__(self, key: str) -> Event:
        ev = self.get(key)
        if ev is None:
            raise KeyError(key)
        return ev  # type: ignore[no-any-return]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and bool(
            self.rows.all("SELECT 1 FROM events WHERE id = ?", (key,)))

    def __iter__(self) -> Iterator[str]:
        return (r[0] for r in self.rows.stream("SELECT id FROM events ORDER BY ord"))

    def __len__(self) -> int:
        return self.size


class StoredChronology(Chronology):
    """A chronology read from a store as it is asked for: the same answers as the
    chronology in memory, at the cost of what is asked."""

    __slots__ = ("_rows", "_meta", "_entities", "_events", "_index", "_claims", "_sources",
                 "_warnings")

    def __init__(self, con: Any, meta: dict[str, str], path: str = "") -> None:
        super().__init__()
        self._rows = _Rows(con, path)
        self._meta = meta
        self._entities = StoredEntities(self._rows, int(meta["entities"]))
        self._events = StoredEvents(self._rows, int(meta["events"]))
        self._index = StoredEventIndex(self._rows, int(meta["events"]))
        self._claims: list[Claim] | None = None
        self._sources = {s.id: s for s in (self._rows.make(source_of, r[0]) for r in self._rows.all(
            "SELECT row FROM sources ORDER BY ord"))}
        self._warnings = [Problem(*w) for w in self._rows.decode(meta["warnings"])]

    # The attributes of Chronology, read from the store.
    @property
    def entities(self) -> Any:
        return self._entities

    @entities.setter
    def entities(self, value: Any) -> None:
        pass  # set by Chronology.__init__; the store is read-only

    @property
    def events(self) -> Any:
        return self._events

    @events.setter
    def events(self, value: Any) -> None:
        pass

    @property
    def sources(self) -> Any:
        return self._sources

    @sources.setter
    def sources(self, value: Any) -> None:
        pass

    @property
    def claims(self) -> Any:
        if self._claims is None:
            self._claims = [self._rows.make(claim_of, r[0])
                            for r in self._rows.stream("SELECT row FROM claims ORDER BY ord")]
        return self._claims

    @claims.setter
    def claims(self, value: Any) -> None:
        pass

    @property
    def warnings(self) -> Any:
        return self._warnings

    @warnings.setter
    def warnings(self, value: Any) -> None:
        pass

    @property
    def event_index(self) -> Any:
        return self._index

    def events_of(self, entity_id: str) -> list[Event]:
        return [self._rows.make(event_of, r[0]) for r in self._rows.all(
            "SELECT e.row FROM event_entities x JOIN events e ON e.ord = x.ord "
            "WHERE x.entity = ? ORDER BY x.ord", (entity_id,))]

    def links(self, entity_id: str) -> list[Link]:
        out = []
        for (text,) in self._rows.all("SELECT row FROM links WHERE entity = ? ORDER BY seq",
                                      (entity_id,)):
            t, other, d, note, inverse = self._rows.decode(text)
            label = t
            if inverse:
                from khalkhin.model import RELATIONS

                label = RELATIONS.get(t, f"{t} (inverse)")
            out.append(Link(label, other, _date(d), note, inverse=bool(inverse)))
        return out

    def claims_about(self, subject: str) -> list[Claim]:
        if self._claims is not None:
            return super().claims_about(subject)
        return [self._rows.make(claim_of, r[0]) for r in self._rows.all(
            "SELECT row FROM claims WHERE subject = ? ORDER BY ord", (subject,))]

    def events_overlapping(self, lo: int | None, hi: int | None) -> Iterator[Event]:
        """Events whose days meet [lo, hi] (None: open), in order, streamed: a narrow range
        by the index on the first day, a wide one by reading the events in order."""
        low = dates.OPEN_START - 1 if lo is None else lo
        high = dates.OPEN_END + 1 if hi is None else hi
        if high - low > WIDE:
            rows = self._rows.stream("SELECT row FROM events WHERE upper >= ? AND lower <= ? "
                                     "ORDER BY ord", (low, high))
            return (self._rows.make(event_of, r[0]) for r in rows)
        longest = int(self._meta.get("longest", "0"))
        found = self._rows.all(
            "SELECT ord, row FROM events WHERE long = 0 AND lower BETWEEN ? AND ? "
            "AND upper >= ? UNION ALL SELECT ord, row FROM events WHERE long = 1 "
            "AND lower <= ? AND upper >= ? ORDER BY 1", (low - longest, high, low, high, low))
        return (self._rows.make(event_of, text) for _, text in found)
