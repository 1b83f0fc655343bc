"""Chart layout: which rows a timeline chart has, its axis and zoom, and bar cells for a width.

Pure functions over the model, no terminal or Rich: :func:`build` chooses the rows (entities
that last — wars, battles, occupations, treaties, operations — and events that take an
interval, with one-day or otherwise single-dated events as markers), :func:`layout` fits
them to a width, and :func:`plain_lines` draws the result in plain ASCII.

Cells are single characters: ``" "`` empty, ``"."`` a grid line under an axis tick, ``"="``
the bar (drawn with the glyph of the row's kind), ``"*"`` a point event, ``"<"`` / ``">"``
a bar that runs on before / after the chart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from khalkhin import dates, query
from khalkhin.model import Chronology, Entity, Event

# Entity kinds drawn as bars, in the order the legend lists them and rows are kept
# when there are more than --limit.
LASTING = ("war", "occupation", "treaty", "operation", "battle")
OFFICE = "office"  # a dated command or leadership (a relation with a date): offices held
EVENT = "event"  # an event with an interval date: a row of its own
POINTS = "points"  # the row of single-dated events not drawn on an entity's row
KINDS = (*LASTING, OFFICE, EVENT)
# Relation types drawn as offices held, when they carry a date.
OFFICE_RELATIONS = ("commanded", "led", "served", "member-of")

YEAR, MONTH, DAY = "year", "month", "day"

# ASCII glyph for each kind's bars (plain output and a terminal without colour).
GLYPHS = {"war": "=", "battle": "#", "operation": "+", "occupation": "~", "treaty": "-",
          OFFICE: "o", EVENT: ":"}
MARKER = "*"
POINTS_LABEL = "Other events"
DEFAULT_LIMIT = 40

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the chart: a bar from ``lower`` to ``upper`` (day ordinals) and markers."""

    id: str
    label: str
    kind: str  # a LASTING kind, OFFICE, EVENT, or POINTS
    date: str  # EDTF text of the bar ("" for the POINTS row)
    lower: int | None  # None: no bar (the POINTS row)
    upper: int | None
    markers: tuple[tuple[int, str], ...] = ()  # (day, event id)


@dataclass(frozen=True, slots=True)
class Chart:
    """The rows to draw, the day range of the axis and its unit."""

    rows: tuple[Row, ...]
    lower: int
    upper: int
    unit: str  # YEAR, MONTH or DAY
    hidden: int = 0  # rows left out by the limit


@dataclass(frozen=True, slots=True)
class Layout:
    """A chart fitted to a width: label column, bar columns, ticks and each row's cells."""

    chart: Chart
    width: int
    label_width: int
    bar_width: int
    ticks: tuple[tuple[int, str], ...]  # (bar column, label)
    cells: tuple[str, ...]  # one string of bar_width cells per row

    @property
    def kinds(self) -> list[str]:
        """Kinds present, in legend order (POINTS stands for any marker)."""
        present = {r.kind for r in self.chart.rows}
        out = [k for k in KINDS if k in present]
        if any(r.markers for r in self.chart.rows):
            out.append(POINTS)
        return out


def _finite(x: int) -> bool:
    return dates.MIN_DAY <= x <= dates.MAX_DAY


def unit_for(lower: int, upper: int) -> str:
    """The axis unit for a range: years over three years, months over two months, else days."""
    span = upper - lower + 1
    if span > 3 * 365:
        return YEAR
    if span > 62:
        return MONTH
    return DAY


def span(d: dates.Edtf) -> tuple[int, int]:
    """The days a bar covers: an end that is unknown (``1936/``, ``/1904``) is not drawn as
    running on, as an open end (``1941/..``) is; the bar covers the known end only."""
    lower, upper = d.lower, d.upper
    if d.end is not None:
        if d.end.text == "":
            upper = d.start.upper
        if d.start.text == "":
            lower = d.end.lower
    return lower, upper


def _overlaps(lo: int, hi: int, start: int | None, end: int | None) -> bool:
    return (start is None or hi >= start) and (end is None or lo <= end)


