"""The indexed store: a checked chronology in SQLite, read by key, so that a command costs
what its answer costs rather than what the chronology weighs.

One database per set of data files, in the cache directory, named like the parse cache was
(``<paths hash>-<content hash>.sqlite``: the files' paths and bytes, the version, the YAML
loader). Rows hold the records in a compact JSON form; the tables are indexed by id, by
entity, by subject and by date, and a command asks for the rows it prints:

- ``show``/``compare`` fetch an item, its relations, events and claims by key;
- ``timeline --from/--to`` is a range query on the events' first day, in bands of length;
- a whole timeline streams its rows in order, one at a time.

A store is written once, to a temporary file in the same directory renamed into place, and
never changed after: processes running at the same time see a whole store or none, and
read it without locks. It is used only when its schema, version and key are its own and its
file is a regular file. A store of up to 16 MiB carries a checksum of its bytes in its
header, checked when it is opened; a larger one relies on SQLite's own checks and on the
checks of each row as it is decoded, and a row found damaged is one error that removes the
store. A second, tiny file per set of paths (``<paths hash>.stat``) remembers the files'
sizes and modification times with the content key, so a warm run does not read megabytes
of YAML only to hash them: a file whose size or time changed is read and hashed again.

Search reads its own index from the store: the folded names and aliases (``names``), the
folded event titles (``titles``), and the text index's postings per word (``terms``) with
the documents' field lengths (``doclens``), so that a query reads the postings of its words.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, overload

from khalkhin import dates
from khalkhin.errors import KhalkhinError, Problem
from khalkhin.model import Chronology, Claim, Entity, Event, Link, Relation, Source, SourceRef
from khalkhin.version import __version__

if TYPE_CHECKING:
    from khalkhin.forks import Later

SCHEMA = 9
#: Stores up to this size carry a checksum of their bytes, checked whenever they are opened
#: (some 10 ms at this size); a larger one relies on SQLite's checks and its rows' decoding.
CHECK_WHOLE = 16 * 1024 * 1024
#: Events are kept in bands by their length in days (up to 0, 31, 366 days, and longer):
#: a range query on the first day reaches back only as far as the longest of each band.
BANDS = (0, 31, 366)
#: A range wider than this many days is read in order rather than through the index.
WIDE = 3 * 366
BATCH = 5000


# --- rows -------------------------------------------------------------------------------------


def _d(e: dates.Edtf | None) -> str | None:
    return None if e is None else e.text


def _refs(rs: Iterable[SourceRef]) -> list[list[str | None]]:
    # A citation without a url (or a locator) leaves them out: SourceRef's defaults.
    return [[r.source, r.locator, r.url] if r.url else [r.source, r.locator] if r.locator
            else [r.source] for r in rs]


def entity_row(e: Entity) -> list[Any]:
    return [e.id, e.kind, e.name, list(e.aliases), _d(e.dates), e.summary, e.place, e.outcome,
            [[x.type, x.target, _d(x.date), x.note] for x in e.relations], list(e.homonyms),
            _refs(e.sources), e.note, _d(e.signed),
            None if e.calendars is None else list(e.calendars), e.as_written, list(e.given)]


# What an event's last fields are when they are not given: a row leaves them out.
_EVENT_TAIL: list[Any] = [None, [], None, None, None, []]


def event_row(e: Event) -> list[Any]:
    row = [e.id, e.date.text, e.title, e.summary, list(e.tags), list(e.entities), e.place,
           _refs(e.sources), e.note, None if e.calendars is None else list(e.calendars),
           e.as_written, list(e.given)]
    while len(row) > 6 and row[-1] == _EVENT_TAIL[len(row) - 7]:
        row.pop()
    return row


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
    if type(row) is not list or not 6 <= len(row) <= 12:
        raise TypeError("an event row of the wrong shape")
    i, d, t, s, tg, en, p, rs, n, c, aw, gv = row + _EVENT_TAIL[len(row) - 6:]
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


def title_hash(folded: str) -> int:
    """A folded title's number in the ``titles`` index (a CRC: the titles found by it are
    compared whole)."""
    import zlib

    return zlib.crc32(folded.encode("utf-8", "surrogatepass"))


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


# --- writing ----------------------------------------------------------------------------------

_TABLES = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE sources (ord INTEGER PRIMARY KEY, id TEXT NOT NULL, row TEXT NOT NULL);
CREATE TABLE entities (ord INTEGER PRIMARY KEY, id TEXT NOT NULL, row TEXT NOT NULL);
CREATE TABLE events (ord INTEGER PRIMARY KEY, id TEXT NOT NULL, lower INTEGER NOT NULL,
                     upper INTEGER NOT NULL, band INTEGER NOT NULL, md INTEGER NOT NULL,
                     row TEXT NOT NULL);
CREATE TABLE event_entities (entity INTEGER NOT NULL, ord INTEGER NOT NULL,
                             PRIMARY KEY (entity, ord)) WITHOUT ROWID;
CREATE TABLE event_tags (tag INTEGER NOT NULL, ord INTEGER NOT NULL,
                         PRIMARY KEY (tag, ord)) WITHOUT ROWID;
CREATE TABLE links (entity TEXT NOT NULL, seq INTEGER NOT NULL, row TEXT NOT NULL);
CREATE TABLE claims (ord INTEGER PRIMARY KEY, subject TEXT NOT NULL, row TEXT NOT NULL);
CREATE TABLE names (seq INTEGER PRIMARY KEY, folded TEXT NOT NULL, id TEXT NOT NULL,
                    field TEXT NOT NULL, original TEXT NOT NULL);
CREATE TABLE titles (hash INTEGER NOT NULL, ord INTEGER NOT NULL,
                     PRIMARY KEY (hash, ord)) WITHOUT ROWID;
CREATE TABLE terms (word TEXT PRIMARY KEY, postings BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE blobs (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE doclens (part INTEGER PRIMARY KEY, lens BLOB NOT NULL, ranks BLOB NOT NULL);
"""
_INDEXES = """
CREATE UNIQUE INDEX entities_id ON entities (id);
CREATE UNIQUE INDEX events_id ON events (id);
CREATE INDEX events_lower ON events (band, lower);
CREATE INDEX events_md ON events (md) WHERE md > 0;
CREATE INDEX links_entity ON links (entity, seq);
CREATE INDEX claims_subject ON claims (subject, ord);
CREATE INDEX names_folded ON names (folded)
"""
#: Documents of the text index per row of ``doclens``: their field lengths, and their
#: places in the order of their ids (which breaks ties between equal scores).
LENS_PART = 65536


