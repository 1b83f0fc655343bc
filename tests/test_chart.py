"""The chart (rows, zoom, widths, plain, colour and SVG) and on-this-day."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from khalkhin.chronology import load
from khalkhin.render import Ctx
from khalkhin.render import table as draw
from khalkhin.views import chart

DATA = Path(__file__).resolve().parent / "data" / "chart.yaml"
OPTS = ["--no-bundled", "--data", str(DATA)]


@pytest.fixture(scope="module")
def chron() -> Any:
    return load([str(DATA)], bundled=False, use_cache=False)


def day(text: str) -> int:
    return date.fromisoformat(text).toordinal()


# --- the library: rows --------------------------------------------------------------------------


def test_rows_markers_and_axis(chron: Any) -> None:
    c = chart.build(chron)
    assert [(r.id, r.kind) for r in c.rows] == [
        ("long-war", "war"), ("battle-of-b", "battle"), ("treaty-of-c", "treaty"),
        ("long-event", "event"), (chart.POINTS, chart.POINTS)]
    rows = {r.id: r for r in c.rows}
    # Point events sit on the row of the entity they name, or on a row of their own.
    assert rows["battle-of-b"].markers == ((day("1912-04-10"), "b-opens"),)
    assert rows["long-war"].markers == ((day("1918-11-11"), "armistice"),)
    assert [e for _, e in rows[chart.POINTS].markers] == ["unlinked-day", "approximate-day"]
    # The interval event with its war's dates is drawn on the war's row only; the person
    # is never a row; the treaty's open end does not stretch the axis.
    assert "long-war-event" not in rows and "somebody" not in rows
    assert (c.lower, c.upper, c.unit) == (day("1910-01-01"), day("1919-12-31"), chart.YEAR)


def test_filters_kinds_and_limit(chron: Any) -> None:
    assert [r.id for r in chart.build(chron, tags=["b"]).rows] == ["battle-of-b"]
    assert [r.id for r in chart.build(chron, entities=["long-war"]).rows] == ["long-war"]
    assert [r.id for r in chart.build(chron, kinds=["treaty"]).rows] == ["treaty-of-c"]
    c = chart.build(chron, start="1916", end="1916")
    assert [r.id for r in c.rows] == ["long-war", "treaty-of-c", "long-event"]
    assert c.unit == chart.MONTH
    limited = chart.build(chron, limit=2)
    assert limited.hidden == 2
    assert [r.id for r in limited.rows] == ["long-war", "treaty-of-c", chart.POINTS]
    assert chart.build(chron, start="1800", end="1801").rows == ()


@pytest.mark.parametrize(("start", "end", "unit"), [
    ("1904-01-01", "1946-12-31", chart.YEAR),
    ("1939-01-01", "1940-12-31", chart.MONTH),
    ("1939-05-01", "1939-09-30", chart.MONTH),
    ("1939-08-01", "1939-08-31", chart.DAY),
    ("1939-08-20", "1939-08-20", chart.DAY),
])
def test_zoom_unit(start: str, end: str, unit: str) -> None:
    assert chart.unit_for(day(start), day(end)) == unit


def test_bar_positions(chron: Any) -> None:
    lay = chart.layout(chart.build(chron), 80)
    assert (lay.label_width, lay.bar_width) == (24, 55)
    cells = dict(zip([r.id for r in lay.chart.rows], lay.cells, strict=True))
    assert cells["long-war"] == "=" * 48 + "*" + "=" * 6  # the whole axis, armistice in 1918
    b = cells["battle-of-b"]
    assert (b.index("="), b.rindex("=")) == (11, 13)  # Mar–Jun 1912: 5.5 columns a year
    assert b[12] == "*"
    assert cells["treaty-of-c"].endswith("=>")  # still in force after the chart
    assert [c for c, _ in lay.ticks] == [0, 5, 10, 16, 22, 27, 32, 38, 44, 49]


def test_ticks_never_touch() -> None:
    for lo, hi in (("1904-01-01", "1956-12-31"), ("1939-05-01", "1939-09-30"),
                   ("1939-08-20", "1939-08-31"), ("1912-02-01", "1912-03-31")):
        c = chart.Chart((), day(lo), day(hi), chart.unit_for(day(lo), day(hi)))
        for width in (27, 55, 159):
            placed = [(col, text) for col, text in chart.ticks(c, width) if text]
            assert placed, (lo, width)
            for (a, ta), (b, _) in zip(placed, placed[1:], strict=False):
                assert a + len(ta) < b
            assert all(col + len(text) <= width for col, text in placed)


# --- the command: plain text --------------------------------------------------------------------

PLAIN_80 = """\
                         1910 1911 1912  1913  1914 1915 1916  1917  1918 1919
                         +----+----+-----+-----+----+----+-----+-----+----+-----
