"""SVG: the chart as a picture of a coloured terminal (Rich's SVG export), self-contained.

Rich's own template loads Fira Code from a CDN, which fails offline and tells a third
party who looks at the picture. This template names no font file and fetches nothing: the
text is set in the viewer's own monospace fonts (a system font stack), and the grid is
measured for their usual width of 0.6 em.
"""

from __future__ import annotations

import io
from typing import Any

from khalkhin.render import Ctx
from khalkhin.render.table import chart_console, chart_lines

MONOSPACE = ('ui-monospace, "SFMono-Regular", "Cascadia Mono", "Segoe UI Mono", '
             '"DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace')
SANS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
ASPECT = 0.6  # width of a character of those fonts, in em

# Rich's template (rich._export_format.CONSOLE_SVG_FORMAT) without its @font-face rules.
TEMPLATE = """\
<svg class="rich-terminal" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">
    <!-- Generated with Rich https://www.textualize.io; system fonts, nothing fetched -->
    <style>

    .{unique_id}-matrix {{
        font-family: @MONOSPACE@;
        font-size: {char_height}px;
        line-height: {line_height}px;
        font-variant-east-asian: full-width;
    }}

    .{unique_id}-title {{
        font-size: 18px;
        font-weight: bold;
        font-family: @SANS@;
    }}

    {styles}
    </style>

    <defs>
    <clipPath id="{unique_id}-clip-terminal">
      <rect x="0" y="0" width="{terminal_width}" height="{terminal_height}" />
    </clipPath>
    {lines}
    </defs>

    {chrome}
    <g transform="translate({terminal_x}, {terminal_y})"
       clip-path="url(#{unique_id}-clip-terminal)">
    {backgrounds}
    <g class="{unique_id}-matrix">
    {matrix}
    </g>
    </g>
</svg>
""".replace("@MONOSPACE@", MONOSPACE).replace("@SANS@", SANS)


def chart(lay: Any, ctx: Ctx, title: str = "khalkhin chart") -> None:
    """The coloured chart as an SVG picture of a terminal (Rich's ``export_svg``)."""
    console = chart_console(io.StringIO(), lay.width, True, record=True)
    for line in chart_lines(lay):
        console.print(line, no_wrap=True, overflow="crop")
    ctx.out.write(str(console.export_svg(title=title, code_format=TEMPLATE,
                                         font_aspect_ratio=ASPECT)))
