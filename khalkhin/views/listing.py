"""Listings: search results, entities, tags, sources, figures and on-this-day, as rows.

A :class:`Listing` is a list of flat records with named columns, except ``figures``, whose
rows are ``{"subject", "subject_label", "property", "claims": [{"value", "amount",
"source", "locator", "citation", "note"}], "disputed": bool, "status": str, "values": str}``
(for text formats: ``status`` is "DISPUTED", "agreed" or "single", and ``values`` is
every claim on one line).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from khalkhin import dates
from khalkhin.errors import UsageError
from khalkhin.model import Chronology, Claim, SourceRef
from khalkhin.views.records import claim_record, event_record, source_line, source_record

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


@dataclass
class Listing:
    """A list of records with named columns (search, list, tags, sources, figures)."""

    kind: str  # the command: "search", "list", "tags", "sources", "figures"
    columns: list[tuple[str, str]]  # (key, header) shown by text formats, in order
    rows: list[dict[str, Any]]  # complete records (json shows every key)
    title: str = ""


def figures(chron: Chronology, subject: str | None = None,
            topics: Iterable[str] = ()) -> Listing:
    """Claims grouped by subject and property; a group whose values differ is disputed.

    ``topics`` (words claims use: ``losses``, ``tank``…) keep the claims whose property or
    note speaks of one of them."""
    from khalkhin.querytext import tokens

    wanted = set(topics)
    groups: dict[tuple[str, str], list[Claim]] = {}
    for c in chron.claims:
        if subject is not None and c.subject != subject:
            continue
        if wanted and not wanted.intersection(tokens(f"{c.property.replace('-', ' ')} "
                                                     f"{c.note or ''}")):
            continue
        groups.setdefault((c.subject, c.property), []).append(c)
    rows: list[dict[str, Any]] = []
    for (subj, prop), claims in groups.items():
        recs = [claim_record(chron, c) for c in claims]
        for r in recs:
            del r["property"]
        rows.append({
            "subject": subj,
            "subject_label": chron.label_of(subj),
            "property": prop,
            "claims": recs,
            "disputed": _disputed(claims),
            "values": "; ".join(source_line(c) for c in claims),
        })
    rows.sort(key=lambda r: (r["subject_label"].casefold(), r["property"]))
    for r in rows:
        r["status"] = ("DISPUTED" if r["disputed"] else
                       "agreed" if len(r["claims"]) > 1 else "single")
    return Listing("figures", [("subject_label", "Subject"), ("property", "Property"),
                               ("status", "Sources"), ("values", "Claims [source]")], rows,
                   title="Figures")


def _disputed(claims: list[Claim]) -> bool:
    """Two or more claims that do not state the same figure."""
    amounts = {c.amount for c in claims if c.amount is not None}
    if len(amounts) > 1:
        return True
    values = {" ".join(c.value.casefold().split()) for c in claims}
    return len(values) > 1 and not amounts


def entity_list(chron: Chronology, kind: str | None = None) -> Listing:
    rows = []
    for ent in sorted(chron.entities.values(), key=lambda e: (e.kind, e.name.casefold(), e.id)):
        if kind is not None and ent.kind != kind:
            continue
        rows.append({
            "id": ent.id,
            "kind": ent.kind,
            "name": ent.name,
            "aliases": list(ent.aliases),
            "dates": ent.dates.text if ent.dates else None,
            "summary": ent.summary,
            "events": chron.event_count(ent.id),
        })
    return Listing("list", [("id", "Id"), ("kind", "Kind"), ("name", "Name"),
                            ("summary", "Summary")], rows,
                   title=f"Entities: {kind}" if kind else "Entities")


def tag_list(chron: Chronology) -> Listing:
    stats = chron.tag_stats()
    rows = [{"tag": t, "events": n, "first": first, "last": last}
            for t, (n, first, last) in sorted(stats.items(), key=lambda kv: (-kv[1][0], kv[0]))]
    return Listing("tags", [("tag", "Tag"), ("events", "Events"), ("first", "First"),
                            ("last", "Last")], rows, title="Tags")


def source_list(chron: Chronology) -> Listing:
    """Every source with how many facts cite it (entities, events and claims)."""

    cites: dict[str, dict[str, int]] = {
        s: {"entities": 0, "events": 0, "claims": 0} for s in chron.sources}

    def count(refs: Iterable[SourceRef], what: str) -> None:
        for sid in {r.source for r in refs}:
            cites.setdefault(sid, {"entities": 0, "events": 0, "claims": 0})[what] += 1

    for ent in chron.entities.values():
        count(ent.sources, "entities")
    for ev in chron.events:
        count(ev.sources, "events")
    for c in chron.claims:
        count([c.source], "claims")
    rows = []
    for sid, n in cites.items():
        rec = source_record(chron, sid)
        rec.update(n)
        rec["facts"] = n["entities"] + n["events"] + n["claims"]
        rows.append(rec)
    rows.sort(key=lambda r: (-r["facts"], r["id"]))
    return Listing("sources", [("id", "Id"), ("facts", "Facts"), ("citation", "Citation")],
                   rows, title="Sources")


def search_list(hits: Iterable[Any]) -> Listing:
    rows = [{"id": h.id, "kind": h.kind, "label": h.label, "date": h.date, "score": h.score,
             "field": h.field, "matched": h.matched} for h in hits]
    return Listing("search", [("score", "Score"), ("kind", "Kind"), ("id", "Id"),
                              ("label", "Label"), ("date", "Date"), ("field", "Matched")],
                   rows, title="Search")


def on_this_day(chron: Chronology, month: int, day: int, today: date,
                tags: Iterable[str] = (), calendar: str = "gregorian") -> Listing:
    """Events dated exactly (one day, no ~ or ?) on month-day, oldest first, with how long
    ago they were (as seen from ``today``).

    With ``calendar="julian"`` the month and day are Old Style: the events shown in the
    Julian calendar (Russian ones before 14 Feb 1918) whose Old Style day it is; each row
    also carries its Old Style date (``julian``)."""
    if calendar not in ("gregorian", "julian"):
        raise UsageError(f"--calendar: '{calendar}': use gregorian or julian")
    from khalkhin.query import resolve_tags

    want = set(resolve_tags(chron, tags))
    rows = []
    julian = calendar == "julian"
    if julian:
        from khalkhin.calendars import FIRST_NEW_STYLE, calendars_for, event_calendars, to_julian

        last_old = FIRST_NEW_STYLE.toordinal()
    for ev in (chron.events if julian else chron.events_on(month, day)):
        d = ev.date
        exact = d.known_day
        if exact is None or d.start.approximate or d.start.uncertain:
            continue
        if julian:
            if d.lower >= last_old or "julian" not in event_calendars(chron, ev):
                continue
            if to_julian(date.fromordinal(d.lower))[1:] != (month, day):
                continue
        elif exact != (month, day):
            continue
        if want and not want.issubset(ev.tags):
            continue
        year = date.fromordinal(d.lower).year
        rec = event_record(ev)
        rec["year"] = year
        rec["years_ago"] = today.year - year
        rec["ago"] = ago(today.year - year)
        rec["when"] = dates.human(d)
        if julian:
            rec["julian"] = calendars_for(d, ["julian"])["julian"]
        rows.append(rec)
    label = f"{day} {_MONTHS[month - 1]}"
    if julian:
        return Listing("on-this-day", [("date", "Date"), ("julian", "Old Style"), ("ago", "When"),
                                       ("title", "Event")], rows,
                       title=f"On this day, {label} (Old Style)")
    return Listing("on-this-day", [("date", "Date"), ("ago", "When"), ("title", "Event")],
                   rows, title=f"On this day, {label}")


def ago(years: int) -> str:
    """"86 years ago", "1 year ago", "this year", "in 2 years"."""
    if years == 0:
        return "this year"
    if years < 0:
        return f"in {-years} year{'s' if years != -1 else ''}"
    return f"{years} year{'s' if years != 1 else ''} ago"