def build(
    chron: Chronology,
    *,
    start: str | None = None,
    end: str | None = None,
    tags: Iterable[str] = (),
    entities: Iterable[str] = (),
    kinds: Iterable[str] = (),
    limit: int | None = DEFAULT_LIMIT,
) -> Chart:
    """Choose the rows of a chart.

    Rows are entities of a lasting kind that have dates, and events whose date is an
    interval (unless the same dates are already an entity row they name). Offices held —
    dated ``commanded``, ``led``, ``served`` and ``member-of`` relations — are rows too
    when ``entities`` names one of their two ends, or when ``kinds`` asks for ``"office"``.
    Events with a single date are markers on the row of the first entity they name, or on one row of
    their own. The filters are those of :func:`khalkhin.query.timeline`; with ``tags`` or
    ``entities``, an entity row is kept when a matching event names it (or it is itself
    one of ``entities``). ``kinds`` keeps only rows of those kinds (and no markers unless
    it holds ``"event"``). At most ``limit`` bar rows are kept (0 or None: all), preferring
    wars, then occupations, treaties, operations, battles, then events, longest first.
    """
    lo, hi = query.bounds(start, end)
    tags = list(tags)
    wanted = list(dict.fromkeys(entities))
    want_kinds = set(kinds) or set(KINDS)
    events = query.timeline(chron, start=start, end=end, tags=tags, entities=wanted)
    filtered = bool(tags or wanted)
    linked: set[str] = set(wanted)
    if filtered:
        for ev in events:
            linked.update(ev.entities)

    entity_rows: dict[str, Entity] = {}
    for ent in chron.entities.values():
        if ent.kind not in LASTING or ent.kind not in want_kinds or ent.dates is None:
            continue
        if filtered and ent.id not in linked:
            continue
        if not _overlaps(*span(ent.dates), lo, hi):
            continue
        entity_rows[ent.id] = ent

    bars: list[Row] = [
        Row(ent.id, ent.name, ent.kind, ent.dates.text, *span(ent.dates))
        for ent in entity_rows.values() if ent.dates is not None
    ]
    if OFFICE in want_kinds and (wanted or OFFICE in set(kinds)):
        bars += _offices(chron, wanted, lo, hi)
    points: list[Event] = []
    for ev in events:
        if not ev.date.is_interval:
            points.append(ev)
        elif EVENT in want_kinds and not any(
            (d := chron.entities[e].dates) is not None and d.text == ev.date.text
            for e in ev.entities if e in entity_rows
        ):
            bars.append(Row(ev.id, ev.title, EVENT, ev.date.text, *span(ev.date)))

    hidden = 0
    if limit and len(bars) > limit:
        rank = {k: i for i, k in enumerate(KINDS)}

        def priority(r: Row) -> tuple[int, int, int]:
            assert r.lower is not None and r.upper is not None
            span = min(r.upper, hi or r.upper) - max(r.lower, lo or r.lower)
            return (rank[r.kind], -span, r.lower)

        keep = set(map(id, sorted(bars, key=priority)[:limit]))
        hidden = len(bars) - limit
        bars = [r for r in bars if id(r) in keep]

    # Markers go on their entity's row when it is shown, else on the POINTS row.
    shown = {r.id: i for i, r in enumerate(bars) if r.kind not in (EVENT, OFFICE)}
    on_row: dict[int, list[tuple[int, str]]] = {}
    loose: list[tuple[int, str]] = []
    if EVENT in want_kinds:
        for ev in points:
            day = ev.date.lower if lo is None else max(ev.date.lower, lo)
            target = next((shown[e] for e in ev.entities if e in shown), None)
            (loose if target is None else on_row.setdefault(target, [])).append((day, ev.id))
    rows = [
        Row(r.id, r.label, r.kind, r.date, r.lower, r.upper, tuple(on_row.get(i, ())))
        for i, r in enumerate(bars)
    ]
    rows.sort(key=lambda r: (r.lower, r.upper, r.label))
    if loose:
        rows.append(Row(POINTS, POINTS_LABEL, POINTS, "", None, None, tuple(loose)))

    if lo is None or hi is None:
        # The axis runs from the first start to the last entity end, point event or event
        # start: a long aftermath does not stretch it; its bar ends in ">".
        starts = [r.lower for r in rows if r.lower is not None and _finite(r.lower)]
        ends = [r.upper for r in rows if r.kind in LASTING and r.upper is not None
                and _finite(r.upper)]
        marks = [d for r in rows for d, _ in r.markers]
        if lo is None:
            lo = min(starts + marks, default=None)
        if hi is None:
            hi = max(ends + marks + starts, default=None)
    first = lo if lo is not None else hi if hi is not None else date(1939, 1, 1).toordinal()
    last = max(hi if hi is not None else first, first)
    return Chart(tuple(rows), first, last, unit_for(first, last), hidden)


