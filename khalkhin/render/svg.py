"""SVG: the chart as a picture of a coloured terminal (Rich's SVG export), self-contained."""

from __future__ import annotations

import io
from typing import Any

from khalkhin.render import Ctx
from khalkhin.render.table import chart_console, chart_lines


def chart(lay: Any, ctx: Ctx, title: str = "khalkhin chart") -> None:
    """The coloured chart as an SVG picture of a terminal (Rich's ``export_svg``)."""
    console = chart_console(io.StringIO(), lay.width, True, record=True)
    for line in chart_lines(lay):
        console.print(line, no_wrap=True, overflow="crop")
    ctx.out.write(str(console.export_svg(title=title)))
