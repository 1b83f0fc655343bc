"""The profile of one entity or event (show) and items side by side (compare).

Every builder returns plain JSON-ready data (str, int, float, None, list, dict); the
renderers in ``khalkhin.render`` only lay it out. The shapes below are stable.

``profile(chron, item, alternatives=())`` → the ``profile`` view (``khalkhin show``)::

    {
      "type": "entity" | "event",
      "id": str,
      "kind": str,                # entity kind ("person", "battle", …) or "event"
      "name": str,                # entity name, or event title
      "aliases": [str],           # [] for events
      "dates": str | None,        # EDTF text (entity dates, or the event date)
      "when": str | None,         # human form: "11 May – 16 Sep 1939"
      "start": str | None,        # ISO first possible day, None when open
      "end": str | None,          # ISO last possible day, None when open
      "duration_days": int | None,
      "calendars": [              # the dates in the calendars that apply (see below)
        {"calendar": str, "label": str, "text": str,   # "julian", "Julian (Old Style)",
                                  #   "27 Jan 1904 O.S."
         "first": {"era": str | None, "year": int, "month": int | None, "day": int | None}
                  | None,         # the first day read in that calendar; None: open/outside
         "last": {…} | None,
         "given": bool}           # the data gives the date in this calendar
      ],
      "as_written": str | None,   # the date as the source writes it
      "signed": {"date": str, "when": str, "calendars": [...]} | None,   # a treaty's
                                  #   signature (entities); None for events
      "summary": str,             # "" when none
      "place": {"id": str, "kind": str, "name": str} | None,
      "outcome": str | None,
      "note": str | None,
      "tags": [str],              # [] for entities
      "relations": [              # both directions; for an event: its entities
        {"label": str,            # as read from this item: "commanded", "commanded by",
                                  #   for an event "involves"
         "type": str,             # the relation type as stated ("commanded"; "involves")
         "direction": "out" | "in",   # "in": stated on the other entity
         "id": str, "kind": str, "name": str,   # the entity at the other end
         "date": str | None, "note": str | None}
      ],
      "claims": [                 # claims whose subject is this item, in data order
        {"property": str, "value": str, "amount": float | None,
         "source": str, "locator": str | None, "citation": str, "note": str | None}
      ],
      "events": [                 # an entity's events (backlinks), in date order; [] for events
        {"id": str, "date": str, "when": str, "title": str}
      ],
      "sources": [                # cited by the record itself and by its claims
        {"id": str, "citation": str, "locators": [str], "url": str | None,
         "cited": [{"locator": str | None, "url": str | None}]}   # each distinct citation
      ],
      "alternatives": [           # close alternatives when the name was matched loosely
        {"id": str, "kind": str, "label": str, "score": float}
      ]
    }

``compare(chron, items)`` → the ``compare`` view (``khalkhin compare``)::

    {
      "items": [str],             # ids, one per column, in the order asked
      "labels": [str],            # their names / titles
      "kinds": [str],
      "rows": [
        {"attribute": str,        # a stable slug: kind, dates, duration, place, parties,
                                  #   forces, commanders, commanded, fought-in, entities,
                                  #   each claim property (strength-soviet, losses-…),
                                  #   outcome, events, first-event, last-event, sources
         "label": str,            # a header for people: "Losses (Japanese)"
         "values": [[str]]}       # one list of strings per item ([] = not applicable);
                                  # claim rows give "VALUE [SOURCE, LOCATOR]" per claim
      ]
    }

Rows that apply to none of the items are left out.

Listings (``search``, ``list``, ``tags``, ``sources``, ``figures``) are in
:mod:`khalkhin.views.listing`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from khalkhin import dates
from khalkhin.model import Chronology, Entity, Event, SourceRef
from khalkhin.views.records import calendar_records, claim_record, event_calendars, source_line

# Link labels (as seen from the item) gathered into the compare rows.
_PARTIES = ("fought by", "party", "signed by")
_COMMANDERS = ("commanded by", "led by")
_COMMANDED = ("commanded", "led")
_FOUGHT = ("fought-in", "party-to", "signed")
_SIDES = ("state", "organization", "war", "treaty", "battle", "operation", "occupation",
          "place")


def _date_fields(d: dates.Edtf | None) -> dict[str, Any]:
    if d is None:
        return {"dates": None, "when": None, "start": None, "end": None, "duration_days": None}
    return {
        "dates": d.text,
        "when": dates.human(d),
        "start": dates.iso(d.lower),
        "end": dates.iso(d.upper),
        "duration_days": dates.duration_days(d),
    }


def _kind_of(chron: Chronology, ident: str) -> str:
    ent = chron.entities.get(ident)
    if ent is not None:
        return ent.kind
    return "event" if ident in chron.event_index else "unknown"


def _ref(chron: Chronology, ident: str) -> dict[str, str]:
    return {"id": ident, "kind": _kind_of(chron, ident), "name": chron.label_of(ident)}


def _sources(chron: Chronology, refs: Iterable[SourceRef]) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in refs:
        rec = out.get(r.source)
        if rec is None:
            src = chron.sources.get(r.source)
            rec = out[r.source] = {
                "id": r.source,
                "citation": src.citation if src is not None else r.source,
                "locators": [],
                "url": src.url if src is not None else None,
                "cited": [],
            }
        if r.locator and r.locator not in rec["locators"]:
            rec["locators"].append(r.locator)
        cited = {"locator": r.locator, "url": r.url}
        if (r.locator or r.url) and cited not in rec["cited"]:
            rec["cited"].append(cited)
    return list(out.values())


def _relations(chron: Chronology, ent: Entity) -> list[dict[str, Any]]:
    out = []
    for link in chron.links(ent.id):
        other = chron.entities.get(link.other)
        out.append({
            "label": link.label,
            "type": _stated_type(link.label, link.inverse),
            "direction": "in" if link.inverse else "out",
            "id": link.other,
            "kind": other.kind if other is not None else "unknown",
            "name": other.name if other is not None else link.other,
            "date": link.date.text if link.date is not None else None,
            "note": link.note,
        })
    # What the entity states first, then what others state about it; each in data order.
    return sorted(out, key=lambda r: r["direction"] == "in")


def _stated_type(label: str, inverse: bool) -> str:
    if not inverse:
        return label
    from khalkhin.model import RELATIONS

    for t, inv in RELATIONS.items():
        if inv == label:
            return t
    return label.removesuffix(" (inverse)")


def profile(chron: Chronology, item: Entity | Event,
            alternatives: Iterable[Any] = ()) -> dict[str, Any]:
    """The profile view of an entity or an event (shape in the module docstring)."""
    alts = [{"id": h.id, "kind": h.kind, "label": h.label, "score": h.score}
            for h in alternatives]
    claims = chron.claims_about(item.id)
    claim_refs = [c.source for c in claims]
    place = _ref(chron, item.place) if item.place else None
    if isinstance(item, Entity):
        from khalkhin.calendars import entity_calendars

        cals = entity_calendars(chron, item)
        signed = None
        if item.signed is not None:
            signed = {"date": item.signed.text, "when": dates.human(item.signed),
                      "calendars": calendar_records(item.signed, cals, item.given)}
        return {
            "type": "entity",
            "id": item.id,
            "kind": item.kind,
            "name": item.name,
            "aliases": list(item.aliases),
            **_date_fields(item.dates),
            "calendars": calendar_records(item.dates, cals, item.given),
            "as_written": item.as_written,
            "signed": signed,
            "summary": item.summary,
            "place": place,
            "outcome": item.outcome,
            "note": item.note,
            "tags": [],
            "relations": _relations(chron, item),
            "claims": [claim_record(chron, c) for c in claims],
            "events": [{"id": e.id, "date": e.date.text, "when": dates.human(e.date),
                        "title": e.title} for e in chron.events_of(item.id)],
            "sources": _sources(chron, [*item.sources, *claim_refs]),
            "alternatives": alts,
        }
    relations = []
    for eid in item.entities:
        ref = _ref(chron, eid)
        relations.append({"label": "involves", "type": "involves", "direction": "out",
                          **ref, "date": None, "note": None})
    return {
        "type": "event",
        "id": item.id,
        "kind": "event",
        "name": item.title,
        "aliases": [],
        **_date_fields(item.date),
        **event_calendars(chron, item),
        "signed": None,
        "summary": item.summary,
        "place": place,
        "outcome": None,
        "note": item.note,
        "tags": list(item.tags),
        "relations": relations,
        "claims": [claim_record(chron, c) for c in claims],
        "events": [],
        "sources": _sources(chron, [*item.sources, *claim_refs]),
        "alternatives": alts,
    }


# --- compare -----------------------------------------------------------------------------------


def _duration(d: dates.Edtf | None) -> str | None:
    if d is None:
        return None
    days = dates.duration_days(d)
    if days is None or days <= 1 and not d.is_interval:
        return None
    if not d.is_interval:
        # A bare year or month: its length is the period's, not the item's.
        return None
    if days < 62:
        return f"{days} days"
    if days < 730:
        return f"{days} days (about {round(days / 30.44)} months)"
    return f"about {round(days / 365.25)} years"


def _label(attr: str) -> str:
    fixed = {"first-event": "First event", "last-event": "Last event", "fought-in": "Fought in",
             "events": "Events", "entities": "Involves"}
    if attr in fixed:
        return fixed[attr]
    head, _, rest = attr.partition("-")
    if rest:
        return f"{head.capitalize()} ({rest.replace('-', ' ').title()})"
    return head.capitalize()


def compare(chron: Chronology, items: list[Entity | Event]) -> dict[str, Any]:
    """Items side by side (shape in the module docstring)."""
    cols: list[dict[str, list[str]]] = []
    for it in items:
        col: dict[str, list[str]] = {}
        d = it.dates if isinstance(it, Entity) else it.date
        col["kind"] = [it.kind if isinstance(it, Entity) else "event"]
        col["dates"] = [f"{dates.human(d)} ({d.text})"] if d is not None else []
        dur = _duration(d)
        col["duration"] = [dur] if dur else []
        col["place"] = [chron.label_of(it.place)] if it.place else []
        if isinstance(it, Entity):
            links = chron.links(it.id)

            def names(labels: tuple[str, ...], inverse: bool,
                      kinds: tuple[str, ...] = ()) -> list[str]:
                return list(dict.fromkeys(  # noqa: B023
                    chron.label_of(lk.other) for lk in links  # noqa: B023
                    if lk.label in labels and lk.inverse is inverse
                    and (not kinds or _kind_of(chron, lk.other) in kinds)))

            # Who fought is split by kind: states and organizations are the parties,
            # units the forces, people stand with the commanders.
            col["parties"] = names(_PARTIES, True, _SIDES)
            col["forces"] = names(_PARTIES, True, ("unit",))
            col["commanders"] = list(dict.fromkeys(
                [*names(_COMMANDERS, True), *names(_PARTIES, True, ("person",))]))
            col["commanded"] = names(_COMMANDED, False)
            col["fought-in"] = names(_FOUGHT, False)
            evs = chron.events_of(it.id)
            col["outcome"] = [it.outcome] if it.outcome else []
            col["events"] = [str(len(evs))] if evs else []
            col["first-event"] = [f"{evs[0].date.text}  {evs[0].title}"] if evs else []
            col["last-event"] = [f"{evs[-1].date.text}  {evs[-1].title}"] if len(evs) > 1 else []
        else:
            col["entities"] = [chron.label_of(e) for e in it.entities]
        claims = chron.claims_about(it.id)
        for c in claims:
            col.setdefault(c.property, []).append(source_line(c))
        refs = [*it.sources, *(c.source for c in claims)]
        col["sources"] = [s["id"] for s in _sources(chron, refs)]
        cols.append(col)
    base = ["kind", "dates", "duration", "place", "parties", "forces", "commanders", "commanded",
            "fought-in", "entities"]
    props: list[str] = []
    for col in cols:
        for key in col:
            if key not in props and key not in base and key not in _TAIL:
                props.append(key)
    strengths = sorted(p for p in props if p.startswith("strength"))
    losses = sorted(p for p in props if p.startswith("losses"))
    others = sorted(p for p in props if p not in strengths and p not in losses)
    order = [*base, *strengths, *losses, *others, *_TAIL]
    rows = []
    for attr in order:
        values = [col.get(attr, []) for col in cols]
        if any(values):
            rows.append({"attribute": attr, "label": _label(attr), "values": values})
    return {
        "items": [it.id for it in items],
        "labels": [it.name if isinstance(it, Entity) else it.title for it in items],
        "kinds": [it.kind if isinstance(it, Entity) else "event" for it in items],
        "rows": rows,
    }


_TAIL = ("outcome", "events", "first-event", "last-event", "sources")