Long War                 ================================================*======
Battle of B              .    .    .#*#  .     .    .    .     .     .    .
Treaty of C, with a n... .    .    .     .     .    . ------------------------->
Long event               .    .    .     .     .    .    ::::::::::::.    .
Other events             .    .  * .     .     .   *.    .     .     .    .
                         +----+----+-----+-----+----+----+-----+-----+----+-----
                         1910 1911 1912  1913  1914 1915 1916  1917  1918 1919

= war  - treaty  # battle  : event  * point event  < > runs on beyond the chart
"""

PLAIN_40 = """\
             1910 1912 1914  1916 1918
             +----+----+-----+----+-----
Long War     =======================*===
Battle of B  .    #*   .     .    .
Treaty of... .    .    .   ------------>
Long event   .    .    .     ::::::
Other events .   *.    .  *  .    .
             +----+----+-----+----+-----
             1910 1912 1914  1916 1918

= war  - treaty  # battle  : event
* point event
< > runs on beyond the chart
"""


def test_plain_80(run: Any) -> None:
    r = run("chart", *OPTS, "--width", "80")
    assert r.exit_code == 0
    assert r.stdout == PLAIN_80


def test_plain_40_and_format_plain(run: Any) -> None:
    r = run("chart", *OPTS, "-w", "40", "--format", "plain")
    assert r.stdout == PLAIN_40


def test_width_200_has_room_for_whole_labels(run: Any) -> None:
    lines = run("chart", *OPTS, "--width", "200").stdout.splitlines()
    assert max(len(line) for line in lines) == 200
    assert lines[0].split() == [str(y) for y in range(1910, 1920)]
    assert lines[2].startswith("Long War" + " " * 33 + "=" * 100)
    assert lines[4].startswith("Treaty of C, with a name too long for... ")
    assert lines[4].endswith("-->")


def test_zoom_months_and_days(run: Any) -> None:
    months = run("chart", *OPTS, "--from", "1912-02", "--to", "1912-06", "-w", "60").stdout
    assert months.splitlines()[0].split() == ["Feb", "1912", "Mar", "Apr", "May", "Jun"]
    assert "Battle of B" in months and "Long event" not in months
    days = run("chart", *OPTS, "--from", "1912-04-01", "--to", "1912-04-20", "-w", "60").stdout
    assert days.splitlines()[0].split() == ["1", "Apr", "6", "11", "16"]
    assert days.splitlines()[3] == "Battle of B <####################*#########################>"


def test_limit_is_said_on_stderr(run: Any) -> None:
    r = run("chart", *OPTS, "--limit", "1", "-w", "60")
    assert r.exit_code == 0
    assert "khalkhin: 3 more rows not shown; use --limit 0 for all" in r.stderr
    assert "Battle of B" not in r.stdout


def test_nothing_to_chart_and_bad_values(run: Any) -> None:
    r = run("chart", *OPTS, "--from", "1800", "--to", "1801")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "khalkhin: nothing to chart\n")
    r = run("chart", *OPTS, "--kind", "person")
    assert r.exit_code == 2
    assert r.stderr.startswith("khalkhin: error: --kind: 'person' is not one of war,")
    r = run("chart", *OPTS, "--from", "1939-13")
    assert r.exit_code == 2 and r.stderr.startswith("khalkhin: error: ")


# --- colour and SVG -----------------------------------------------------------------------------


def test_colour_on_a_terminal(chron: Any) -> None:
    lay = chart.layout(chart.build(chron), 80)
    out = io.StringIO()
    draw.chart(lay, Ctx(out=out, width=80, color=True))
    text = out.getvalue()
    assert "\x1b[31m" + "\u2588" * 48 in text  # the war in red blocks
    assert "Long War" in text and "\u25c6" in text
    out = io.StringIO()
    draw.chart(lay, Ctx(out=out, width=80, color=False))  # no colour: the ASCII chart
    assert out.getvalue() == PLAIN_80


def test_svg_parses_and_has_the_labels(run: Any, tmp_path: Path) -> None:
    target = tmp_path / "chart.svg"
    r = run("chart", *OPTS, "--format", "svg", "-o", str(target))
    assert r.exit_code == 0 and r.stdout == ""
    root = ET.parse(target).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = " ".join("".join(e.itertext()) for e in root.iter()).replace("\xa0", " ")
    for label in ("Long War", "Battle of B", "Long event", "Other events", "1915", "treaty"):
        assert label in text
    again = run("chart", *OPTS, "--format", "svg", "-o", str(target))
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_svg_is_self_contained(run: Any, tmp_path: Path) -> None:
    import re

    target = tmp_path / "chart.svg"
    run("chart", *OPTS, "--format", "svg", "-o", str(target))
    svg = target.read_text(encoding="utf-8")
    # Nothing is fetched: no font file, no stylesheet or image from anywhere.
    assert "@font-face" not in svg and "@import" not in svg and "href" not in svg
    assert re.findall(r"url\(([^)]*)\)", svg) and all(
        u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", svg))
    assert set(re.findall(r"https?://[^\s\"'<>)]+", svg)) <= {
        "http://www.w3.org/2000/svg", "https://www.textualize.io;"}
    assert "font-family: ui-monospace" in svg and svg.rstrip().endswith("</svg>")
    ET.fromstring(svg)


# --- on-this-day --------------------------------------------------------------------------------


def test_on_this_day_fixed_date(run: Any) -> None:
    r = run("on-this-day", "11-11", "--today", "2020-06-01", *OPTS)
    assert (r.exit_code, r.stdout) == (0, "1918-11-11  102 years ago  Armistice\n")
    # Today by default, taken from the environment: the approximate day is left out.
    r = run("on-this-day", *OPTS, env={"KHALKHIN_TODAY": "1919-04-10"})
    assert r.stdout == "1912-04-10  7 years ago  Battle of B opens\n"


def test_on_this_day_json(run: Any) -> None:
    r = run("on-this-day", "04-10", "--today", "1913-01-01", "-f", "json", *OPTS)
    (rec,) = json.loads(r.stdout)
    assert (rec["id"], rec["year"], rec["years_ago"], rec["ago"]) == (
        "b-opens", 1912, 1, "1 year ago")


def test_on_this_day_nothing_and_errors(run: Any) -> None:
    r = run("on-this-day", "02-29", "--today", "2020-01-01", *OPTS)
    assert (r.exit_code, r.stdout) == (0, "")
    assert r.stderr == "khalkhin: no events with a known day on 29 February\n"
    for bad, why in (("13-01", "'13-01': month 13 is out of range (1–12)"),
                     ("02-30", "'02-30': day 30 is out of range (February has at most 29 days)"),
                     ("today", "'today' is not a day of the year; give it like 08-20, 20 Aug, "
                               "Aug 20, 20.8., 8月20日, 27 Jan O.S.")):
        r = run("on-this-day", bad, *OPTS)
        assert r.exit_code == 2
        assert r.stderr == f"khalkhin: error: {why}\n"
    r = run("on-this-day", "--today", "2020-02-30", *OPTS)
    assert r.exit_code == 2 and "--today: '2020-02-30' is not a date" in r.stderr


def test_chart_library_imports_no_rich() -> None:
    code = "import sys, khalkhin.views.chart; sys.exit('rich' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_offices_held_are_rows_for_an_entity(run: Any, mini: list[str]) -> None:
    out = run("chart", *mini, "--entity", "zhukov", "--format", "plain", "--width", "80")
    assert out.exit_code == 0
    rows = [line for line in out.stdout.splitlines() if line.startswith("Georgy Zhukov: ")]
    assert len(rows) == 1
    label, cells = rows[0][:24], rows[0][25:]
    assert label.startswith("Georgy Zhukov: comman")
    assert "o" in cells and "o office" in out.stdout


def test_offices_by_kind_without_an_entity(run: Any, mini: list[str]) -> None:
    out = run("chart", *mini, "--kind", "office", "--format", "plain", "--width", "80")
    assert out.exit_code == 0
    body = [line for line in out.stdout.splitlines() if "o" in line[25:] and ":" in line[:25]]
    assert [line[:24].rstrip() for line in body] == ["Georgy Zhukov: comman..."]
    no_office = run("chart", *mini, "--format", "plain", "--width", "80").stdout
    assert "Zhukov: commanded" not in no_office


def test_an_unknown_end_is_not_drawn_as_running_on() -> None:
    from khalkhin.dates import parse
    from khalkhin.views import chart as charts

    day = date(1936, 11, 25).toordinal()
    assert charts.span(parse("1936-11-25/")) == (day, day)
    assert charts.span(parse("/1936-11-25")) == (day, day)
    open_end = parse("1936-11-25/..")
    assert charts.span(open_end) == (day, open_end.upper)
    assert charts.span(parse("1938-07-29/1938-08-11")) == (
        date(1938, 7, 29).toordinal(), date(1938, 8, 11).toordinal())
