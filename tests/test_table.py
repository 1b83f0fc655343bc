"""The terminal table: Grid draws byte for byte what rich.table.Table draws, only faster."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khalkhin import chronology, query
from khalkhin.render import Ctx, Format
from khalkhin.render.table import (
    Column,
    Grid,
    _short,
    console,
    draw,
    records,
    rich_table,
    timeline,
    widths,
)
from khalkhin.text import clean
from khalkhin.views import records as views
from khalkhin.views.listing import Listing

ANSI = re.compile(r"\x1b\[[0-9;]*m")

# Words as chronologies have them, and the awkward ones: wide CJK and emoji, combining
# marks, runs of spaces, words longer than any column, dashes, ellipses, line separators.
WORDS = ["a", "Khalkhin", "Gol", "1939", "—", "–", "Ōshima", "満洲国", "張作霖", "🙂", "e\u0301",
         "ﾊﾙﾊ", "x" * 37, "Nomonhan/Khalkhin-Gol", "…", "(c.", "~", " ", "   ", "\u2028", "\t"]
text = st.lists(st.sampled_from(WORDS), max_size=14).map(
    lambda ws: clean(" ".join(ws)))
column = st.builds(Column, header=text.filter(bool), style=st.sampled_from(["", "cyan", "green"]),
                   no_wrap=st.booleans(), overflow=st.sampled_from(["fold", "ellipsis"])).map(
    lambda c: c if c.no_wrap else c._replace(overflow="fold"))


def titled(draw: Any) -> str:
    titles = ["", "Figures", "Entities: person", "満洲国 — a long title " * 3]
    return str(draw(st.sampled_from(titles)))


def out(renderable: Any, width: int, color: bool, **kw: Any) -> str:
    buf = io.StringIO()
    console(Ctx(out=buf, fmt=Format.TABLE, width=width, color=color)).print(renderable, **kw)
    return buf.getvalue()


@st.composite
def tables(draw: Any) -> tuple[list[Column], list[list[str]], list[list[str]], int, bool, str]:
    cols = draw(st.lists(column, min_size=1, max_size=4))
    rows = draw(st.lists(st.lists(text, min_size=len(cols), max_size=len(cols)), max_size=5))
    styles = [[draw(st.sampled_from(["", "bold", "bold red"])) for _ in cols] for _ in rows]
    return cols, rows, styles, draw(st.integers(8, 180)), draw(st.booleans()), titled(draw)


@settings(max_examples=200)
@given(tables())
def test_grid_draws_what_rich_table_draws(case: tuple[Any, ...]) -> None:
    cols, rows, styles, width, color, title = case
    ws = widths(cols, rows, width)
    if min(ws) < 3:  # draw() hands these to Rich's Table
        return
    assert out(Grid(cols, rows, styles, ws, title), width, color, crop=False) == \
        out(rich_table(cols, rows, styles, title), width, color)


@pytest.mark.parametrize("width", [40, 69, 80, 109, 120, 200])
@pytest.mark.parametrize("color", [False, True])
def test_bundled_timeline_table_is_richs_table(width: int, color: bool) -> None:
    rows = views.timeline(query.timeline(chronology.load(), start="1931"))
    buf = io.StringIO()
    timeline(rows, Ctx(out=buf, fmt=Format.TABLE, width=width, color=color))
    got = buf.getvalue()
    # The same cells through rich.table.Table: the reference drawing.
    cols = [Column("Date", "cyan", no_wrap=True, overflow="ellipsis"), Column("Event")]
    cols += [Column("Summary")] if width >= 70 else []
    cols += [Column("Tags", "green")] if width >= 110 else []
    limit = max(60, width // 2)
    cells = [[clean(r["when"]), clean(r["title"]),
              *([_short(r["summary"] or "", limit)] if width >= 70 else []),
              *([", ".join(r["tags"])] if width >= 110 else [])] for r in rows]
    styles = [["", "bold", "", ""][: len(cols)]] * len(cells)
    assert got == out(rich_table(cols, cells, styles), width, color)
    lines = ANSI.sub("", got).splitlines()
    assert all(len(line) <= width for line in lines)
    assert lines[0].startswith("\u250f") and lines[-1].startswith("\u2514")
    assert ("\x1b[36m" in got) is color  # the date column is cyan on a colour terminal
    # One line per event starts with its date (the date column never wraps).
    body = [line.split("\u2502")[1].strip() for line in lines[3:-1]]
    assert [d for d in body if d] == [clean(r["when"]) for r in rows]


def test_narrow_columns_go_to_richs_table() -> None:
    cols = [Column("Date", no_wrap=True), Column("Event"), Column("Summary")]
    rows = [["1939-08-20", "Soviet offensive", "Zhukov attacks"]]
    assert min(widths(cols, rows, 12)) < 3
    buf = io.StringIO()
    draw(cols, rows, Ctx(out=buf, fmt=Format.TABLE, width=12))
    assert buf.getvalue() == out(rich_table(cols, rows), 12, False)


def test_title_and_empty_listing() -> None:
    buf = io.StringIO()
    records(Listing("figures", [("a", "Subject"), ("b", "Value")], [], title="Figures"),
            Ctx(out=buf, fmt=Format.TABLE, width=60))
    text_out = buf.getvalue()
    assert text_out.splitlines()[0].strip() == "Figures"
    assert "Subject" in text_out and "Value" in text_out
    empty = out(Grid([Column("Id")], [], None, [4]), 40, False, crop=False)
    assert empty == out(rich_table([Column("Id")], []), 40, False)


def test_disputed_figure_is_red() -> None:
    buf = io.StringIO()
    rows = [{"status": "disputed", "disputed": True, "value": "8,931"},
            {"status": "agreed", "disputed": False, "value": "1"}]
    records(Listing("figures", [("value", "Value"), ("status", "Status")], rows),
            Ctx(out=buf, fmt=Format.TABLE, width=60, color=True))
    red = [line for line in buf.getvalue().splitlines() if "\x1b[1;31m" in line]
    assert len(red) == 1 and "disputed" in red[0]


@pytest.mark.parametrize("width", ["60", "80"])
def test_listing_columns_stay_readable_when_narrow(run: Any, width: str) -> None:
    """A first column of long labels wraps instead of squeezing the others to a letter."""
    result: Any = run("figures", "--format", "table", env={"COLUMNS": width})
    lines = result.stdout.splitlines()
    header = " ".join(lines[2:next(i for i, line in enumerate(lines) if line[0] == "\u2521")])
    assert all(h in header for h in ("Subject", "Property", "Sources", "Claims"))
    assert all(len(cell) >= 9 for cell in lines[-2].split("\u2502")[1:-1])  # no column squeezed
    listing: Any = run("list", "battle", "--format", "table", env={"COLUMNS": width})
    ids = [line.split("\u2502")[1].strip() for line in listing.stdout.splitlines()[4:-1]]
    assert "battle-of-khalkhin-gol" in ids  # identifiers are never broken across lines
