"""Select events: date ranges (overlap or strict), tags, entities; order, reverse, limit."""

from __future__ import annotations

from collections.abc import Iterable

from khalkhin import dates
from khalkhin.model import Chronology, Event


def _bound(value: str | int | None, *, end: bool) -> int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    return dates.parse_bound(dates.from_yaml_value(value), end=end)


def bounds(start: str | int | None, end: str | int | None) -> tuple[int | None, int | None]:
    """First and last day asked for (None: open); a year or month covers all of it."""
    lo = _bound(start, end=False)
    hi = _bound(end, end=True)
    if lo is not None and hi is not None and hi < lo:
        raise dates.EdtfError("the end of the range comes before its start")
    return lo, hi


def resolve_tags(chron: Chronology, tags: Iterable[str]) -> list[str]:
    """Tags as the data spells them, matched like names (case, diacritics, hyphens or
    spaces); an unknown tag is a LookupFailed naming the closest ones."""
    wanted = list(tags)
    if not wanted:
        return []
    from khalkhin.errors import LookupFailed
    from khalkhin.text import fold, short

    known: dict[str, str] = {}
    for ev in chron.events:
        for t in ev.tags:
            known.setdefault(fold(t), t)
    out = []
    for tag in wanted:
        hit = known.get(fold(tag))
        if hit is None:
            import difflib

            close = difflib.get_close_matches(fold(tag), list(known), n=3, cutoff=0.6)
            hint = ("; did you mean " + ", ".join(f"'{known[c]}'" for c in close) + "?"
                    if close else "")
            raise LookupFailed(f"no event has the tag '{short(tag)}'{hint} "
                               "(see 'khalkhin tags')")
        out.append(hit)
    return out


def timeline(
    chron: Chronology,
    *,
    start: str | int | None = None,
    end: str | int | None = None,
    tags: Iterable[str] = (),
    entities: Iterable[str] = (),
    strict: bool = False,
    reverse: bool = False,
    limit: int | None = None,
) -> list[Event]:
    """Events in order (first day, coarser precision first, time of day, id).

    ``start`` and ``end`` are EDTF dates (or day ordinals): a year or a month means the
    whole period. An event is kept when its range overlaps [start, end]; with ``strict``
    only when it lies wholly inside. ``tags`` must all be present; ``entities`` are ids,
    and an event is kept when it names all of them.
    """
    lo, hi = bounds(start, end)
    want_tags = set(resolve_tags(chron, tags))
    want_entities = list(dict.fromkeys(entities))
    pool: Iterable[Event]
    if want_entities:
        ids = {e.id for e in chron.events_of(want_entities[0])}
        for other in want_entities[1:]:
            ids &= {e.id for e in chron.events_of(other)}
        pool = [e for e in chron.events if e.id in ids]
    else:
        pool = chron.events
    out: list[Event] = []
    for ev in pool:
        d = ev.date
        if strict:
            if lo is not None and d.lower < lo:
                continue
            if hi is not None and d.upper > hi:
                continue
        else:
            if lo is not None and d.upper < lo:
                continue
            if hi is not None and d.lower > hi:
                continue
        if want_tags and not want_tags.issubset(ev.tags):
            continue
        out.append(ev)
    if reverse:
        out.reverse()
    if limit is not None:
        out = out[: max(limit, 0)]
    return out
