"""Select events: date ranges (overlap or strict), tags, entities; order, reverse, limit;
the events a date typed as a name stands for."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from khalkhin import dates
from khalkhin.errors import LookupFailed
from khalkhin.model import Chronology, Event


def _bound(value: str | int | None, *, end: bool) -> int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    text = dates.from_yaml_value(value)
    try:
        dates.parse(text)
    except dates.EdtfRangeError:
        raise
    except dates.EdtfError:
        pass
    else:
        return dates.parse_bound(text, end=end)  # EDTF: one date, not an interval
    from khalkhin.datetext import parse_input

    # A written form ("Aug 1939", "Taishō 1", "Jan 1904 O.S.") may stand for a run of days:
    # the range starts on its first and ends on its last.
    d = dates.parse(parse_input(text))
    return d.upper if end else d.lower


def bounds(start: str | int | None, end: str | int | None) -> tuple[int | None, int | None]:
    """First and last day asked for (None: open); a year or month covers all of it.

    Each is EDTF or a date as people write it (:func:`khalkhin.datetext.parse_input`:
    ``Aug 1939``, ``9.6.1940``, ``Shōwa 14``, ``1904-01-27 O.S.``); one that stands for a run
    of days (``Taishō 1``, ``Jan 1904 O.S.``) starts the range on its first day, or ends it
    on its last."""
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
    for t in chron.tag_stats():
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
    out = list(timeline_iter(chron, start=start, end=end, tags=tags, entities=entities,
                             strict=strict))
    if reverse:
        out.reverse()
    if limit is not None:
        out = out[: max(limit, 0)]
    return out


def timeline_iter(
    chron: Chronology,
    *,
    start: str | int | None = None,
    end: str | int | None = None,
    tags: Iterable[str] = (),
    entities: Iterable[str] = (),
    strict: bool = False,
) -> Iterator[Event]:
    """The events of :func:`timeline`, in order, one at a time: a stored chronology reads
    only the events of the range, and the first is given before the last is read."""
    lo, hi = bounds(start, end)
    want_tags = set(resolve_tags(chron, tags))
    want_entities = list(dict.fromkeys(entities))
    pool: Iterable[Event]
    if want_entities:
        ids = {e.id for e in chron.events_of(want_entities[0])}
        for other in want_entities[1:]:
            ids &= {e.id for e in chron.events_of(other)}
        pool = [e for e in chron.events_of(want_entities[0]) if e.id in ids]
    elif want_tags:
        pool = chron.events_tagged(min(want_tags))
    else:
        pool = chron.events_overlapping(lo, hi)
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
        yield ev


def events_dated(chron: Chronology, text: str) -> tuple[dates.Edtf, list[Event], bool] | None:
    """When the whole text is a date (EDTF or a written form: ``27 Jan 1904 O.S.``,
    ``昭和14年8月20日``), that date, the events it names and whether they are dated exactly
    so: those with the same first and last day, else those that lie wholly within it; None
    when the text is not a date."""
    from khalkhin.datetext import parse_input

    if not any(c.isdigit() or c == "年" for c in text):
        return None
    try:
        d = dates.parse(parse_input(text))
    except dates.EdtfError:
        return None
    near = list(chron.events_overlapping(d.lower, d.upper))
    same = [e for e in near if (e.date.lower, e.date.upper) == (d.lower, d.upper)]
    if same:
        return d, same, True
    return d, [e for e in near if d.lower <= e.date.lower and e.date.upper <= d.upper], False


def resolve_date(chron: Chronology, text: str) -> Event | None:
    """The one event a date typed as a name stands for (see :func:`events_dated`), or None
    when the text is not a date. Raises :class:`LookupFailed` for a date with no event or
    with several, naming them (at most 12, earliest first) to choose from."""
    found = events_dated(chron, text)
    if found is None:
        return None
    d, events, exact = found
    if len(events) == 1:
        return events[0]
    from khalkhin.text import short

    when = dates.human(d) + ("" if dates.human(d) == d.text else f" ({d.text})")
    if not events:
        raise LookupFailed(f"no event is dated {when} or lies within it; try 'khalkhin "
                           f"timeline --from {d.text.split('/')[0]}'")
    shown = events[:12]
    more = f" (the first 12 of {len(events)})" if len(events) > 12 else ""
    how = "are dated" if exact else "fall within"
    raise LookupFailed(f"'{short(text)}' is a date: {len(events)} events {how} {when}"
                       f"{more}; give one of these ids",
                       [(e.id, "event", e.title, dates.human(e.date)) for e in shown])
