"""The chart drawn three ways: plain ASCII, Rich colour on a terminal, and SVG (Rich's export)."""

from __future__ import annotations

import io
from typing import Any

from khalkhin import chart
from khalkhin.render import Ctx
from khalkhin.text import clean

# Colour of each kind's bars and legend entry.
COLOURS = {"war": "red", "occupation": "magenta", "treaty": "green", "operation": "cyan",
           "battle": "yellow", chart.OFFICE: "bright_green", chart.EVENT: "bright_blue"}
BLOCK = "\u2588"  # █
DIAMOND = "\u25c6"  # ◆


# Each cell of chart.Layout.cells as (glyph, style); "kind" means the row's colour.
_CELL = {"=": (BLOCK, "kind"), "<": ("\u25c0", "kind"), ">": ("\u25b6", "kind"),
         chart.MARKER: (DIAMOND, "bold"), ".": ("\u00b7", "dim"), " ": (" ", "")}


def _runs(cells: str) -> list[tuple[str, int]]:
    """Runs of equal cells, so each colour is one segment (and one element in SVG)."""
    out: list[tuple[str, int]] = []
    for ch in cells:
        if out and out[-1][0] == ch:
            out[-1] = (ch, out[-1][1] + 1)
        else:
            out.append((ch, 1))
    return out


def plain(lay: chart.Layout, ctx: Ctx) -> None:
    """The chart in ASCII characters (labels as the data has them, cleaned)."""
    labels = [clean(r.label) for r in lay.chart.rows]
    ctx.out.write("\n".join(chart.plain_lines(lay, labels)) + "\n")


def _lines(lay: chart.Layout) -> list[Any]:
    """The chart as Rich Text lines, coloured by kind."""
    from rich.text import Text

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
        colour = COLOURS.get(row.kind, "")
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
    styles = {("event" if k == chart.EVENT else k): COLOURS[k] for k in chart.KINDS}
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


def _console(file: Any, width: int, color: bool, record: bool = False) -> Any:
    from rich.console import Console

    return Console(file=file, width=width, force_terminal=color,
                   color_system="truecolor" if record else ("auto" if color else None),
                   no_color=not color, record=record, emoji=False, markup=False,
                   highlight=False, legacy_windows=False, soft_wrap=False)


def table(lay: chart.Layout, ctx: Ctx) -> None:
    """On a terminal: coloured blocks; without colour, the ASCII chart (it tells kinds apart)."""
    if not ctx.color:
        plain(lay, ctx)
        return
    console = _console(ctx.out, lay.width, True)
    for line in _lines(lay):
        console.print(line, no_wrap=True, overflow="crop")


def svg(lay: chart.Layout, title: str = "khalkhin chart") -> str:
    """The coloured chart as an SVG picture of a terminal (Rich's ``export_svg``)."""
    console = _console(io.StringIO(), lay.width, True, record=True)
    for line in _lines(lay):
        console.print(line, no_wrap=True, overflow="crop")
    return str(console.export_svg(title=title))
