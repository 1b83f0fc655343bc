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

#: Formats that print one event a line, streamed as the events are read.
STREAMED = frozenset((Format.PLAIN, Format.JSONL, Format.CSV))
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
    calendars: Annotated[bool, typer.Option(
        "--calendars", help="Also give each date in the calendars of its sources: Old Style "
                            "for Russian events before 14 Feb 1918, the Japanese era, the "
                            "Minguo year, the Manchukuo and Bogd Khan eras.")] = False,
) -> None:
    """Events in date order, filtered by date range, tag and entity.

    --from and --to take EDTF or a date as written: Aug 1939, 9 June 1940, 9.6.1940
    (day.month.year), Shōwa 14, 昭和14年8月20日, 民国28年, 康德6年, 1904-01-27 O.S.

    Example: khalkhin timeline --from 1939-05 --to 1939-09 --tag khalkhin-gol
    """
    from khalkhin import query
    from khalkhin.views import records

    chron = load_chronology(opts)
    ids = resolve_entities(chron, entity or [])
    how = plan("timeline", opts, "timeline")
    if how.fmt in STREAMED and not reverse:
        # Line formats print each event as it is read: the first line comes out before
        # the last event is read, and memory stays that of one event.
        import itertools

        found = query.timeline_iter(chron, start=start, end=end, tags=tag or [],
                                    entities=ids, strict=strict)
        if limit is not None:
            found = itertools.islice(found, limit)
        first = next(found, None)
        if first is None:
            say("no events match")
            return
        rows = records.stream(itertools.chain((first,), found), chron if calendars else None)
        emit("timeline", rows, opts, chron, long=long, how=how)
        return
    events = query.timeline(chron, start=start, end=end, tags=tag or [], entities=ids,
                            strict=strict, reverse=reverse, limit=limit)
    if not events:
        say("no events match")
        return
    emit("timeline", records.timeline(events, chron if calendars else None), opts, chron,
         long=long, how=how)


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


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def day_of_year(text: str) -> tuple[int, int, str | None]:
    """The day of the year as typed (MM-DD, 20 Aug, Aug 20, 20.8., 8月20日, … O.S.):
    (month, day, calendar or None); see :func:`khalkhin.datetext.day_of_year`."""
    from khalkhin.datetext import day_of_year as read

    return read(text)


def _calendar_choice(value: str | None) -> str | None:
    if value is not None and value not in ("gregorian", "julian"):
        raise typer.BadParameter(f"'{value}': use gregorian or julian")
    return value


@command("on-this-day")
def on_this_day(
    opts: Common,
    day: Annotated[str | None, typer.Argument(
        metavar="[DAY]",
        help="The day of the year: 08-20, 20 Aug, Aug 20, 20.8. (day, month), 8月20日; "
             "'27 Jan O.S.' for an Old Style day (default: today).")] = None,
    today: Annotated[str | None, typer.Option(
        "--today", metavar="YYYY-MM-DD", envvar="KHALKHIN_TODAY",
        help="Take this date as today (for \"N years ago\" and the default day). "
             "Also KHALKHIN_TODAY.")] = None,
    calendar: Annotated[str | None, typer.Option(
        "--calendar", metavar="gregorian|julian", callback=_calendar_choice,
        help="The calendar of the day: julian matches Russian events by their Old Style day "
             "(today's Old Style day by default).")] = None,
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
    if day is not None:
        month, dom, style = day_of_year(day)
        if calendar is not None and style is not None and style != calendar:
            kind = "an Old Style" if style == "julian" else "a New Style"
            raise UsageError(f"'{day}' is {kind} day, but --calendar says {calendar}")
        calendar = calendar or style or "gregorian"
    else:
        calendar = calendar or "gregorian"
        if calendar == "julian":
            from khalkhin.calendars import to_julian

            _, month, dom = to_julian(now)
        else:
            month, dom = now.month, now.day
    chron = load_chronology(opts)
    found = listing.on_this_day(chron, month, dom, now, tags=tag or [], calendar=calendar)
    if not found.rows:
        old = " (Old Style)" if calendar == "julian" else ""
        say(f"no events with a known day on {dom} {_MONTHS[month - 1]}{old}")
        return
    emit("records", found, opts, chron, command="on-this-day")
