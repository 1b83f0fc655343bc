"""Look-up commands: show, search, compare, figures, list, tags, sources."""

from __future__ import annotations

from typing import Annotated

import typer

from khalkhin.cli.common import (
    Common,
    command,
    complete_names,
    emit,
    load_chronology,
    resolved,
    say,
)
from khalkhin.errors import LookupFailed, UsageError
from khalkhin.model import KINDS


def complete_item(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Complete an entity or event id or name (show, compare)."""
    return complete_names(ctx, incomplete)


def complete_kind(incomplete: str) -> list[str]:
    return [k for k in KINDS if k.startswith(incomplete.casefold())]


@command()
def show(
    opts: Common,
    name: Annotated[str, typer.Argument(metavar="NAME", autocompletion=complete_item,
                                        help="An id, a name or any spelling of an entity, or "
                                             "an event id or title.")],
) -> None:
    """Profile of an entity or event: relations both ways, claims, events, sources.

    NAME may also be a date, in EDTF or as written (27 Jan 1904 O.S., 昭和14年8月20日):
    the event of that date.

    Example: khalkhin show zhukov
    """
    from khalkhin.views import profile

    chron = load_chronology(opts)
    found = resolved(chron, name)
    emit("profile", profile.profile(chron, found.item, found.alternatives), opts, chron,
         command="show")


@command()
def search(
    opts: Common,
    query: Annotated[list[str], typer.Argument(metavar="QUERY",
                                               help="Words to look for (names, aliases, "
                                                    "titles, summaries, tags).")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most N results.")] = 20,
) -> None:
    """Ranked entities and events matching QUERY, forgiving of case, accents and typos.

    Example: khalkhin search nomonhan
    """
    from khalkhin import search as finder
    from khalkhin.text import short
    from khalkhin.views import listing

    text = " ".join(query)
    if not text.strip():
        raise UsageError("search needs a query: a word, a name or a phrase")
    chron = load_chronology(opts)
    hits = finder.search(chron, text, limit=limit)
    if not hits:
        raise LookupFailed(f"nothing matches '{short(text)}'")
    emit("records", listing.search_list(hits), opts, chron, command="search")


@command()
def compare(
    opts: Common,
    names: Annotated[list[str], typer.Argument(metavar="NAME...", autocompletion=complete_item,
                                               help="Two or more entities or events.")],
) -> None:
    """Entities or events side by side: dates, place, parties, commanders, figures, sources.

    Example: khalkhin compare "Lake Khasan" "Khalkhin Gol"
    """
    from khalkhin.views import profile

    if len(names) < 2:
        raise UsageError("compare needs at least two names")
    chron = load_chronology(opts)
    items = []
    for n in names:
        item = resolved(chron, n).item
        if item not in items:
            items.append(item)
    if len(items) < 2:
        raise UsageError("the names given are all the same item; give two different ones")
    emit("compare", profile.compare(chron, items), opts, chron)


@command()
def figures(
    opts: Common,
    subject: Annotated[str | None, typer.Argument(metavar="[SUBJECT]",
                                                  autocompletion=complete_item,
                                                  help="Only claims about this entity or "
                                                       "event, or of a topic (casualties, "
                                                       "tanks, aircraft, prisoners), or "
                                                       "both: \"Khasan losses\".")] = None,
    disputed: Annotated[bool, typer.Option("--disputed", help="Only figures the sources "
                                                              "disagree on.")] = False,
) -> None:
    """Figures and disputed facts, grouped by subject and property, each with its source.

    Example: khalkhin figures "Khalkhin Gol"
    """
    from khalkhin.querytext import split_topics
    from khalkhin.views import listing

    if subject is not None and not subject.strip():
        raise UsageError("figures needs a subject: an entity, an event or a topic, or none")
    chron = load_chronology(opts)
    rest, topics = split_topics(subject) if subject is not None else ("", ())
    subj = resolved(chron, rest).item.id if rest.strip() else None
    found = listing.figures(chron, subj, topics)
    if disputed:
        found.rows = [r for r in found.rows if r["disputed"]]
    if not found.rows:
        about = f" about {chron.label_of(subj)}" if subj else ""
        on = f" on {' '.join(w for w in (subject or '').split() if w not in rest.split())}" \
            if topics else ""
        say(f"no figures{about}{on}")
        return
    emit("records", found, opts, chron, command="figures")


@command("list")
def list_(
    opts: Common,
    kind: Annotated[str | None, typer.Argument(metavar="[KIND]", autocompletion=complete_kind,
                                               help="Only this kind: " + ", ".join(KINDS)
                                               + ".")] = None,
) -> None:
    """Entities (people, places, units, treaties, battles, …) with a one-line summary.

    Example: khalkhin list treaty
    """
    from khalkhin.views import listing

    want = None
    if kind is not None:
        plural = {f"{k}s": k for k in KINDS} | {"people": "person", "treaties": "treaty"}
        want = plural.get(kind.casefold(), kind.casefold())
        if want not in KINDS:
            raise UsageError(f"unknown kind '{kind}'; use one of {', '.join(KINDS)}")
    chron = load_chronology(opts)
    found = listing.entity_list(chron, want)
    if not found.rows:
        say(f"no entities of kind {want}")
        return
    emit("records", found, opts, chron, command="list")


@command()
def tags(
    opts: Common,
) -> None:
    """Event tags with how many events carry each, most used first.

    Example: khalkhin tags
    """
    from khalkhin.views import listing

    chron = load_chronology(opts)
    emit("records", listing.tag_list(chron), opts, chron, command="tags")


@command()
def sources(
    opts: Common,
) -> None:
    """Sources with how many facts (entities, events, claims) cite each.

    Example: khalkhin sources
    """
    from khalkhin.views import listing

    chron = load_chronology(opts)
    emit("records", listing.source_list(chron), opts, chron, command="sources")