def _offices(chron: Chronology, wanted: list[str], lo: int | None,
             hi: int | None) -> list[Row]:
    """Rows for dated relations of the OFFICE_RELATIONS types ("Zhukov: commanded …")."""
    rows = []
    for ent in chron.entities.values():
        for r in ent.relations:
            if r.type not in OFFICE_RELATIONS or r.date is None:
                continue
            if wanted and ent.id not in wanted and r.target not in wanted:
                continue
            if not _overlaps(*span(r.date), lo, hi):
                continue
            target = chron.entities.get(r.target)
            label = f"{ent.name}: {r.type} {target.name if target else r.target}"
            rows.append(Row(f"{ent.id}:{r.type}:{r.target}", label, OFFICE, r.date.text,
                            *span(r.date)))
    return rows


def _column(day: int, chart: Chart, width: int) -> int:
    span = chart.upper - chart.lower + 1
    col = (day - chart.lower) * width // span
    return min(max(col, 0), width - 1)


def _tick_days(chart: Chart, step: int) -> list[tuple[int, str]]:
    lo, hi = date.fromordinal(chart.lower), date.fromordinal(chart.upper)
    out: list[tuple[int, str]] = []
    if chart.unit == YEAR:
        first = lo.year if lo == date(lo.year, 1, 1) else lo.year + 1
        for y in range(first, hi.year + 1):
            if y % step == 0:
                out.append((date(y, 1, 1).toordinal(), str(y)))
    elif chart.unit == MONTH:
        y, m = lo.year, lo.month
        if lo.day != 1:
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        while date(y, m, 1) <= hi:
            if (m - 1) % step == 0:
                name = _MONTHS[m - 1]
                out.append((date(y, m, 1).toordinal(),
                            f"{name} {y}" if not out or m == 1 else name))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        for o in range(chart.lower, chart.upper + 1):
            d = date.fromordinal(o)
            last = dates._days_in_month(d.year, d.month)
            # A tick too close to the next month's first day is left out.
            if (d.day - 1) % step == 0 and (step == 1 or d.day + step <= last + 1):
                name = f"{d.day} {_MONTHS[d.month - 1]}" if not out or d.day == 1 else str(d.day)
                out.append((o, name))
    return out


_STEPS = {YEAR: (1, 2, 5, 10, 20, 50, 100), MONTH: (1, 2, 3, 6), DAY: (1, 2, 5, 10)}


def ticks(chart: Chart, width: int) -> tuple[tuple[int, str], ...]:
    """Axis ticks (column, label) at the finest step whose labels fit without touching."""
    best: list[tuple[int, str]] = []
    for step in _STEPS[chart.unit]:
        placed = [(_column(o, chart, width), label) for o, label in _tick_days(chart, step)]
        # A label that would run past the right edge is dropped (its tick stays).
        fits = True
        prev_end = -2
        for col, label in placed:
            if col <= prev_end + 1:
                fits = False
                break
            prev_end = col + len(label) - 1 if col + len(label) <= width else col
        best = placed
        if fits:
            break
    # When even the widest step crowds, labels that would touch the one before are left out.
    out: list[tuple[int, str]] = []
    prev_end = -2
    for col, label in best:
        if col > prev_end + 1 and col + len(label) <= width:
            out.append((col, label))
            prev_end = col + len(label) - 1
        else:
            out.append((col, ""))
    return tuple(out)


