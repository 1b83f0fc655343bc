"""Commands: chart (a Gantt-style chart) and on-this-day (registered on khalkhin.cli.app)."""

from __future__ import annotations

import enum
import re
import sys
from datetime import date
from typing import Annotated, Any

import typer

from khalkhin.cli import (
    Common,
    EndOpt,
    EntityOpt,
    StartOpt,
    TagOpt,
    command,
    data_files,
    emit,
    load_chronology,
    resolve_entities,
)
from khalkhin.errors import UsageError
from khalkhin.render import Format

SVG_WIDTH = 100  # columns of an SVG chart unless --width says otherwise


class ChartFormat(enum.StrEnum):
    """Output forms of the chart."""

    AUTO = "auto"
    TABLE = "table"
    PLAIN = "plain"
    SVG = "svg"


@command(shared=("color", "output", "force", "data", "no_bundled", "no_cache"))
def chart(
    opts: Common,
    start: StartOpt = None,
    end: EndOpt = None,
    tag: TagOpt = None,
    entity: EntityOpt = None,
    kind: Annotated[list[str] | None, typer.Option(
        "--kind", "-k", metavar="KIND",
        help="Only rows of this kind: war, occupation, treaty, operation, battle, office, "
             "event (repeatable).")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0,
                                       help="At most N bars (default 40; 0: no limit).")] = 40,
    width: Annotated[int | None, typer.Option("--width", "-w", min=30, metavar="COLUMNS",
                                              help="Chart width (default: the terminal's; "
                                                   f"{SVG_WIDTH} for svg).")] = None,
    fmt: Annotated[ChartFormat, typer.Option(
        "--format", "-f", case_sensitive=False,
        help="auto (colour on a terminal, plain otherwise), table, plain (ASCII), svg.")]
    = ChartFormat.AUTO,
) -> None:
    """A chart of the wars, battles, occupations, treaties and lasting events over time.

    With --tag or --entity, the rows are what the matching events name, and an entity's
    offices held (its dated commands) are rows too.

    Example: khalkhin chart --from 1939-05 --to 1939-09
    """
    from khalkhin import chart as charts
    from khalkhin import term
    from khalkhin.render import Ctx
    from khalkhin.render import chart as draw

    bad = [k for k in kind or [] if k not in charts.KINDS]
    if bad:
        raise UsageError(f"--kind: '{bad[0]}' is not one of {', '.join(charts.KINDS)}")
    chron = load_chronology(opts)
    ids = resolve_entities(chron, entity or [])
    built = charts.build(chron, start=start, end=end, tags=tag or [], entities=ids,
                         kinds=kind or [], limit=limit)
    if not built.rows:
        sys.stderr.write("khalkhin: nothing to chart\n")
        return
    to_file = opts.output not in (None, "-")
    terminal = term.detect(sys.stdout, opts.color)
    form = fmt
    if form is ChartFormat.AUTO:
        form = ChartFormat.TABLE if terminal.isatty and not to_file else ChartFormat.PLAIN
    cols = width or (SVG_WIDTH if form is ChartFormat.SVG else terminal.width)
    lay = charts.layout(built, cols)
    if built.hidden:
        sys.stderr.write(f"khalkhin: {built.hidden} more row"
                         f"{'s' if built.hidden != 1 else ''} not shown; use --limit 0 for "
                         "all, or narrow with --from/--to, --tag, --kind\n")
    with term.output_to(opts.output, opts.force, data_files(opts)) as out:
        if form is ChartFormat.SVG:
            out.write(draw.svg(lay))
        else:
            ctx = Ctx(out=out, fmt=Format(form.value), width=cols,
                      color=terminal.color and not to_file, chron=chron)
            (draw.table if form is ChartFormat.TABLE else draw.plain)(lay, ctx)
        out.flush()


_MM_DD = re.compile(r"(\d{2})-(\d{2})")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def day_of_year(text: str) -> tuple[int, int]:
    """MM-DD as (month, day); 02-29 is a day of the year."""
    m = _MM_DD.fullmatch(text.strip())
    if m is None:
        raise UsageError(f"'{text}' is not a day of the year; give MM-DD, e.g. 08-20")
    month, day = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12 or not 1 <= day <= _DAYS[month - 1]:
        raise UsageError(f"'{text}' is not a day of the year; give MM-DD, e.g. 08-20")
    return month, day


def ago(years: int) -> str:
    """"86 years ago", "1 year ago", "this year", "in 2 years"."""
    if years == 0:
        return "this year"
    if years < 0:
        return f"in {-years} year{'s' if years != -1 else ''}"
    return f"{years} year{'s' if years != 1 else ''} ago"


def on_this_day_rows(chron: Any, month: int, day: int, today: date) -> list[dict[str, Any]]:
    """Events dated exactly (one day, no ~ or ?) on month-day, oldest first."""
    from khalkhin import dates, views

    rows = []
    for ev in chron.events:
        d = ev.date
        if d.known_day != (month, day) or d.start.approximate or d.start.uncertain:
            continue
        year = date.fromordinal(d.lower).year
        rec = views.event_record(ev)
        rec["year"] = year
        rec["years_ago"] = today.year - year
        rec["ago"] = ago(today.year - year)
        rec["when"] = dates.human(d)
        rows.append(rec)
    return rows


@command("on-this-day")
def on_this_day(
    opts: Common,
    day: Annotated[str | None, typer.Argument(metavar="[MM-DD]",
                                              help="The day of the year (default: "
                                                   "today).")] = None,
    today: Annotated[str | None, typer.Option(
        "--today", metavar="YYYY-MM-DD", envvar="KHALKHIN_TODAY",
        help="Take this date as today (for \"N years ago\" and the default day). "
             "Also KHALKHIN_TODAY.")] = None,
    tag: TagOpt = None,
) -> None:
    """Events that happened on this day of the year, with how many years ago.

    Only events whose day is exactly known are listed.

    Example: khalkhin on-this-day 08-20
    """
    from khalkhin.render import Listing

    if today is None:
        now = date.today()
    else:
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", today):
                raise ValueError
            now = date.fromisoformat(today)
        except ValueError:
            raise UsageError(f"--today: '{today}' is not a date; give YYYY-MM-DD") from None
    month, dom = day_of_year(day) if day is not None else (now.month, now.day)
    chron = load_chronology(opts)
    rows = on_this_day_rows(chron, month, dom, now)
    if tag:
        rows = [r for r in rows if set(tag).issubset(r["tags"])]
    label = f"{dom} {_MONTHS[month - 1]}"
    if not rows:
        sys.stderr.write(f"khalkhin: no events with a known day on {label}\n")
        return
    listing = Listing("on-this-day", [("date", "Date"), ("ago", "When"), ("title", "Event")],
                      rows, title=f"On this day, {label}")
    emit("records", listing, opts, chron)

