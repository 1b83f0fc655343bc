"""Commands over time: timeline, chart (a Gantt-style chart) and on-this-day."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

import typer

from khalkhin.cli.common import (
    Common,
    EndOpt,
    EntityOpt,
    StartOpt,
    TagOpt,
    command,
    emit,
    load_chronology,
    plan,
    resolve_entities,
    say,
)
from khalkhin.errors import UsageError
from khalkhin.render import Format

SVG_WIDTH = 100  # columns of an SVG chart unless --width says otherwise
MAX_WIDTH = 1000  # widest chart drawn


@command()
def timeline(
    opts: Common,
    start: StartOpt = None,
    end: EndOpt = None,
    tag: TagOpt = None,
    entity: EntityOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Only events wholly inside the range "
                                                          "(default: overlapping it).")] = False,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Newest first.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=0,
                                              help="At most N events.")] = None,
    long: Annotated[bool, typer.Option("--long", "-l", help="Add each event's summary.")] = False,
) -> None:
    """Events in date order, filtered by date range, tag and entity.

    Example: khalkhin timeline --from 1939-05 --to 1939-09 --tag khalkhin-gol
    """
    from khalkhin import query
    from khalkhin.views import records

    chron = load_chronology(opts)
    ids = resolve_entities(chron, entity or [])
    events = query.timeline(chron, start=start, end=end, tags=tag or [], entities=ids,
                            strict=strict, reverse=reverse, limit=limit)
    if not events:
        say("no events match")
        return
    emit("timeline", records.timeline(events), opts, chron, long=long)


@command(shared=("fmt", "color", "output", "force", "data", "no_bundled", "no_cache"))
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
    width: Annotated[int | None, typer.Option("--width", "-w", min=30, max=MAX_WIDTH,
                                              metavar="COLUMNS",
                                              help="Chart width (default: the terminal's; "
                                                   f"{SVG_WIDTH} for svg).")] = None,
) -> None:
    """A chart of the wars, battles, occupations, treaties and lasting events over time.

    With --tag or --entity, the rows are what the matching events name, and an entity's
    offices held (its dated commands) are rows too.

    Example: khalkhin chart --from 1939-05 --to 1939-09
    """
    from khalkhin.views import chart as charts

    bad = [k for k in kind or [] if k not in charts.KINDS]
    if bad:
        raise UsageError(f"--kind: '{bad[0]}' is not one of {', '.join(charts.KINDS)}")
    how = plan("chart", opts, "chart")
    chron = load_chronology(opts)
    ids = resolve_entities(chron, entity or [])
    built = charts.build(chron, start=start, end=end, tags=tag or [], entities=ids,
                         kinds=kind or [], limit=limit)
    if not built.rows:
        say("nothing to chart")
        return
    cols = width or (SVG_WIDTH if how.fmt is Format.SVG else how.width)
    if built.hidden:
        say(f"{built.hidden} more row{'s' if built.hidden != 1 else ''} not shown; use "
            "--limit 0 for all, or narrow with --from/--to, --tag, --kind")
    emit("chart", charts.layout(built, cols), opts, chron, how=how._replace(width=cols))


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
    from khalkhin.views import listing

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
    found = listing.on_this_day(chron, month, dom, now, tags=tag or [])
    if not found.rows:
        say(f"no events with a known day on {dom} {_MONTHS[month - 1]}")
        return
    emit("records", found, opts, chron, command="on-this-day")

