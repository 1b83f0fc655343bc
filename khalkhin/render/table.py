"""Rich tables for a terminal: readable at 80 columns and at 200; data never read as markup.

Long listings (a timeline, a list of entities) are drawn by `Grid`, which prints exactly what
`rich.table.Table` prints for the same one-line text cells, ten times faster: Rich's table
measures, wraps and pads every cell through its general renderable machinery, about 0.3 ms a
row. `Grid` does the same arithmetic on strings (Rich's column-width rules, its word
wrapping and folding, its box characters and styles) and hands the lines to a Rich console.
`tests/test_table.py` holds it to byte-for-byte equality with `Table`, colour included.
A table with a column narrower than three cells goes to `Table` itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any, Literal, NamedTuple

from khalkhin.render import Ctx
from khalkhin.text import clean
from khalkhin.views.listing import Listing


def _console_class() -> Any:
    """Rich's Console, but a closed pipe is left to khalkhin, which exits 0 quietly (Rich's
    own handler exits 1)."""
    from rich.console import Console

    class Quiet(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError

    return Quiet


def console(ctx: Ctx) -> Any:
    Console = _console_class()  # noqa: N806

    return Console(
        file=ctx.out,
        width=ctx.width,
        force_terminal=ctx.color,
        color_system="auto" if ctx.color else None,
        no_color=not ctx.color,
        emoji=False,
        markup=False,
        highlight=False,
        legacy_windows=False,
        soft_wrap=False,
    )


def _text(value: Any, style: str = "") -> Any:
    from rich.text import Text

    return Text(_str(value), style=style)


def _str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    elif isinstance(value, float) and value.is_integer():
        value = str(int(value))
    return clean(str(value))


def _short(text: str, limit: int) -> str:
    text = clean(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "\u2026"


# --- Grid: Rich's table, drawn from strings --------------------------------------------------


class Column(NamedTuple):
    """A column as `rich.table.Column` sees it (left-justified, top-aligned)."""

    header: str
    style: str = ""  # the column's style, padding included
    no_wrap: bool = False
    overflow: Literal["fold", "ellipsis"] = "fold"  # "ellipsis" only with no_wrap


_WORD = re.compile(r"\s*\S+\s*")


def _cells(text: str) -> int:
    """Terminal cells the text takes (wide characters count two)."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _breaks(text: str, width: int) -> list[int]:
    """Where Rich breaks a line to fit `width` cells (rich._wrap.divide_line, folding)."""
    from rich.cells import chop_cells

    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        length = _cells(word.rstrip())
        if width - offset >= length:
            offset += _cells(word)
        elif length > width:  # longer than a line: folded across lines
            parts = chop_cells(word, width)
            for part in parts[:-1]:
                if start:
                    breaks.append(start)
                start += len(part)
            if start:
                breaks.append(start)
            offset = _cells(parts[-1])
        elif offset:  # onto the next line
            breaks.append(start)
            offset = _cells(word)
    return breaks


def _fit(text: str, width: int) -> str:
    """The text cropped or padded to exactly `width` cells."""
    size = _cells(text)
    if size > width:
        from rich.cells import set_cell_size

        return set_cell_size(text, width)
    return text + " " * (width - size)


def wrap(text: str, width: int, column: Column) -> list[str]:
    """The lines of one cell, each exactly `width` cells, as Rich's Text.wrap lays them out."""
    size = _cells(text)
    if size <= width:
        return [text + " " * (width - size)]
    if column.no_wrap:
        if column.overflow == "ellipsis":
            return [_fit(text, width - 1) + "\u2026"]
        return [_fit(text, width)]
    lines = []
    breaks = _breaks(text, width)
    for a, b in zip([0, *breaks], [*breaks, len(text)], strict=True):
        lines.append(_fit(text[a:b], width))  # spaces past the edge are cropped
    return lines