# An event's row as stored leaves out its id (the column beside it); ids are letters,
# digits, dots, hyphens and underscores, which JSON writes as they are.
_ROW = "'[\"' || id || '\",' || row"
_EROW = "'[\"' || e.id || '\",' || e.row"


def write(path: str, chron: Chronology, key: str, stats: list[list[Any]],
          text: Later | None = None) -> bool:
    """Write the chronology as a store at PATH (atomically: a temporary file renamed into
    place); False, leaving nothing behind, when the directory cannot be written. TEXT is
    the text index already being built (:func:`text_later`)."""
    import sqlite3

    from khalkhin.tempfiles import replacing

    try:
        with replacing(path, ".sqlite") as tmp:
            con = sqlite3.connect(tmp, isolation_level=None)
            try:
                con.execute("PRAGMA page_size=8192")  # a little smaller than with 4096
                con.execute("PRAGMA journal_mode=OFF")
                con.execute("PRAGMA synchronous=OFF")
                con.executescript(_TABLES)
                con.execute("BEGIN")
                _fill(con, chron, key, stats, text)
                for statement in _INDEXES.strip().split(";\n"):
                    con.execute(statement)
                con.execute("COMMIT")
                if os.path.getsize(tmp) <= CHECK_WHOLE:
                    con.execute("VACUUM")
            finally:
                con.close()
            _seal(tmp)
        return True
    except (OSError, sqlite3.Error, TypeError, ValueError):
        return False


