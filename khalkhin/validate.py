"""Check raw chronology records and build the model, reporting every problem with its position."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from khalkhin import dates
from khalkhin.errors import Problem
from khalkhin.load import YList, YMap
from khalkhin.model import (
    KINDS,
    RELATIONS,
    Chronology,
    Claim,
    Entity,
    Event,
    Relation,
    Source,
    SourceRef,
)
from khalkhin.paths import is_bundled
from khalkhin.text import fold

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
SECTIONS = ("sources", "entities", "events", "claims")
FIELDS: dict[str, tuple[str, ...]] = {
    "sources": ("id", "title", "author", "periodical", "publisher", "date", "url", "note"),
    "entities": ("id", "kind", "name", "aliases", "dates", "summary", "place", "outcome",
                 "relations", "homonyms", "sources", "note", "signed", "calendars",
                 "as_written"),
    "events": ("id", "date", "title", "summary", "tags", "entities", "place", "sources", "note",
               "calendars", "as_written"),
    "claims": ("subject", "property", "value", "amount", "source", "note"),
    "relation": ("type", "target", "date", "note"),
    "sourceref": ("source", "locator", "url"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "sources": ("id", "title"),
    "entities": ("id", "kind", "name"),
    "events": ("id", "date", "title", "sources"),
    "claims": ("subject", "property", "value", "source"),
    "relation": ("type", "target"),
    "sourceref": ("source",),
}
# Kinds whose dates are a lifetime or existence: an event outside them is suspicious.
_LIFETIME_KINDS = frozenset(("person", "state", "organization", "unit"))


@dataclass
class Record:
    """One raw record and the file it came from."""

    section: str
    data: YMap
    path: str


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, pos: tuple[int, int], message: str, rule: str,
            severity: str = "error") -> None:
        self.problems.append(Problem(path, pos[0], pos[1], severity, message, rule))

    # -- typed field readers: return the value, or None after reporting a problem ----------

    def text(self, rec: YMap, key: str, path: str) -> str | None:
        if key not in rec:
            return None
        value = rec[key]
        if isinstance(value, str):
            if not value.strip():
                self.add(path, rec.where(key), f"'{key}' is empty", "type")
                return None
            return value
        raw = rec.raw.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and raw == str(value):
            return raw
        self._wrong_type(rec.where(key), path, key, value, raw, "text")
        return None

    def _wrong_type(self, pos: tuple[int, int], path: str, key: str, value: Any,
                    raw: str | None, wanted: str) -> None:
        if raw is not None and value is not None:
            what = {bool: "a boolean", int: "a number", float: "a number"}.get(type(value),
                                                                                  "a value")
            self.add(path, pos, f"'{key}': YAML 1.1 reads {raw} as {what} "
                                f"({_yaml_repr(value)}); quote it: \"{raw}\"", "type")
        elif value is None:
            self.add(path, pos, f"'{key}' is empty; expected {wanted}", "type")
        else:
            self.add(path, pos, f"'{key}' should be {wanted}, not {_describe(value)}", "type")

    def ident(self, rec: YMap, key: str, path: str) -> str | None:
        value = self.text(rec, key, path)
        if value is None:
            return None
        if not _ID.fullmatch(value):
            self.add(path, rec.where(key), f"'{key}': '{value}' is not a valid id (letters, "
                                           "digits, '-', '_' or '.', no spaces)", "id")
            return None
        return value

    def date(self, rec: YMap, key: str, path: str) -> dates.Edtf | None:
        return self.dated(rec, key, path)[0]

    def dated(self, rec: YMap, key: str, path: str) -> tuple[dates.Edtf | None, tuple[str, ...]]:
        """A date field, and the calendars besides the Gregorian it is given in: EDTF, or a
        mapping of calendars to the date in each (``{julian: 1904-01-27}``,
        ``{gregorian: 1904-02-09, julian: 1904-01-27}``), which must agree."""
        if key in rec and isinstance(rec[key], YMap):
            return self._calendar_date(rec[key], key, path)
        return self._edtf(rec, key, path), ()

    def _calendar_date(self, node: YMap, key: str, path: str) -> tuple[dates.Edtf | None,
                                                                        tuple[str, ...]]:
        from khalkhin.calendars import CALENDARS, calendars_for
        from khalkhin.datetext import from_calendar

        names = ("gregorian", *CALENDARS)
        read: dict[str, dates.Edtf] = {}
        for cal in node:
            pos = node.kpos.get(cal, node.where(cal))
            if cal not in names:
                self.add(path, pos, f"'{key}': unknown calendar '{_short(str(cal))}'"
                         f"{_expected(str(cal), names)}", "calendar")
                continue
            value = node[cal]
            raw = node.raw.get(cal)
            if isinstance(value, int) and not isinstance(value, bool) and raw == str(value):
                value = raw
            if not isinstance(value, str):
                self._wrong_type(node.where(cal), path, f"{key}.{cal}", value, raw,
                                 "a date of that calendar")
                continue
            try:
                read[cal] = dates.parse(from_calendar(cal, value))
            except dates.EdtfError as e:  # DateInputError is one
                self.add(path, node.where(cal), f"invalid date: '{key}.{cal}': {e}", "date")
        if not read:
            if not len(node):
                self.add(path, (node.line, node.col), f"'{key}' is an empty mapping; expected "
                         "an EDTF date or a calendar and its date, like {julian: 1904-01-27}",
                         "type")
            return None, ()
        order = [c for c in names if c in read]
        main = "gregorian" if "gregorian" in read else next(c for c in node if c in read)
        date = read[main]
        for cal in order:
            other = read[cal]
            if cal == main or (other.lower <= date.lower and date.upper <= other.upper):
                continue
            theirs = dates.human(other)
            ours = calendars_for(date, [cal]).get(cal) if cal != "gregorian" else date.text
            self.add(path, node.where(cal), f"'{key}': {cal} {node[cal]} ({theirs}) and "
                     f"{main} {node[main]} ({ours or dates.human(date)}) are not the same date",
                     "calendar-date")
            return None, ()
        return date, tuple(c for c in order if c != "gregorian")

    def _edtf(self, rec: YMap, key: str, path: str) -> dates.Edtf | None:
        if key not in rec:
            return None
        value = rec[key]
        pos = rec.where(key)
        if isinstance(value, bool) or value is None or isinstance(value, YMap | YList | float):
            self._wrong_type(pos, path, key, value, rec.raw.get(key), "an EDTF date")
            return None
        raw = rec.raw.get(key)
        if isinstance(value, int) and raw is not None and raw != str(value):
            self._wrong_type(pos, path, key, value, raw, "an EDTF date")
            return None
        try:
            return dates.parse(dates.from_yaml_value(value))
        except dates.EdtfError as e:
            self.add(path, pos, f"invalid date: {e}", "date")
            return None

    def string_list(self, rec: YMap, key: str, path: str, *, ids: bool = False) -> list[str]:
        if key not in rec or rec[key] is None:
            return []
        value = rec[key]
        if isinstance(value, str) and not ids:
            return [value]
        if not isinstance(value, YList):
            self._wrong_type(rec.where(key), path, key, value, rec.raw.get(key), "a list")
            return []
        out = []
        for i, item in enumerate(value):
            pos = value.where(i)
            if isinstance(item, str):
                if ids and not _ID.fullmatch(item):
                    self.add(path, pos, f"'{key}': '{item}' is not a valid id", "id")
                    continue
                out.append(item)
                continue
            raw = value.raw.get(i)
            if isinstance(item, int) and not isinstance(item, bool) and raw == str(item):
                out.append(raw)
                continue
            self._wrong_type(pos, path, f"{key}[{i + 1}]", item, raw, "text")
        return out

    def calendars(self, rec: YMap, path: str) -> tuple[str, ...] | None:
        """The optional ``calendars`` list: None when absent, each name checked."""
        if "calendars" not in rec or rec["calendars"] is None:
            return None
        from khalkhin.calendars import CALENDARS

        names = self.string_list(rec, "calendars", path, ids=True)
        node = rec["calendars"]
        out = []
        for i, name in enumerate(names):
            if name not in CALENDARS:
                pos = node.where(i) if isinstance(node, YList) else rec.where("calendars")
                self.add(path, pos, f"unknown calendar '{_short(name)}'"
                         f"{_expected(name, CALENDARS)}", "calendar")
                continue
            if name not in out:
                out.append(name)
        return tuple(out)

    def fields(self, rec: Any, kind: str, path: str, pos: tuple[int, int]) -> bool:
        if not isinstance(rec, YMap):
            noun = {"sources": "a source", "entities": "an entity", "events": "an event",
                    "claims": "a claim", "relation": "a relation",
                    "sourceref": "a source reference"}[kind]
            self.add(path, pos, f"{noun} should be a mapping, not {_describe(rec)}", "type")
            return False
        allowed = FIELDS[kind]
        meant: set[str] = set()  # fields an unknown one was probably meant to be
        for key in rec:
            if key == "<<":
                self.add(path, rec.kpos.get(key, pos), "YAML merge keys ('<<') are not "
                         "supported; write the fields out", "field")
            elif key not in allowed:
                close = _closest(key, allowed)
                hint = f"; did you mean '{close}'?" if close else ""
                if close and close not in rec:
                    meant.add(close)
                self.add(path, rec.kpos.get(key, pos), f"unknown field '{_short(key)}'{hint}",
                         "field")
        for key in REQUIRED[kind]:
            if key in meant or "<<" in rec:
                continue
            sourced = key in ("sources", "source")
            # A present but empty field is reported by the reader of that field.
            if key not in rec or (sourced and rec[key] is None):
                noun = {"entities": "entity", "sources": "source", "events": "event",
                        "claims": "claim", "sourceref": "source reference"}.get(kind, kind)
                rule = "no-source" if sourced else "required"
                self.add(path, (rec.line, rec.col), f"{noun} is missing '{key}'", rule)
        return True

    def source_refs(self, rec: YMap, key: str, path: str) -> list[SourceRef]:
        if key not in rec or rec[key] is None:
            return []
        value = rec[key]
        items: list[tuple[Any, tuple[int, int]]]
        if isinstance(value, YList):
            items = [(v, value.where(i)) for i, v in enumerate(value)]
        else:
            items = [(value, rec.where(key))]
        out = []
        for item, pos in items:
            ref = self.source_ref(item, pos, path)
            if ref is not None:
                out.append(ref)
        return out

    def source_ref(self, item: Any, pos: tuple[int, int], path: str) -> SourceRef | None:
        if isinstance(item, str):
            if not _ID.fullmatch(item):
                self.add(path, pos, f"'{item}' is not a valid source id", "id")
                return None
            return SourceRef(item)
        if not self.fields(item, "sourceref", path, pos):
            return None
        sid = self.ident(item, "source", path)
        if sid is None:
            return None
        return SourceRef(sid, self.text(item, "locator", path), self.text(item, "url", path))


def _yaml_repr(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _describe(value: Any) -> str:
    if isinstance(value, YMap):
        return "a mapping"
    if isinstance(value, YList):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if value is None:
        return "empty"
    return f"'{_short(str(value))}'"


def _short(text: str, limit: int = 60) -> str:
    """Text from a file shortened for a one-line message."""
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


#: At most this many "did you mean" suggestions are worked out per process: a file with
#: tens of thousands of misspellings is still checked in a second (the rest get none).
SUGGESTIONS = 2000
_suggested: dict[tuple[str, int], str | None] = {}


def _closest(word: str, choices: Iterable[str]) -> str | None:
    import difflib

    if len(word) > 100:
        return None
    pool = list(choices)
    key = (word, hash(tuple(pool)))
    if key in _suggested:
        return _suggested[key]
    if len(_suggested) >= SUGGESTIONS:
        return None
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    _suggested[key] = close[0] if close else None
    return _suggested[key]


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = _closest(word, choices)
    return f"; did you mean '{close}'?" if close else ""


def _expected(word: str, choices: Iterable[str]) -> str:
    """'; did you mean X?' when one choice is close, else '; expected one of A, B, C'."""
    choices = list(choices)
    close = _closest(word, choices)
    return f"; did you mean '{close}'?" if close else f"; expected one of {', '.join(choices)}"


def read_records(root: YMap, path: str) -> tuple[list[Record], list[Problem]]:
    """The records of one parsed file, in file order, and the problems of their fields
    (ROOT's lists are emptied of them as they are read)."""
    checker = _Checker()
    return list(_split_sections(root, path, checker)), checker.problems


def iter_records(root: YMap, path: str) -> tuple[Iterator[Record], list[Problem]]:
    """The records of one parsed file one at a time, in file order, each unpacked as it
    is reached (:func:`khalkhin.load.thaw`) and let go from ROOT once read, and the
    problems of their fields: the list is complete once the records have all been read."""
    checker = _Checker()
    return _split_sections(root, path, checker), checker.problems


def _split_sections(root: YMap, path: str, checker: _Checker) -> Iterator[Record]:
    from khalkhin.load import thaw

    for key in root:
        if key not in SECTIONS:
            checker.add(path, root.kpos.get(key, (1, 1)), f"unknown section '{_short(key)}'"
                        f"{_expected(key, SECTIONS)}", "field")
            continue
        items = root[key]
        if items is None:
            continue
        if not isinstance(items, YList):
            checker.add(path, root.where(key), f"'{key}' should be a list", "type")
            continue
        for i in range(len(items)):
            rec = thaw(items[i])
            if checker.fields(rec, key, path, items.where(i)):
                yield Record(key, rec, path)
            items[i] = None  # let the record go with its Record


def build(records: list[Record], problems: list[Problem] | None = None) -> tuple[
        Chronology, list[Problem]]:
    """Build a chronology from records of one or more files (later files override earlier).

    Returns the chronology and every problem found (errors and warnings).
    """
    b = Builder(problems)
    for rec in records:
        b.collect(rec)
    return b.finish()


# What the checks after collecting read of a record: the positions of these keys, and of
# the items of these lists. The rest of a file's parse (values, nested records, the
# positions of keys, raw texts) can go once the file is collected.
_KEPT_AT = ("id", "name", "aliases", "sources", "relations", "homonyms", "entities", "place",
            "note", "as_written", "subject", "source")
_KEPT_LISTS = ("aliases", "sources", "relations", "homonyms", "entities")


class Slim:
    """A record's positions alone, as the checks after collecting read them, in one array
    of ints: the record's own (line, column), then for each kept key that the record has
    (its number in _KEPT_AT, line, column), then for each kept list (its number, how many
    items, and each item's line and column). A few hundred bytes, where the parse's
    mappings of positions took more than a kilobyte."""

    __slots__ = ("at",)

    def __init__(self, d: YMap) -> None:
        from array import array

        at = array("I", (d.line, d.col))
        pos = d.pos
        for code, k in enumerate(_KEPT_AT):
            p = pos.get(k)
            if p is not None:
                at.extend((code, *p))
        at.append(_LISTS_FROM)
        for code, k in enumerate(_KEPT_LISTS):
            node = d.get(k)
            if isinstance(node, YList):
                at.extend((code, len(node.pos)))
                for p in node.pos:
                    at.extend(p)
        self.at = at

    @property
    def line(self) -> int:
        return self.at[0]

    @property
    def col(self) -> int:
        return self.at[1]

    def where(self, key: str) -> tuple[int, int]:
        at = self.at
        code = _AT_CODE.get(key)
        i = 2
        while at[i] != _LISTS_FROM:
            if at[i] == code:
                return at[i + 1], at[i + 2]
            i += 3
        return at[0], at[1]

    def where_in(self, key: str, n: int) -> tuple[int, int]:
        """Where item N of the list KEY starts (where KEY does, when it is not a list)."""
        at = self.at
        code = _LIST_CODE.get(key)
        i = 2
        while at[i] != _LISTS_FROM:
            i += 3
        i += 1
        while i < len(at):
            count = at[i + 1]
            if at[i] == code:
                if n < count:
                    j = i + 2 + 2 * n
                    return at[j], at[j + 1]
                break
            i += 2 + 2 * count
        return self.where(key)  # past its end, or not a list: where the list's value is


_AT_CODE = {k: n for n, k in enumerate(_KEPT_AT)}
_LIST_CODE = {k: n for n, k in enumerate(_KEPT_LISTS)}
_LISTS_FROM = 2**32 - 1  # ends the keys' part of a Slim
#: What the checks after collecting read positions from: a record's parse, or its Slim.
Places = YMap | Slim


class Builder:
    """The steps of a build: collect each record (ids once), then check every reference.

    A large set of files is collected file by file (:meth:`collect_file`): what the
    checks need of a file's records is kept, and its parse can be let go."""

    def __init__(self, problems: list[Problem] | None = None) -> None:
        self.c = _Checker()
        if problems:
            self.c.problems.extend(problems)
        self.origin: dict[str, tuple[str, tuple[int, int]]] = {}  # id -> (path, pos)
        self.where: dict[int, tuple[str, Places]] = {}
        self.sources: dict[str, Source] = {}
        self.entities: dict[str, Entity] = {}
        self.events: dict[str, Event] = {}
        self.claims: list[tuple[Claim, str, Places]] = []  # with where each was read
        self.kinds: dict[str, str] = {}  # id -> section: entities and events share ids
        self.fresh: list[int] | None = None  # where's keys of the file being collected

    # -- collecting ----------------------------------------------------------------------------

    def collect_file(self, records: Iterable[Record], *problems: list[Problem]) -> None:
        """Collect one file's records (read one at a time) and the problems of its parse
        and fields (each list complete once the records are read), keeping of each record
        only the positions the reference checks need (:class:`Slim`)."""
        first = len(self.claims)
        fresh: list[int] = []
        self.fresh = fresh
        where, claims = self.where, self.claims
        for rec in records:
            self.collect(rec)
            for key in fresh:  # each record is slimmed once it is collected
                path, d = where[key]
                where[key] = (path, Slim(d))  # type: ignore[arg-type]
            fresh.clear()
            if len(claims) > first:
                cl, path, d = claims[-1]
                claims[-1] = (cl, path, Slim(d))  # type: ignore[arg-type]
                first = len(claims)
        for found in problems:
            self.c.problems.extend(found)
        self.fresh = None

    def place(self, item: Any, path: str, d: YMap) -> None:
        """Remember where an item was read, for the checks after collecting."""
        self.where[id(item)] = (path, d)
        if self.fresh is not None:
            self.fresh.append(id(item))

    def finish(self) -> tuple[Chronology, list[Problem]]:
        """Check every reference; the chronology, and every problem (sorted)."""
        chron = self.chronology()
        return chron, self.checked()

    def release(self) -> None:
        """Let go of what only the checks read (where each item was read, the ids taken):
        in a process that has the chronology and no checks to make."""
        self.where, self.origin, self.kinds, self.claims, self.events = {}, {}, {}, [], {}

    def checked(self) -> list[Problem]:
        """Check every reference (the chronology, :meth:`chronology`, does not wait for
        this); every problem, sorted."""
        self.check_references()
        _check_aliases(self.c, self.entities, self.where)
        return sorted(self.c.problems)

    def collect(self, rec: Record) -> None:
        if rec.section == "sources":
            self.collect_source(rec)
        elif rec.section in ("entities", "events"):
            self.collect_item(rec)
        else:
            cl = _claim(self.c, rec.data, rec.path)
            if cl is not None:
                self.claims.append((cl, rec.path, rec.data))

    def claim_id(self, key: str, ident: str, rec: Record, *, source: bool = False) -> bool:
        """Take an id for this record: a repeat in one file is an error, across files an
        override (a warning)."""
        prev = self.origin.get(key)
        pos = rec.data.where("id")
        if prev is not None:
            prev_path, prev_pos = prev
            if prev_path == rec.path:
                self.c.add(rec.path, pos, f"duplicate source id '{ident}'" if source else
                           f"duplicate id '{ident}' (first at line {prev_pos[0]})",
                           "duplicate-id")
                return False
            self.c.add(rec.path, pos, f"'{ident}' replaces the {'source' if source else 'entry'}"
                       f" of the same id in {_origin(prev_path)}", "override", "warning")
        self.origin[key] = (rec.path, pos)
        return True

    def collect_source(self, rec: Record) -> None:
        c, d, path = self.c, rec.data, rec.path
        sid = c.ident(d, "id", path)
        title = c.text(d, "title", path)
        if sid is None or title is None:
            return
        src = Source(sid, title, c.text(d, "author", path), c.text(d, "periodical", path),
                     c.text(d, "publisher", path), c.date(d, "date", path),
                     c.text(d, "url", path), c.text(d, "note", path))
        if self.claim_id("src:" + sid, sid, rec, source=True):
            self.sources[sid] = src
            self.place(src, path, d)

    def collect_item(self, rec: Record) -> None:
        c, d, path = self.c, rec.data, rec.path
        ident = c.ident(d, "id", path)
        if ident is None:
            return
        known = self.kinds.get(ident)
        if known is not None and known != rec.section:
            prev_path, prev_pos = self.origin[ident]
            c.add(path, d.where("id"), f"id '{ident}' is already used by an "
                  f"{known[:-1].replace('entitie', 'entity')} ({prev_path}:{prev_pos[0]}); "
                  "entities and events share one set of ids", "duplicate-id")
            return
        if not self.claim_id(ident, ident, rec):
            return
        self.kinds[ident] = rec.section
        if rec.section == "entities":
            ent = _entity(c, d, path, ident)
            if ent is not None:
                self.entities[ident] = ent
                self.place(ent, path, d)
        else:
            ev = _event(c, d, path, ident)
            if ev is not None:
                self.events[ident] = ev
                self.place(ev, path, d)

    # -- references ----------------------------------------------------------------------------

    def ref_ok(self, path: str, pos: tuple[int, int], ident: str, what: str,
               table: dict[str, Any] | Callable[[str], bool]) -> bool:
        found = table(ident) if callable(table) else ident in table
        if not found and what != "source" and ident in self.kinds:
            return False  # the entry exists but is broken; that is reported where it is
        if not found:
            pool: Iterable[str] = table if isinstance(table, dict) else [*self.entities,
                                                                         *self.events]
            self.c.add(path, pos, f"unknown {what} '{_short(ident)}'{_suggest(ident, pool)}",
                       f"unknown-{what.split()[0]}")
        return found

    def check_list(self, path: str, d: Places, key: str, idents: Iterable[str], what: str,
                   table: dict[str, Any]) -> list[tuple[str, tuple[int, int]]]:
        """Check each id of a list field; the ids found, with their positions."""
        ok = []
        for i, ident in enumerate(idents):
            pos = d.where_in(key, i)
            if self.ref_ok(path, pos, ident, what, table):
                ok.append((ident, pos))
        return ok

    def check_references(self) -> None:
        for ent in self.entities.values():
            self.check_entity(ent)
        for ev in self.events.values():
            self.check_event(ev)
        for cl, path, d in self.claims:
            self.ref_ok(path, d.where("subject"), cl.subject, "entity or event",
                        lambda i: i in self.entities or i in self.events)
            self.ref_ok(path, d.where("source"), cl.source.source, "source", self.sources)

    def check_entity(self, ent: Entity) -> None:
        path, d = self.where[id(ent)]
        self.check_list(path, d, "sources", (r.source for r in ent.sources), "source",
                        self.sources)
        if not ent.sources:
            self.c.add(path, (d.line, d.col), f"entity '{ent.id}' cites no source",
                       "no-source", "warning")
        if ent.place:
            self.ref_ok(path, d.where("place"), ent.place, "place", self.entities)
        self.check_list(path, d, "relations", (r.target for r in ent.relations), "entity",
                        self.entities)
        self.check_list(path, d, "homonyms", ent.homonyms, "entity", self.entities)
        spans = _anchors(ent)
        if spans:
            _check_written(self.c, path, d, ent.note, ent.as_written, spans)

    def check_event(self, ev: Event) -> None:
        path, d = self.where[id(ev)]
        self.check_list(path, d, "sources", (r.source for r in ev.sources), "source",
                        self.sources)
        for eid, pos in self.check_list(path, d, "entities", ev.entities, "entity",
                                        self.entities):
            _check_lifetime(self.c, path, pos, ev, self.entities[eid])
        _check_written(self.c, path, d, ev.note, ev.as_written, [(ev.date.lower, ev.date.upper)])
        if ev.place and self.ref_ok(path, d.where("place"), ev.place, "place", self.entities):
            kind = self.entities[ev.place].kind
            if kind != "place":
                self.c.add(path, d.where("place"), f"place '{ev.place}' is a {kind}, not a "
                           "place", "place", "warning")

    def chronology(self) -> Chronology:
        chron = Chronology()
        chron.sources = self.sources
        chron.entities = self.entities
        chron.events = sorted(self.events.values(), key=lambda e: e.sort_key)
        chron.claims = [cl for cl, _, _ in self.claims]
        return chron


def _origin(path: str) -> str:
    """How a message names the file an entry came from: ours by name, the user's by path."""
    return "the bundled chronology" if is_bundled(path) else path


# A note that may give an Old Style date (checked only then: the check reads dates in prose).
_OLD_STYLE = re.compile(r"Old Style|O\.\s?S\.|Julian calendar|Russian calendar", re.I)


def _anchors(ent: Entity) -> list[tuple[int, int]]:
    """The days an entity's note may date: each end of its dates (a day, or the run of days
    of a coarser end) and its signature."""
    spans = []
    for d in (ent.dates, ent.signed):
        if d is None:
            continue
        for part in (d.start, d.end):
            if part is not None and part.precision != dates.OPEN:
                spans.append((part.lower, part.upper))
    return spans


def _check_written(c: _Checker, path: str, d: Places, note: str | None, written: str | None,
                   spans: list[tuple[int, int]]) -> None:
    """A note's Old Style dates must be the record's own (or their New Style partner's), and
    the dates in ``as_written`` the record's date, as written or as Old Style days."""
    if note and _OLD_STYLE.search(note):
        from khalkhin.datetext import old_style_problems

        for message in old_style_problems(note, spans):
            c.add(path, d.where("note"), f"note: {message}", "old-style", "warning")
    if written:
        from khalkhin.datetext import written_dates_agree

        lo, hi = min(a for a, _ in spans), max(b for _, b in spans)
        if written_dates_agree(written, lo, hi) is False:
            shown = " or ".join(dates.human(dates.parse(t)) for t in _days_text(spans))
            c.add(path, d.where("as_written"), f"'as_written': '{_short(written)}' does not "
                  f"give the date of this entry ({shown})", "as-written", "warning")


def _days_text(spans: list[tuple[int, int]]) -> list[str]:
    out = []
    for lo, hi in spans:
        a, b = dates.iso(lo) or "..", dates.iso(hi) or ".."
        out.append(a if a == b else f"{a}/{b}")
    return out


def _check_lifetime(c: _Checker, path: str, pos: tuple[int, int], ev: Event, ent: Entity) -> None:
    life = ent.dates
    if life is None or ent.kind not in _LIFETIME_KINDS:
        return
    ev_upper = ev.date.upper
    if ev.date.lower > life.upper or (ev_upper < life.lower and ev_upper <= dates.MAX_DAY):
        c.add(path, pos, f"event '{ev.id}' ({ev.date.text}) lies outside the dates of "
              f"'{ent.id}' ({life.text})", "lifetime", "warning")


def _check_aliases(c: _Checker, entities: dict[str, Entity],
                   where: dict[int, tuple[str, Places]]) -> None:
    owners: dict[str, str] = {}
    for ent in entities.values():
        path, d = where[id(ent)]
        spelt: list[tuple[str, tuple[int, int]]] = [(ent.name, d.where("name"))]
        for i, a in enumerate(ent.aliases):
            spelt.append((a, d.where_in("aliases", i)))
        seen: set[str] = set()
        for name, pos in spelt:
            n = fold(name)
            if n in seen:
                continue
            seen.add(n)
            other = owners.get(n)
            if other is None:
                owners[n] = ent.id
                continue
            if other in ent.homonyms or ent.id in entities[other].homonyms:
                continue
            c.add(path, pos, f"the name '{_short(name)}' belongs to both '{other}' and "
                  f"'{ent.id}'; remove it from one, or list them as homonyms",
                  "alias-conflict", "warning")


def _entity(c: _Checker, d: YMap, path: str, ident: str) -> Entity | None:
    kind = c.text(d, "kind", path)
    name = c.text(d, "name", path)
    if kind is not None and kind not in KINDS:
        c.add(path, d.where("kind"), f"unknown kind '{_short(kind)}'{_expected(kind, KINDS)}",
              "kind")
        kind = None
    relations = []
    rels = d.get("relations")
    if rels is not None:
        if not isinstance(rels, YList):
            c.add(path, d.where("relations"), "'relations' should be a list", "type")
        else:
            for i, r in enumerate(rels):
                if not c.fields(r, "relation", path, rels.where(i)):
                    continue
                rtype = c.text(r, "type", path)
                target = c.ident(r, "target", path)
                if rtype is not None and rtype not in RELATIONS:
                    c.add(path, r.where("type"), f"unknown relation type '{_short(rtype)}'"
                          f"{_expected(rtype, RELATIONS)}", "relation")
                    rtype = None
                if rtype and target:
                    relations.append(Relation(rtype, target, c.date(r, "date", path),
                                              c.text(r, "note", path)))
    dates_, given = c.dated(d, "dates", path)
    signed, signed_given = c.dated(d, "signed", path)
    if kind is None or name is None:
        return None
    return Entity(
        id=ident, kind=kind, name=name,
        aliases=tuple(c.string_list(d, "aliases", path)),
        dates=dates_,
        summary=c.text(d, "summary", path) or "",
        place=c.ident(d, "place", path),
        outcome=c.text(d, "outcome", path),
        relations=tuple(relations),
        homonyms=tuple(c.string_list(d, "homonyms", path, ids=True)),
        sources=tuple(c.source_refs(d, "sources", path)),
        note=c.text(d, "note", path),
        signed=signed,
        calendars=c.calendars(d, path),
        as_written=c.text(d, "as_written", path),
        given=tuple(dict.fromkeys((*given, *signed_given))),
    )


def _event(c: _Checker, d: YMap, path: str, ident: str) -> Event | None:
    date, given = c.dated(d, "date", path)
    title = c.text(d, "title", path)
    refs = c.source_refs(d, "sources", path)
    if "sources" in d and not refs and isinstance(d["sources"], YList) and not d["sources"]:
        c.add(path, d.where("sources"), f"event '{ident}' cites no source", "no-source")
    ev = Event(
        id=ident, date=date, title=title or "",  # type: ignore[arg-type]
        summary=c.text(d, "summary", path) or "",
        tags=tuple(c.string_list(d, "tags", path, ids=True)),
        entities=tuple(c.string_list(d, "entities", path, ids=True)),
        place=c.ident(d, "place", path),
        sources=tuple(refs),
        note=c.text(d, "note", path),
        calendars=c.calendars(d, path),
        as_written=c.text(d, "as_written", path),
        given=given,
    )
    if date is None or title is None:
        return None
    return ev


def _claim(c: _Checker, d: YMap, path: str) -> Claim | None:
    subject = c.ident(d, "subject", path)
    prop = c.ident(d, "property", path)
    value = c.text(d, "value", path)
    amount = None
    if "amount" in d and d["amount"] is not None:
        a = d["amount"]
        if isinstance(a, int | float) and not isinstance(a, bool):
            amount = float(a)
        else:
            c._wrong_type(d.where("amount"), path, "amount", a, d.raw.get("amount"), "a number")
    ref = c.source_ref(d["source"], d.where("source"), path) if d.get("source") is not None \
        else None
    if subject is None or prop is None or value is None or ref is None:
        return None
    return Claim(subject, prop, value, ref, amount, c.text(d, "note", path))
