"""Rich tables for a terminal: readable at 80 columns and at 200; data never read as markup."""

from __future__ import annotations

from typing import Any

from khalkhin.render import Ctx, Listing, clean


def console(ctx: Ctx) -> Any:
    from rich.console import Console

    return Console(
        file=ctx.out,
        width=ctx.width,
        force_terminal=ctx.color,
        color_system="auto" if ctx.color else None,
        no_color=not ctx.color,
        emoji=False,
        markup=False,
        highlight=False,
        legacy_windows=False,
        soft_wrap=False,
    )


def _text(value: Any, style: str = "") -> Any:
    from rich.text import Text

    if value is None:
        return Text("")
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    elif isinstance(value, float) and value.is_integer():
        value = str(int(value))
    return Text(clean(str(value)), style=style)


def _short(text: str, limit: int) -> str:
    text = clean(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "\u2026"


def timeline(rows: list[dict[str, Any]], ctx: Ctx) -> None:
    from rich.table import Table

    table = Table(show_lines=False, expand=False, header_style="bold")
    table.add_column("Date", no_wrap=True, style="cyan")
    table.add_column("Event", ratio=2, overflow="fold")
    if ctx.width >= 70:
        table.add_column("Summary", ratio=3, overflow="fold")
    if ctx.width >= 110:
        table.add_column("Tags", ratio=1, style="green", overflow="fold")
    limit = 400 if ctx.long else max(60, ctx.width // 2)
    for r in rows:
        cells = [_text(r["when"]), _text(r["title"], "bold")]
        if ctx.width >= 70:
            cells.append(_text(_short(r.get("summary") or "", limit)))
        if ctx.width >= 110:
            cells.append(_text(r["tags"]))
        table.add_row(*cells)
    console(ctx).print(table)


def records(view: Listing, ctx: Ctx) -> None:
    from rich.table import Table

    table = Table(title=view.title or None, header_style="bold")
    for i, (_key, header) in enumerate(view.columns):
        table.add_column(header, overflow="fold", no_wrap=(i == 0))
    for r in view.rows:
        # A disputed figure stands out (figures); everything else is plain data.
        style = "bold red" if r.get("disputed") is True else ""
        table.add_row(*[_text(r.get(k), style if k == "status" else "")
                        for k, _ in view.columns])
    console(ctx).print(table)


def profile(view: dict[str, Any], ctx: Ctx) -> None:
    """A panel with the entity's fields, then tables of relations, claims, events, sources."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    con = console(ctx)
    head = Table.grid(padding=(0, 1))
    head.add_column(style="bold", no_wrap=True)
    head.add_column(overflow="fold")
    when = ""
    if view.get("dates"):
        when = view["when"] if view["when"] == view["dates"] else \
            f"{view['when']} ({view['dates']})"
    for label, value in (
        ("Kind", f"{view['kind']}  \u00b7  {view['id']}"),
        ("Also", "; ".join(view["aliases"])),
        ("Dates", when),
        ("Place", view["place"]["name"] if view.get("place") else ""),
        ("Tags", ", ".join(view.get("tags") or [])),
        ("Outcome", view.get("outcome") or ""),
        ("Note", view.get("note") or ""),
    ):
        if value:
            head.add_row(Text(label), _text(value))
    parts: list[Any] = [head]
    if view["summary"]:
        parts += [Text(""), _text(view["summary"])]
    con.print(Panel(Group(*parts), title=_text(view["name"], "bold"), title_align="left",
                    expand=False))

    def table(title: str, headers: list[str]) -> Any:
        t = Table(title=title, title_justify="left", title_style="bold", header_style="bold",
                  expand=False)
        for i, h in enumerate(headers):
            t.add_column(h, overflow="fold", no_wrap=(i == 0 and h == "Date"))
        return t

    if view["relations"]:
        t = table("Relations", ["Relation", "With", "Kind", "Date"])
        for r in view["relations"]:
            t.add_row(_text(r["label"], "green"), _text(f"{r['name']} ({r['id']})"),
                      _text(r["kind"]), _text(r.get("date")))
        con.print(t)
    if view["claims"]:
        t = table("Claims", ["Property", "Value", "Source", "Note"])
        for c in view["claims"]:
            src = f"{c['source']}, {c['locator']}" if c.get("locator") else c["source"]
            t.add_row(_text(c["property"]), _text(c["value"], "bold"), _text(src),
                      _text(c.get("note")))
        con.print(t)
    if view["events"]:
        t = table("Events", ["Date", "Event"])
        for e in view["events"]:
            t.add_row(_text(e["when"], "cyan"), _text(e["title"]))
        con.print(t)
    if view["sources"]:
        t = table("Sources", ["Id", "Citation", "Cited at"])
        for s in view["sources"]:
            t.add_row(_text(s["id"]), _text(s["citation"]), _text("; ".join(s["locators"])))
        con.print(t)


def compare(view: dict[str, Any], ctx: Ctx) -> None:
    """One column per item, one row per attribute; claims one per line."""
    from rich.table import Table
    from rich.text import Text

    table = Table(header_style="bold", show_lines=True)
    table.add_column("", style="bold", no_wrap=True)
    for label, ident in zip(view["labels"], view["items"], strict=True):
        table.add_column(Text(f"{clean(label)}\n{ident}"), overflow="fold", ratio=1)
    for row in view["rows"]:
        cells = [Text("\n".join(clean(v) for v in values) or "\u2014",
                      style="" if values else "dim") for values in row["values"]]
        table.add_row(Text(row["label"]), *cells)
    console(ctx).print(table)
