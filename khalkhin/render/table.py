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
        table.add_row(*[_text(r.get(k)) for k, _ in view.columns])
    console(ctx).print(table)