def label_width(chart: Chart, width: int) -> int:
    """Room for row labels: the longest label, at most 3/10 of the width (10 to 40)."""
    longest = max((len(r.label) for r in chart.rows), default=0)
    room = min(40, max(10, width * 3 // 10))
    return max(1, min(longest, room, width - 11))


def layout(chart: Chart, width: int) -> Layout:
    """Fit a chart to ``width`` columns (at least 20)."""
    width = max(width, 20)
    lw = label_width(chart, width)
    bw = width - lw - 1
    tks = ticks(chart, bw)
    grid = [" "] * bw
    for col, _ in tks:
        grid[col] = "."
    cells: list[str] = []
    for r in chart.rows:
        line = list(grid)
        if r.lower is not None and r.upper is not None:
            a = _column(r.lower, chart, bw)
            b = _column(r.upper, chart, bw)
            for c in range(a, b + 1):
                line[c] = "="
            if r.lower < chart.lower:
                line[a] = "<"
            if r.upper > chart.upper:
                line[b] = ">"
        for day, _ in r.markers:
            line[_column(day, chart, bw)] = MARKER
        cells.append("".join(line))
    return Layout(chart, width, lw, bw, tks, tuple(cells))


def truncate(text: str, width: int, mark: str = "...") -> str:
    """Text cut to ``width`` characters, ending in ``mark`` when cut."""
    if len(text) <= width:
        return text
    if width <= len(mark):
        return text[:width]
    return text[: width - len(mark)].rstrip() + mark


def axis_lines(lay: Layout) -> tuple[str, str]:
    """The tick-label line and the ruler ("+" at ticks, "-" between), bar columns only."""
    labels = [" "] * lay.bar_width
    ruler = ["-"] * lay.bar_width
    for col, text in lay.ticks:
        ruler[col] = "+"
        for i, ch in enumerate(text):
            if col + i < lay.bar_width:
                labels[col + i] = ch
    return "".join(labels), "".join(ruler)


def legend(lay: Layout, glyphs: dict[str, str] | None = None, marker: str = MARKER,
           more: str = "< >") -> list[tuple[str, str]]:
    """(glyph, meaning) for each kind present, point events, and bars that run on."""
    g = GLYPHS if glyphs is None else glyphs
    out = [(g[k], "event" if k == EVENT else k) for k in lay.kinds if k != POINTS]
    if POINTS in lay.kinds:
        out.append((marker, "point event"))
    if any("<" in c or ">" in c for c in lay.cells):
        out.append((more, "runs on beyond the chart"))
    return out


def wrap_legend(items: list[tuple[str, str]], width: int) -> list[str]:
    """Legend items as lines no wider than ``width`` (two spaces between items)."""
    lines: list[str] = []
    cur = ""
    for glyph, meaning in items:
        item = f"{glyph} {meaning}"
        if cur and len(cur) + 2 + len(item) > width:
            lines.append(cur)
            cur = item
        else:
            cur = f"{cur}  {item}" if cur else item
    if cur:
        lines.append(cur)
    return lines


def plain_lines(lay: Layout, clean: Iterable[str] | None = None) -> list[str]:
    """The chart in plain ASCII: axis, one line per row, axis, legend; no trailing spaces."""
    labels = list(clean) if clean is not None else [r.label for r in lay.chart.rows]
    pad = " " * (lay.label_width + 1)
    tick_labels, ruler = axis_lines(lay)
    out = [pad + tick_labels, pad + ruler]
    for row, text, cells in zip(lay.chart.rows, labels, lay.cells, strict=True):
        g = GLYPHS.get(row.kind, "=")
        name = truncate(text, lay.label_width).ljust(lay.label_width)
        out.append(f"{name} {cells.replace('=', g)}")
    out += [pad + ruler, pad + tick_labels, ""]
    out += wrap_legend(legend(lay), lay.width)
    return [line.rstrip() for line in out]
