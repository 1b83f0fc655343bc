"""The parse cache: a checked chronology stored as JSON, keyed by the data's content hash.

JSON cannot run code when read (unlike pickle). Files are written to a temporary file and
renamed into place, so readers running at the same time see a whole file or none. A
corrupt, stale or unreadable cache is ignored and rebuilt; an unwritable cache directory
is skipped without complaint.
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any

from khalkhin import dates
from khalkhin.errors import Problem
from khalkhin.model import Chronology, Claim, Entity, Event, Relation, Source, SourceRef

FORMAT = 1


def loader_name() -> str:
    """Which YAML loader a cold load uses (part of the cache key), without importing yaml."""
    import importlib.util

    try:
        return "libyaml" if importlib.util.find_spec("yaml._yaml") else "pyyaml"
    except (ImportError, ValueError):
        return "pyyaml"


def cache_dir(env: dict[str, str] | None = None) -> str:
    environ = os.environ if env is None else env
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "khalkhin")


def _d(e: dates.Edtf | None) -> str | None:
    return None if e is None else e.text


def _refs(refs: tuple[SourceRef, ...]) -> list[Any]:
    return [[r.source, r.locator] if r.locator else r.source for r in refs]


def dump(chron: Chronology) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "sources": [[s.id, s.title, s.author, s.periodical, s.publisher, _d(s.date), s.url,
                     s.note] for s in chron.sources.values()],
        "entities": [[e.id, e.kind, e.name, list(e.aliases), _d(e.dates), e.summary, e.place,
                      e.outcome, [[r.type, r.target, _d(r.date), r.note] for r in e.relations],
                      list(e.homonyms), _refs(e.sources), e.note]
                     for e in chron.entities.values()],
        "events": [[e.id, e.date.text, e.title, e.summary, list(e.tags), list(e.entities),
                    e.place, _refs(e.sources), e.note] for e in chron.events],
        "claims": [[c.subject, c.property, c.value, _refs((c.source,))[0], c.amount, c.note]
                   for c in chron.claims],
        "warnings": [[p.path, p.line, p.col, p.severity, p.message, p.rule]
                     for p in chron.warnings if isinstance(p, Problem)],
    }


def _ref(r: Any) -> SourceRef:
    return SourceRef(r) if isinstance(r, str) else SourceRef(r[0], r[1])


def _date(t: str | None) -> dates.Edtf | None:
    return None if t is None else dates.parse(t)


def restore(data: dict[str, Any]) -> Chronology:
    if data.get("format") != FORMAT:
        raise ValueError("cache format")
    parse = dates.parse
    chron = Chronology()
    chron.sources = {s[0]: Source(s[0], s[1], s[2], s[3], s[4], _date(s[5]), s[6], s[7])
                     for s in data["sources"]}
    chron.entities = {
        e[0]: Entity(e[0], e[1], e[2], tuple(e[3]), _date(e[4]), e[5], e[6], e[7],
                     tuple(Relation(r[0], r[1], _date(r[2]), r[3]) for r in e[8]),
                     tuple(e[9]), tuple(_ref(r) for r in e[10]), e[11])
        for e in data["entities"]
    }
    chron.events = [
        Event(e[0], parse(e[1]), e[2], e[3], tuple(e[4]), tuple(e[5]), e[6],
              tuple(_ref(r) for r in e[7]), e[8])
        for e in data["events"]
    ]
    chron.claims = [Claim(c[0], c[1], c[2], _ref(c[3]), c[4], c[5]) for c in data["claims"]]
    chron.warnings = [Problem(*w) for w in data["warnings"]]
    return chron


def read(key: str, env: dict[str, str] | None = None) -> Chronology | None:
    path = os.path.join(cache_dir(env), key + ".json")
    try:
        with open(path, "rb") as fh:
            return restore(json.loads(fh.read()))
    except (OSError, ValueError, KeyError, IndexError, TypeError, dates.EdtfError):
        return None


def write(key: str, chron: Chronology, env: dict[str, str] | None = None) -> None:
    directory = cache_dir(env)
    try:
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".json")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(dump(chron), fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, os.path.join(directory, key + ".json"))
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