def _batches(rows: Iterable[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for r in rows:
        batch.append(r)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


#: From this many documents (entities and events) on, the text index is built by a forked
#: process (:func:`khalkhin.forks.both`) while this one writes the other tables.
SHARED_TEXT = 20_000


def text_later(chron: Chronology, release: Callable[[], None] | None = None) -> Later | None:
    """The text index of a chronology of SHARED_TEXT documents or more, begun by a forked
    process (:class:`khalkhin.forks.Later`, which calls RELEASE there first) as soon as the
    chronology is complete; for :func:`write`. None for a smaller one."""
    if len(chron.entities) + len(chron.events) < SHARED_TEXT:
        return None
    from khalkhin.forks import Later

    return Later(lambda: _text_rows(chron), release)


def _fill(con: Any, chron: Chronology, key: str, stats: list[list[Any]],
          later: Later | None = None) -> None:
    if later is None:
        later = text_later(chron)
    if later is not None:
        try:
            told = _fill_tables(con, chron)
            text = later.result()
        finally:
            later.close()  # a child not waited for, when the tables fail
    else:
        told, text = _fill_tables(con, chron), _text_rows(chron)
    terms, lens_rows, average, lens_code = text
    for batch in _batches(terms):
        con.executemany("INSERT INTO terms VALUES (?, ?)", batch)
    del terms
    con.executemany("INSERT INTO doclens VALUES (?, ?, ?)", lens_rows)
    warnings = [[p.path, p.line, p.col, p.severity, p.message, p.rule]
                for p in chron.warnings if isinstance(p, Problem)]
    meta = {"schema": str(SCHEMA), "version": __version__, "key": key,
            "warnings": _dumps(warnings), "stats": _dumps(stats), "longest": told["longest"],
            "events": str(len(chron.events)), "entities": str(len(chron.entities)),
            "tags": told["tags"], "lower_ids": told["lower_ids"], "average": _dumps(average),
            "extra_ids": told["extra_ids"], "lens": lens_code}
    con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())


def _in_key_order(pairs: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """(key, ord) pairs that come in the order of ORD, as rows in the order of the key: a
    table whose primary key is (key, ord) is then written page after page, not all over."""
    buckets: dict[int, list[int]] = {}
    get = buckets.get
    for key, n in pairs:
        bucket = get(key)
        if bucket is None:
            buckets[key] = [n]
        else:
            bucket.append(n)
    for key in sorted(buckets):
        for n in buckets.pop(key):
            yield key, n


def _fill_tables(con: Any, chron: Chronology) -> dict[str, str]:
    """Every table but the text index's; what the meta table says of them."""
    from bisect import bisect_left

    from khalkhin.text import fold

    def put(sql: str, rows: Iterable[tuple[Any, ...]]) -> None:
        for batch in _batches(rows):
            con.executemany(sql, batch)

    put("INSERT INTO sources VALUES (?, ?, ?)",
        ((n, s.id, _dumps(source_row(s))) for n, s in enumerate(chron.sources.values())))
    put("INSERT INTO entities VALUES (?, ?, ?)",
        ((n, e.id, _dumps(entity_row(e))) for n, e in enumerate(chron.entities.values())))

    def names() -> Iterator[tuple[Any, ...]]:
        # As search.NameIndex folds them: name, aliases, id; each entity in order.
        seq = 0
        for ent in chron.entities.values():
            pairs = [("name", ent.name), *(("alias", a) for a in ent.aliases), ("id", ent.id)]
            for fld, text in pairs:
                f = fold(text)
                if f:
                    yield (seq, f, ent.id, fld, text)
                    seq += 1

    all_names: list[str] = []

    def kept(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        for r in rows:
            all_names.append(r[1])
            yield r

    put("INSERT INTO names VALUES (?, ?, ?, ?, ?)", kept(names()))
    # Every folded name at once, for the fuzzy pass: one read instead of a row each.
    if not any("\0" in f for f in all_names):
        con.execute("INSERT INTO blobs VALUES ('names', ?)",
                    ("\0".join(all_names).encode("utf-8", "surrogatepass"),))
    all_names.clear()
    longest = [0] * len(BANDS)
    tag_ids: dict[str, int] = {}
    tag_stats: dict[str, list[Any]] = {}
    lower_ids = True

    def events() -> Iterator[tuple[Any, ...]]:
        nonlocal longest, lower_ids
        for n, e in enumerate(chron.events):
            d = e.date
            span = d.upper - d.lower
            band = bisect_left(BANDS, span)
            if band < len(BANDS):
                longest[band] = max(longest[band], span)
            md = d.known_day
            lower_ids = lower_ids and e.id == e.id.lower()
            for t in e.tags:
                st = tag_stats.get(t)
                if st is None:
                    tag_stats[t] = [1, d.text, d.text]
                    tag_ids[t] = len(tag_ids)
                else:
                    st[0] += 1
                    st[2] = d.text
            yield (n, e.id, d.lower, d.upper, band, md[0] * 100 + md[1] if md else 0,
                   _dumps(event_row(e)[1:])[1:])  # the id is its column

    put("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", events())

    # Entities by number (their order); an id no entity has gets a number after them.
    numbers = {eid: n for n, eid in enumerate(chron.entities)}
    extra: dict[str, int] = {}

    def number(eid: str) -> int:
        n = numbers.get(eid)
        if n is None:
            n = numbers[eid] = extra[eid] = len(numbers)
        return n

    def event_links() -> Iterator[tuple[Any, ...]]:
        for n, e in enumerate(chron.events):
            seen = dict.fromkeys(e.entities)
            if e.place:
                seen[e.place] = None
            for ent in seen:
                yield (number(ent), n)

    put("INSERT OR IGNORE INTO event_entities VALUES (?, ?)", _in_key_order(event_links()))
    put("INSERT OR IGNORE INTO event_tags VALUES (?, ?)",
        _in_key_order((tag_ids[t], n) for n, e in enumerate(chron.events) for t in e.tags))
    put("INSERT OR IGNORE INTO titles VALUES (?, ?)",
        _in_key_order((title_hash(fold(e.title)), n) for n, e in enumerate(chron.events)))

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
    return {"longest": _dumps(longest), "tags": _dumps([[t, *tag_stats[t]] for t in tag_ids]),
            "lower_ids": str(int(lower_ids)), "extra_ids": _dumps(extra)}


TextRows = tuple[list[tuple[str, bytes]], list[tuple[int, bytes, bytes]], dict[str, float], str]


def _text_rows(chron: Chronology) -> TextRows:
    """The text index (see :mod:`khalkhin.textindex`) as rows of ``terms`` and ``doclens``:
    postings per word, for each field the documents (entities first, then events, by their
    order) and the word's count in each; and every document's field lengths. Then the
    fields' average lengths, and the code of the lengths' array."""
    from array import array

    from khalkhin.textindex import FIELDS, documents

    nf = len(FIELDS)
    ids: list[str] = []
    # word -> per field: the documents and the word's count in each; and its documents
    # in all (df) with the last document counted.
    postings: dict[str, list[Any]] = {}
    get = postings.get
    lens = array("I")
    totals = [0] * nf
    empty = ((),) * (2 * nf)  # a field without the word holds no array
    n = 0
    for n, (ident, fields) in enumerate(documents(chron), 1):
        doc = n - 1
        ids.append(ident)
        for i, toks in enumerate(fields.values()):  # in FIELDS order
            lens.append(len(toks))
            if not toks:
                continue
            totals[i] += len(toks)
            if len(toks) == 1:
                counts: dict[str, int] = {toks[0]: 1}
            else:
                counts = {}
                for t in toks:
                    counts[t] = counts.get(t, 0) + 1
            at = 2 + 2 * i
            for t, tf in counts.items():
                entry = get(t)
                if entry is None:
                    entry = postings[t] = [0, -1, *empty]
                if entry[1] != doc:
                    entry[0] += 1
                    entry[1] = doc
                docs = entry[at]
                if docs:
                    docs.append(doc)
                    entry[at + 1].append(tf)
                else:  # the word's first document in this field
                    entry[at] = array("I", (doc,))
                    entry[at + 1] = array("I", (tf,))
    average = {f: (totals[i] / n if n else 0.0) or 1.0 for i, f in enumerate(FIELDS)}

    def rows() -> Iterator[tuple[Any, ...]]:
        import struct
        import zlib
        from itertools import islice
        from operator import sub

        head = struct.Struct(f"<{2 + nf}I").pack
        compress = zlib.compress
        for word in sorted(postings):
            entry = postings.pop(word)  # let go as it is written
            tfs_all = entry[3::2]
            top = max(max(tfs, default=0) for tfs in tfs_all)
            code = "B" if top < 256 else "H" if top < 65536 else "I"
            parts = [head(entry[0], ord(code), *(len(d) for d in entry[2::2]))]
            for d, tfs in zip(entry[2::2], tfs_all, strict=True):
                if d:
                    # Gaps between the documents, which compress to a byte or two each.
                    gaps = array("I", d)
                    gaps[1:] = array("I", map(sub, islice(d, 1, None), d))
                    parts.append(gaps.tobytes())
                    parts.append((tfs if code == "I" else array(code, tfs)).tobytes())
            yield (word, compress(b"".join(parts), 6))

    terms = list(rows())
    code = "H" if max(lens, default=0) < 65536 else "I"
    packed = array(code, lens) if code == "H" else lens
    ranks = array("I", bytes(4 * len(ids)))
    for place, doc in enumerate(sorted(range(len(ids)), key=ids.__getitem__)):
        ranks[doc] = place
    del ids
    step = LENS_PART * len(FIELDS)
    lens_rows = [(k, packed[k * step:(k + 1) * step].tobytes(),
                  ranks[k * LENS_PART:(k + 1) * LENS_PART].tobytes())
                 for k in range((len(ranks) + LENS_PART - 1) // LENS_PART)]
    return terms, lens_rows, average, code


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
# hold the store's seal: a CRC-32 of the whole file with those bytes zeroed, then a mark.
# (A check against damage, not against forgery: the cache directory is the user's own.)
_SEAL_AT = ((60, 64), (68, 72))
_MARK = b"khlk"
_HEADER = b"SQLite format 3\x00"


def _digest(fh: Any) -> bytes:
    """The seal of an open store: the CRC of its bytes, read in chunks, the seal's zeroed."""
    import zlib

    first = bytearray(fh.read(100))
    for a, b in _SEAL_AT:
        first[a:b] = bytes(b - a)
    crc = zlib.crc32(first)
    while chunk := fh.read(1 << 20):
        crc = zlib.crc32(chunk, crc)
    return crc.to_bytes(4, "big") + _MARK


def _seal(path: str) -> None:
    """Write the checksum of a small store into its header (a large one goes unsealed and
    relies on SQLite's own checks and on each row's as they are read)."""
    if os.path.getsize(path) > CHECK_WHOLE:
        return
    with open(path, "r+b") as fh:
        digest = _digest(fh)
        fh.seek(_SEAL_AT[0][0])
        fh.write(digest[:4])
        fh.seek(_SEAL_AT[1][0])
        fh.write(digest[4:])


def _sound(path: str) -> bool:
    """Whether PATH is a regular file (no link, FIFO or device) holding a store whose
    checksum matches, when it is small enough to have one."""
    from khalkhin.tempfiles import open_regular

    fh = open_regular(path)
    if fh is None:
        return False
    try:
        with fh:
            size = os.fstat(fh.fileno()).st_size
            head = fh.read(100)
            if size < 100 or not head.startswith(_HEADER):
                return False
            if size > CHECK_WHOLE:
                return True
            fh.seek(0)
            return _digest(fh) == head[60:64] + head[68:72]
    except OSError:
        return False


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
                for r in self.rows.stream(f"SELECT {_ROW} FROM events ORDER BY ord"))

    @overload
    def __getitem__(self, i: int) -> Event: ...

    @overload
    def __getitem__(self, i: slice) -> list[Event]: ...

    def __getitem__(self, i: int | slice) -> Event | list[Event]:
        if isinstance(i, slice):
            return list(self)[i]
        n = i + self.size if i < 0 else i
        found = self.rows.all(f"SELECT {_ROW} FROM events WHERE ord = ?", (n,))
        if not found:
            raise IndexError(i)
        return self.rows.make(event_of, found[0][0])  # type: ignore[no-any-return]


class StoredEventIndex(Mapping[str, Event]):
    def __init__(self, rows: _Rows, count: int) -> None:
        self.rows = rows
        self.size = count
        self.cache: dict[str, Event | None] = {}

    def get(self, key: str, default: Any = None) -> Any:
        if key in self.cache:
            hit = self.cache[key]
            return default if hit is None else hit
        found = self.rows.all(f"SELECT {_ROW} FROM events WHERE id = ?", (key,))
        ev = self.cache[key] = self.rows.make(event_of, found[0][0]) if found else None
        return default if ev is None else ev

    def __getitem__(self, key: str) -> Event:
        ev = self.get(key)
        if ev is None:
            raise KeyError(key)
        return ev  # type: ignore[no-any-return]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[str]:
        return (r[0] for r in self.rows.stream("SELECT id FROM events ORDER BY ord"))

    def __len__(self) -> int:
        return self.size


class StoredChronology(Chronology):
    """A chronology read from a store as it is asked for: the same answers as the
    chronology in memory, at the cost of what is asked."""

    __slots__ = ("_rows", "_meta", "_entities", "_events", "_index", "_claims", "_sources",
                 "_warnings", "_degrees")

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
        self._degrees: dict[str, int] = {}

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

    # Aggregates and indexes, read from their tables.

    def _number(self, entity_id: str) -> int | None:
        found = self._rows.all("SELECT ord FROM entities WHERE id = ?", (entity_id,))
        if found:
            return int(found[0][0])
        extra = self._rows.decode(self._meta.get("extra_ids", "{}"))
        n = extra.get(entity_id)
        return n if isinstance(n, int) else None

    def event_count(self, entity_id: str) -> int:
        n = self._number(entity_id)
        if n is None:
            return 0
        return int(self._rows.all("SELECT count(*) FROM event_entities WHERE entity = ?",
                                  (n,))[0][0])

    def prefetch(self, ids: Iterable[str]) -> None:
        """Read these items (entities and events) and the entities' degrees in a few
        queries, for a search that then asks for each of them several times."""
        wanted = [i for i in dict.fromkeys(ids) if i not in self._entities.cache]
        ents, evs = self._entities.cache, self._index.cache
        for k in range(0, len(wanted), 500):
            chunk = tuple(wanted[k:k + 500])
            marks = ",".join("?" * len(chunk))
            number: dict[int, str] = {}
            for ident, ord_, row in self._rows.all(
                    f"SELECT id, ord, row FROM entities WHERE id IN ({marks})", chunk):
                ents[ident] = self._rows.make(entity_of, row)
                number[int(ord_)] = ident
            others = tuple(i for i in chunk if i not in ents)
            for i in others:
                ents[i] = None
            if others:
                got = {r[0]: r[1] for r in self._rows.all(
                    f"SELECT id, {_ROW} FROM events WHERE id IN ({','.join('?' * len(others))})",
                    others)}
                for i in others:
                    evs[i] = self._rows.make(event_of, got[i]) if i in got else None
            if not number:
                continue
            named = tuple(number.values())
            degree = dict.fromkeys(named, 0)
            nums = tuple(number)
            for n, count in self._rows.all(
                    "SELECT entity, count(*) FROM event_entities WHERE entity IN "
                    f"({','.join('?' * len(nums))}) GROUP BY entity", nums):
                degree[number[int(n)]] += int(count)
            marks = ",".join("?" * len(named))
            for ident, count in self._rows.all(
                    f"SELECT entity, count(*) FROM links WHERE entity IN ({marks}) "
                    "GROUP BY entity", named):
                degree[ident] += int(count)
            if self._claims is None:
                for ident, count in self._rows.all(
                        f"SELECT subject, count(*) FROM claims WHERE subject IN ({marks}) "
                        "GROUP BY subject", named):
                    degree[ident] += int(count)
            else:
                for ident in named:
                    degree[ident] += len(super().claims_about(ident))
            self._degrees.update(degree)

    def degree(self, entity_id: str) -> int:
        if entity_id in self._degrees:
            return self._degrees[entity_id]
        [(links, claims)] = self._rows.all(
            "SELECT (SELECT count(*) FROM links WHERE entity = ?), "
            "(SELECT count(*) FROM claims WHERE subject = ?)", (entity_id, entity_id))
        if self._claims is not None:
            claims = len(super().claims_about(entity_id))
        return self.event_count(entity_id) + int(links) + int(claims)

    def tag_stats(self) -> dict[str, tuple[int, str, str]]:
        return {t: (n, first, last) for t, n, first, last in self._rows.decode(
            self._meta["tags"])}

    def _tag_no(self, tag: str) -> int | None:
        for n, row in enumerate(self._rows.decode(self._meta["tags"])):
            if row[0] == tag:
                return n
        return None

    def events_tagged(self, tag: str) -> Iterator[Event]:
        no = self._tag_no(tag)
        if no is None:
            return iter(())
        rows = self._rows.stream(f"SELECT {_EROW} FROM event_tags t JOIN events e ON e.ord = "
                                 "t.ord WHERE t.tag = ? ORDER BY t.ord", (no,))
        return (self._rows.make(event_of, r[0]) for r in rows)

    def events_on(self, month: int, day: int) -> Iterator[Event]:
        rows = self._rows.stream(f"SELECT {_ROW} FROM events WHERE md = ? ORDER BY ord",
                                 (month * 100 + day,))
        return (self._rows.make(event_of, r[0]) for r in rows)

    def name_index(self) -> StoredNames:
        return self.kept("names", lambda: StoredNames(self))

    def text_index(self) -> StoredText:
        return self.kept("text", lambda: StoredText(self._rows, self._meta))

    def events_of(self, entity_id: str) -> list[Event]:
        n = self._number(entity_id)
        if n is None:
            return []
        return [self._rows.make(event_of, r[0]) for r in self._rows.all(
            f"SELECT {_EROW} FROM event_entities x JOIN events e ON e.ord = x.ord "
            "WHERE x.entity = ? ORDER BY x.ord", (n,))]

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
            rows = self._rows.stream(f"SELECT {_ROW} FROM events WHERE upper >= ? AND lower <= ? "
                                     "ORDER BY ord", (low, high))
            return (self._rows.make(event_of, r[0]) for r in rows)
        longest = self._rows.decode(self._meta["longest"])
        if not isinstance(longest, list) or len(longest) != len(BANDS):
            raise self._rows.damaged("the bands of the events' lengths")
        short = f"SELECT ord, {_ROW} FROM events WHERE band = ? AND lower BETWEEN ? AND ? " \
                "AND upper >= ?"
        args: list[Any] = []
        for band, reach in enumerate(longest):
            args += [band, low - int(reach), high, low]
        found = self._rows.all(
            " UNION ALL ".join([short] * len(BANDS)) + f" UNION ALL SELECT ord, {_ROW} FROM "
            "events WHERE band = ? AND lower <= ? AND upper >= ? ORDER BY 1",
            (*args, len(BANDS), high, low))
        return (self._rows.make(event_of, text) for _, text in found)


Owner = tuple[str, str, str]  # (id, field, original text), as in search.NameIndex


class _Owners(Sequence[Owner]):
    """The owners of the folded names, read by position as the fuzzy pass asks for them."""

    def __init__(self, rows: _Rows, size: int) -> None:
        self.rows = rows
        self.size = size

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, i: int) -> Owner: ...

    @overload
    def __getitem__(self, i: slice) -> list[Owner]: ...

    def __getitem__(self, i: int | slice) -> Owner | list[Owner]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self.size))]
        found = self.rows.all("SELECT id, field, original FROM names WHERE seq = ?", (i,))
        if not found or not 0 <= i < self.size:
            raise IndexError(i)
        ident, fld, original = found[0]
        return (ident, fld, original)

    def __add__(self, other: Any) -> list[Owner]:
        return [*self, *other]

    def many(self, positions: Iterable[int]) -> dict[int, Owner]:
        """The owners at these positions, read in a few queries."""
        wanted = sorted(set(positions))
        out: dict[int, Owner] = {}
        for k in range(0, len(wanted), 500):
            chunk = tuple(wanted[k:k + 500])
            for seq, ident, fld, original in self.rows.all(
                    "SELECT seq, id, field, original FROM names WHERE seq IN "
                    f"({','.join('?' * len(chunk))})", chunk):
                out[int(seq)] = (ident, fld, original)
        if len(out) != len(wanted):
            raise IndexError(next(i for i in wanted if i not in out))
        return out