def _collapse(widths: list[int], wrapable: list[bool], limit: int) -> list[int]:
    """Narrow the widest wrapping columns first until the table fits (Rich's rule)."""
    excess = sum(widths) - limit
    while any(wrapable) and excess > 0:
        widest = max(w for w, ok in zip(widths, wrapable, strict=True) if ok)
        second = max((w for w, ok in zip(widths, wrapable, strict=True)
                      if ok and w != widest), default=0)
        if widest == second:
            break
        widths = _reduce(excess, [1 if ok and w == widest else 0
                                  for w, ok in zip(widths, wrapable, strict=True)],
                         [min(excess, widest - second)] * len(widths), widths)
        excess = sum(widths) - limit
    return widths


def _reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """Take `total` off `values` in proportion to `ratios`, at most `maximums` each."""
    ratios = [r if m else 0 for r, m in zip(ratios, maximums, strict=True)]
    left, weight = total, sum(ratios)
    out = []
    for ratio, most, value in zip(ratios, maximums, values, strict=True):
        if ratio and weight > 0:
            cut = min(most, round(ratio * left / weight))
            out.append(value - cut)
            left -= cut
            weight -= ratio
        else:
            out.append(value)
    return out


def widths(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> list[int]:
    """Each column's width with its padding, as Rich's Table sizes a box with edges."""
    limit = width - len(columns) - 1  # the vertical lines

    def measure(room: int, natural: int) -> int:
        return room if room < 3 else min(natural + 2, room)

    natural = [max([_cells(c.header), *(_cells(r[i]) for r in rows)])
               for i, c in enumerate(columns)]
    out = [measure(limit, n) or 1 for n in natural]
    if sum(out) > limit:
        out = _collapse(out, [not c.no_wrap for c in columns], limit)
        if sum(out) > limit:  # still too wide: every column gives way evenly
            out = _reduce(sum(out) - limit, [1] * len(out), out, out)
        out = [measure(w, n) for w, n in zip(out, natural, strict=True)]
    return out


class Grid:
    """A boxed table of one-line strings, drawn as rich.table.Table draws it (HEAVY_HEAD box,
    a bold header aligned to the bottom, cells padded by one space and aligned to the top)."""

    def __init__(self, columns: Sequence[Column], rows: Sequence[Sequence[str]],
                 styles: Sequence[Sequence[str]] | None, widths: list[int],
                 title: str = "") -> None:
        self.columns, self.rows, self.styles, self.widths = columns, rows, styles, widths
        self.title = title

    def __rich_console__(self, con: Any, options: Any) -> Iterator[Any]:
        from rich import box as boxes
        from rich.segment import Segment

        columns, ws = self.columns, self.widths
        box = boxes.HEAVY_HEAD.substitute(options, safe=con.safe_box)
        newline = Segment.line()
        color = con.color_system is not None
        style = con.get_style

        def lines(left: str, mid: str, right: str, texts: Sequence[str], pad: list[Any],
                  text: list[Any], bottom: bool = False) -> Iterator[Any]:
            cells: list[list[str | None]] = [
                list(wrap(t, w - 2, c)) for t, w, c in zip(texts, ws, columns, strict=True)]
            height = max(len(c) for c in cells)
            for i, cell in enumerate(cells):
                blank: list[str | None] = [None] * (height - len(cell))
                cells[i] = blank + cell if bottom else cell + blank
            for n in range(height):
                if not color:
                    yield Segment(left + mid.join(
                        " " * w if cell[n] is None else f" {cell[n]} "
                        for cell, w in zip(cells, ws, strict=True)) + right)
                    yield newline
                    continue
                yield Segment(left)
                for i, (cell, w) in enumerate(zip(cells, ws, strict=True)):
                    if i:
                        yield Segment(mid)
                    line = cell[n]
                    if line is None:
                        yield Segment(" " * w, pad[i])
                    else:
                        yield Segment(" ", pad[i])
                        yield Segment(line, pad[i] + text[i])
                        yield Segment(" ", pad[i])
                yield Segment(right)
                yield newline

        if self.title:  # centred over the table, in Rich's own Text
            yield from con.render(
                con.render_str(self.title, style="table.title", highlight=False),
                options.update(width=sum(ws) + len(ws) + 1, highlight=False, height=None,
                               justify="center"))
        yield Segment(box.get_top(ws))
        yield newline
        head = [style("bold")] * len(columns)
        plain = [style("")] * len(columns)
        yield from lines(box.head_left, box.head_vertical, box.head_right,
                         [c.header for c in columns], head, plain, bottom=True)
        yield Segment(box.get_row(ws, "head", edge=True))
        yield newline
        pads = [style(c.style) for c in columns]
        last = len(self.rows) - 1
        for i, row in enumerate(self.rows):
            edges = (box.foot_left, box.foot_vertical, box.foot_right) if i == last else \
                (box.mid_left, box.mid_vertical, box.mid_right)
            text = [style(s) for s in self.styles[i]] if color and self.styles else plain
            yield from lines(*edges, row, pads, text)
        yield Segment(box.get_bottom(ws))
        yield newline


def rich_table(columns: Sequence[Column], rows: Sequence[Sequence[str]],
               styles: Sequence[Sequence[str]] | None = None, title: str = "") -> Any:
    """The same table as a rich.table.Table: for very narrow columns, and the reference."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title or None, header_style="bold")
    for c in columns:
        table.add_column(c.header, style=c.style, no_wrap=c.no_wrap, overflow=c.overflow)
    for i, row in enumerate(rows):
        table.add_row(*[Text(cell, style=styles[i][j] if styles else "")
                        for j, cell in enumerate(row)])
    return table


def draw(columns: Sequence[Column], rows: Sequence[Sequence[str]], ctx: Ctx,
         styles: Sequence[Sequence[str]] | None = None, title: str = "") -> None:
    """Print a table of one-line strings: through Grid when it can, else Rich's Table."""
    ws = widths(columns, rows, ctx.width)
    con = console(ctx)
    if min(ws) < 3:
        con.print(rich_table(columns, rows, styles, title))
    else:
        con.print(Grid(columns, rows, styles, ws, title), crop=False)


def timeline(rows: list[dict[str, Any]], ctx: Ctx) -> None:
    # With --calendars the records carry the date in the sources' calendars: a column of
    # its own after the date.
    forms = any("calendars" in r for r in rows)
    columns = [Column("Date", "cyan", no_wrap=True, overflow="ellipsis"), Column("Event")]
    if forms:
        columns.insert(1, Column("Calendars", "cyan"))
    if ctx.width >= 70:
        columns.append(Column("Summary"))
    if ctx.width >= 110:
        columns.append(Column("Tags", "green"))
    limit = 400 if ctx.long else max(60, ctx.width // 2)
    cells = []
    for r in rows:
        row = [clean(r["when"]), clean(r["title"])]
        if forms:
            row.insert(1, "; ".join(clean(c["text"]) for c in r.get("calendars") or []))
        if ctx.width >= 70:
            row.append(_short(r.get("summary") or "", limit))
        if ctx.width >= 110:
            row.append(_str(r["tags"]))
        cells.append(row)
    styles = [(["", "", "bold"] if forms else ["", "bold"]) + [""] * (len(columns) - 2 - forms)
              ] * len(cells)
    draw(columns, cells, ctx, styles)


def records(view: Listing, ctx: Ctx) -> None:
    cells = [[_str(r.get(k)) for k, _ in view.columns] for r in view.rows]
    # The first column stays on one line when it holds identifiers or numbers, not labels.
    columns = [Column(header, no_wrap=(i == 0 and not any(" " in r[0] for r in cells)))
               for i, (_k, header) in enumerate(view.columns)]
    # A disputed figure stands out (figures); everything else is plain data.
    styles = [["bold red" if k == "status" and r.get("disputed") is True else ""
               for k, _ in view.columns] for r in view.rows]
    draw(columns, cells, ctx, styles, title=view.title)


def profile(view: dict[str, Any], ctx: Ctx) -> None:
    """A panel with the entity's fields, then tables of relations, claims, events, sources."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    con = console(ctx)
    head = Table.grid(padding=(0, 1))
    head.add_column(style="bold", no_wrap=True)
    head.add_column(overflow="fold")
    when = ""
    if view.get("dates"):
        when = view["when"] if view["when"] == view["dates"] else \
            f"{view['when']} ({view['dates']})"
    signed = view.get("signed") or {}
    signed_when = ""
    if signed:
        signed_when = "; ".join([signed["when"] if signed["when"] == signed["date"] else
                                 f"{signed['when']} ({signed['date']})",
                                 *(c["text"] for c in signed.get("calendars") or [])])
    for label, value in (
        ("Kind", f"{view['kind']}  \u00b7  {view['id']}"),
        ("Also", "; ".join(view["aliases"])),
        ("Dates", when),
        ("Calendars", "; ".join(c["text"] for c in view.get("calendars") or [])),
        ("As written", view.get("as_written") or ""),
        ("Signed", signed_when),
        ("Place", view["place"]["name"] if view.get("place") else ""),
        ("Tags", ", ".join(view.get("tags") or [])),
        ("Outcome", view.get("outcome") or ""),
        ("Note", view.get("note") or ""),
    ):
        if value:
            head.add_row(Text(label), _text(value))
    parts: list[Any] = [head]
    if view["summary"]:
        parts += [Text(""), _text(view["summary"])]
    con.print(Panel(Group(*parts), title=_text(view["name"], "bold"), title_align="left",
                    expand=False))

    def table(title: str, headers: list[str]) -> Any:
        t = Table(title=title, title_justify="left", title_style="bold", header_style="bold",
                  expand=False)
        for i, h in enumerate(headers):
            t.add_column(h, overflow="fold", no_wrap=(i == 0 and h == "Date"))
        return t

    if view["relations"]:
        t = table("Relations", ["Relation", "With", "Kind", "Date"])
        for r in view["relations"]:
            t.add_row(_text(r["label"], "green"), _text(f"{r['name']} ({r['id']})"),
                      _text(r["kind"]), _text(r.get("date")))
        con.print(t)
    if view["claims"]:
        t = table("Claims", ["Property", "Value", "Source", "Note"])
        for c in view["claims"]:
            src = f"{c['source']}, {c['locator']}" if c.get("locator") else c["source"]
            t.add_row(_text(c["property"]), _text(c["value"], "bold"), _text(src),
                      _text(c.get("note")))
        con.print(t)
    if view["events"]:
        t = table("Events", ["Date", "Event"])
        for e in view["events"]:
            t.add_row(_text(e["when"], "cyan"), _text(e["title"]))
        con.print(t)
    if view["sources"]:
        t = table("Sources", ["Id", "Citation", "Cited at"])
        for s in view["sources"]:
            citation = s["citation"] + (f" {s['url']}" if s.get("url") else "")
            cited = [" ".join(c[k] for k in ("locator", "url") if c.get(k))
                     for c in s.get("cited") or []]
            t.add_row(_text(s["id"]), _text(citation), _text("; ".join(cited)))
        con.print(t)


def compare(view: dict[str, Any], ctx: Ctx) -> None:
    """One column per item, one row per attribute; claims one per line."""
    from rich.table import Table
    from rich.text import Text

    table = Table(header_style="bold", show_lines=True)
    table.add_column("", style="bold", no_wrap=True)
    for label, ident in zip(view["labels"], view["items"], strict=True):
        table.add_column(Text(f"{clean(label)}\n{ident}"), overflow="fold", ratio=1)
    for row in view["rows"]:
        cells = [Text("\n".join(clean(v) for v in values) or "\u2014",
                      style="" if values else "dim") for values in row["values"]]
        table.add_row(Text(row["label"]), *cells)
    console(ctx).print(table)


# --- the chart ---------------------------------------------------------------------------------

# Colour of each kind's bars and legend entry.
CHART_COLOURS = {"war": "red", "occupation": "magenta", "treaty": "green", "operation": "cyan",
                 "battle": "yellow", "office": "bright_green", "event": "bright_blue"}
BLOCK = "\u2588"  # █
DIAMOND = "\u25c6"  # ◆


# Each cell of chart.Layout.cells as (glyph, style); "kind" means the row's colour.
_CELL = {"=": (BLOCK, "kind"), "<": ("\u25c0", "kind"), ">": ("\u25b6", "kind"),
         "*": (DIAMOND, "bold"), ".": ("\u00b7", "dim"), " ": (" ", "")}


def _runs(cells: str) -> list[tuple[str, int]]:
    """Runs of equal cells, so each colour is one segment (and one element in SVG)."""
    out: list[tuple[str, int]] = []
    for ch in cells:
        if out and out[-1][0] == ch:
            out[-1] = (ch, out[-1][1] + 1)
        else:
            out.append((ch, 1))
    return out


def chart_lines(lay: Any) -> list[Any]:
    """The chart as Rich Text lines, coloured by kind."""
    from rich.text import Text

    from khalkhin.views import chart

    pad = " " * (lay.label_width + 1)
    tick_labels, ruler = chart.axis_lines(lay)
    ruler = ruler.replace("-", "\u2500").replace("+", "\u253c")
    # The blank label column is a segment of its own: SVG export then places the axis text
    # by its column instead of drawing a run of spaces some renderers squeeze.
    ticks_line = Text.assemble(pad, (tick_labels.rstrip(), "bold"))
    ruler_line = Text.assemble(pad, (ruler, "dim"))
    top = [ticks_line, ruler_line]
    out = list(top)
    for row, cells in zip(lay.chart.rows, lay.cells, strict=True):
        colour = CHART_COLOURS.get(row.kind, "")
        name = chart.truncate(clean(row.label), lay.label_width, "\u2026")
        line = Text(name.ljust(lay.label_width) + " ",
                    style="italic" if row.kind == chart.POINTS else "")
        for ch, run in _runs(cells):
            glyph, style = _CELL.get(ch, (ch, ""))
            line.append(glyph * run, style=colour if style == "kind" else style)
        line.rstrip()
        out.append(line)
    out += [ruler_line.copy(), ticks_line.copy(), Text("")]
    glyphs = dict.fromkeys(chart.KINDS, BLOCK)
    items = chart.legend(lay, glyphs, DIAMOND, "\u25c0 \u25b6")
    styles = {("event" if k == chart.EVENT else k): CHART_COLOURS[k] for k in chart.KINDS}
    legend = Text()
    used = 0
    for glyph, meaning in items:
        item_len = len(glyph) + 1 + len(meaning)
        if used and used + 2 + item_len > lay.width:
            out.append(legend)
            legend, used = Text(), 0
        if used:
            legend.append("  ")
            used += 2
        legend.append(glyph, style=styles.get(meaning, "bold"))
        legend.append(" " + meaning)
        used += item_len
    out.append(legend)
    return out


def chart_console(file: Any, width: int, color: bool, record: bool = False) -> Any:
    Console = _console_class()  # noqa: N806

    return Console(file=file, width=width, force_terminal=color,
                   color_system="truecolor" if record else ("auto" if color else None),
                   no_color=not color, record=record, emoji=False, markup=False,
                   highlight=False, legacy_windows=False, soft_wrap=False)


def chart(lay: Any, ctx: Ctx) -> None:
    """On a terminal: coloured blocks; without colour, the ASCII chart (it tells kinds apart)."""
    if not ctx.color:
        from khalkhin.render import plain

        plain.chart(lay, ctx)
        return
    console = chart_console(ctx.out, lay.width, True)
    for line in chart_lines(lay):
        console.print(line, no_wrap=True, overflow="crop")