class StoredNames:
    """search.NameIndex's questions, answered from the store's ``names`` and ``titles``."""

    def __init__(self, chron: StoredChronology) -> None:
        self.chron = chron
        self.rows = chron._rows
        self._all: tuple[list[str], Sequence[Owner]] | None = None
        self._events: tuple[list[str], list[Owner]] | None = None

    def entity_owners(self, folded: str) -> list[Owner]:
        return [(i, f, o) for i, f, o in self.rows.all(
            "SELECT id, field, original FROM names WHERE folded = ? ORDER BY seq", (folded,))]

    def entity_names(self) -> tuple[list[str], Sequence[Owner]]:
        if self._all is None:
            found = self.rows.all("SELECT value FROM blobs WHERE name = 'names'")
            if found:
                try:
                    text = found[0][0].decode("utf-8", "surrogatepass")
                except (AttributeError, UnicodeDecodeError) as e:
                    raise self.rows.damaged(e) from None
                names = text.split("\0") if text else []
                self._all = (names, _Owners(self.rows, len(names)))
            else:
                names, owners = [], []
                for f, i, fld, o in self.rows.stream(
                        "SELECT folded, id, field, original FROM names ORDER BY seq"):
                    names.append(f)
                    owners.append((i, fld, o))
                self._all = (names, owners)
        return self._all

    def event_owners(self, folded: str) -> list[Owner]:
        from khalkhin.text import fold

        out: list[Owner] = [(ev.id, "title", ev.title) for ev in (
            self.rows.make(event_of, r[0]) for r in self.rows.all(
                f"SELECT {_EROW} FROM titles t JOIN events e ON e.ord = t.ord "
                "WHERE t.hash = ? ORDER BY t.ord", (title_hash(folded),)))
            if fold(ev.title) == folded]
        # An event id written with spaces: ids are letters, digits, dots, hyphens and
        # underscores, so only the hyphens were spaces.
        spaced = folded.replace(" ", "-")
        if self.chron._meta.get("lower_ids") == "1":
            found = self.rows.all("SELECT id FROM events WHERE id = ? ORDER BY ord", (spaced,))
        else:
            found = self.rows.all("SELECT id FROM events WHERE lower(id) = ? ORDER BY ord",
                                  (spaced,))
        out += [(i, "id", i) for (i,) in found if i.lower().replace("-", " ") == folded]
        return out

    def events(self) -> tuple[list[str], list[Owner]]:
        if self._events is None:
            from khalkhin.text import fold

            evs = list(self.chron.events)
            names = [fold(e.title) for e in evs] + [e.id.lower().replace("-", " ") for e in evs]
            owners = [(e.id, "title", e.title) for e in evs] + [(e.id, "id", e.id) for e in evs]
            self._events = (names, owners)
        return self._events


class StoredText:
    """textindex.TextIndex's questions, answered from the store's ``terms`` and
    ``doclens``: a query reads the postings of its words, and the lengths of the
    documents that hold them."""

    def __init__(self, rows: _Rows, meta: dict[str, str]) -> None:
        from khalkhin.textindex import FIELDS

        self.rows = rows
        self.fields = FIELDS
        self.entities = int(meta["entities"])
        self.count = self.entities + int(meta["events"])
        self.average = rows.decode(meta["average"])
        self.code = meta["lens"]
        self._arrays: dict[str, tuple[int, list[tuple[list[int], Any]]]] = {}
        self._lens: dict[int, Any] = {}

    def _fields(self, word: str) -> tuple[int, list[tuple[list[int], Any]]]:
        """A word's document count, and per field (in FIELDS order) its documents in
        order and the word's count in each, decoded from the stored blob in C."""
        hit = self._arrays.get(word)
        if hit is not None:
            return hit
        import struct
        from array import array

        found = self.rows.all("SELECT postings FROM terms WHERE word = ?", (word,))
        if not found:
            hit = (0, [([], array("B")) for _ in self.fields])
        else:
            import zlib
            from itertools import accumulate

            try:
                blob = zlib.decompress(found[0][0])
                nf = len(self.fields)
                head = struct.unpack_from(f"<{2 + nf}I", blob)
                df, code, sizes = head[0], chr(head[1]), head[2:]
                at = struct.calcsize(f"<{2 + nf}I")
                per: list[tuple[list[int], Any]] = []
                for size in sizes:
                    gaps = array("I")
                    gaps.frombytes(blob[at:at + 4 * size])
                    at += 4 * size
                    tfs = array(code)
                    width = tfs.itemsize * size
                    tfs.frombytes(blob[at:at + width])
                    at += width
                    if len(gaps) != size or len(tfs) != size:
                        raise ValueError("postings of the wrong length")
                    per.append((list(accumulate(gaps)), tfs))
                if at != len(blob) or len({d for docs, _ in per for d in docs}) != df:
                    raise ValueError("postings of the wrong length")
            except (struct.error, zlib.error, ValueError, TypeError) as e:
                raise self.rows.damaged(e) from None
            hit = (df, per)
        self._arrays[word] = hit
        return hit

    def idf(self, word: str) -> float:
        import math

        df = self._fields(word)[0]
        return math.log(1 + (self.count - df + 0.5) / (df + 0.5))

    def _part(self, doc: int) -> tuple[Any, Any]:
        from array import array

        part = doc // LENS_PART
        hit = self._lens.get(part)
        if hit is None:
            found = self.rows.all("SELECT lens, ranks FROM doclens WHERE part = ?", (part,))
            lens, ranks = array(self.code), array("I")
            if found:
                lens.frombytes(found[0][0])
                ranks.frombytes(found[0][1])
            hit = self._lens[part] = (lens, ranks)
        return hit

    def ids(self, docs: list[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        ents = [d for d in docs if d < self.entities]
        evs = [d - self.entities for d in docs if d >= self.entities]
        for table, wanted, offset in (("entities", ents, 0), ("events", evs, self.entities)):
            for k in range(0, len(wanted), 500):
                chunk = wanted[k:k + 500]
                marks = ",".join("?" * len(chunk))
                for o, i in self.rows.all(f"SELECT ord, id FROM {table} WHERE ord IN ({marks})",
                                          tuple(chunk)):
                    out[o + offset] = i
        if len(out) != len(docs):
            raise self.rows.damaged("a document of the text index has no row")
        return out

    def _gather(self, docs: list[int], column: int, ranks: bool = False) -> list[int]:
        """One field's length (or, with RANKS, the place in id order) of each of these
        documents, given in ascending order: read from the parts of ``doclens`` in C."""
        from bisect import bisect_left
        from operator import itemgetter

        nf = 1 if ranks else len(self.fields)
        out: list[int] = []
        at = 0
        while at < len(docs):
            part = docs[at] // LENS_PART
            end = bisect_left(docs, (part + 1) * LENS_PART, at)
            base = part * LENS_PART
            values = self._part(docs[at])[1 if ranks else 0]
            wanted = [(d - base) * nf + column for d in docs[at:end]]
            try:
                got = itemgetter(*wanted)(values)
            except IndexError as e:
                raise self.rows.damaged(e) from None
            if len(wanted) == 1:
                out.append(got)
            else:
                out.extend(got)
            at = end
        return out

    def _word(self, word: str) -> tuple[dict[int, float], dict[int, str]]:
        """BM25 of one word in each document that holds it, and the field that gave the
        most: as textindex.score computes them, to the bit (each part is computed once for
        each count and length it occurs with, and the parts are added in FIELDS order)."""
        from khalkhin.textindex import K1, WEIGHTS, B

        idf = self.idf(word)
        sums: dict[int, float] = {}
        best: dict[int, float] = {}
        tops: dict[int, str] = {}
        for i, (f, (docs, tfs)) in enumerate(zip(self.fields, self._fields(word)[1],
                                                 strict=True)):
            if not docs:
                continue
            weight, average = WEIGHTS[f], self.average[f]
            keys = list(zip(tfs, self._gather(docs, i), strict=True))
            memo = {(tf, size): weight * idf * tf * (K1 + 1)
                    / (tf + K1 * (1 - B + B * size / average)) for tf, size in set(keys)}
            parts = list(map(memo.__getitem__, keys))
            if not sums:
                sums = dict(zip(docs, parts, strict=True))
                best = dict(sums)
                tops = dict.fromkeys(docs, f)
                continue
            for doc, part in zip(docs, parts, strict=True):
                s = sums.get(doc)
                if s is None:
                    sums[doc] = best[doc] = part
                    tops[doc] = f
                else:
                    sums[doc] = s + part
                    if part > best[doc]:
                        best[doc] = part
                        tops[doc] = f
        return sums, tops

    def search(self, concepts: Any, limit: int | None = None) -> Any:
        """textindex.search's hits, the same to the bit, at a cost of a few C loops per
        posting: only the documents that can be among the best LIMIT have their totals
        rounded, their places in id order and their ids read."""
        import heapq

        from khalkhin.textindex import TextHit

        groups = [g for g in (tuple(dict.fromkeys(c)) for c in concepts) if g]
        if not groups:
            return []
        # Per concept: each document's best score among its words, and which word gave it.
        bests: list[dict[int, float]] = []
        winners: list[dict[int, tuple[str, str]]] = []
        for group in groups:
            top: dict[int, float] = {}
            won: dict[int, tuple[str, str]] = {}
            for k, word in enumerate(group):
                sums, tops = self._word(word)
                if k == 0:
                    top = sums
                    won = {doc: (f, word) for doc, f in tops.items()}
                    continue
                for doc, s in sums.items():
                    if s > top.get(doc, 0.0):
                        top[doc] = s
                        won[doc] = (tops[doc], word)
            bests.append(top)
            winners.append(won)
        if len(groups) == 1:
            raw = bests[0]
        else:
            docs = dict.fromkeys(d for top in bests for d in top)
            raw = {d: sum([top.get(d, 0.0) for top in bests]) for d in docs}
        if limit is not None and len(raw) > limit:
            # round(x, 6) keeps the order of any two totals and moves each by at most
            # 5e-7: a document whose sum is further below the LIMIT-th cannot be kept.
            least = heapq.nlargest(limit, raw.values())[-1] - 2e-6
            near = sorted(d for d, s in raw.items() if s >= least)
            totals = list(map(raw.__getitem__, near))
            rounded = {s: -round(s, 6) for s in set(totals)}  # many documents tie
            places = self._gather(near, 0, ranks=True)
            keep = [d for _, _, d in heapq.nsmallest(
                limit, zip(map(rounded.__getitem__, totals), places, near, strict=True))]
        else:
            keep = list(raw)
        named = self.ids(keep)
        hits = [TextHit(named[doc], round(raw[doc], 6),
                        tuple(won.get(doc) for won in winners)) for doc in keep]
        hits.sort(key=lambda h: (-h.bm25, h.doc))
        return hits if limit is None else hits[:limit]
