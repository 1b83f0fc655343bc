"""Start-up floor: a minimal Typer app with the options of `khalkhin timeline`; prints a line."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True, add_completion=True, rich_markup_mode=None,
                  pretty_exceptions_enable=False)


@app.callback()
def _root() -> None:
    """A floor for start-up time."""


@app.command()
def timeline(
    start: Annotated[str | None, typer.Option("--from")] = None,
    end: Annotated[str | None, typer.Option("--to")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t")] = None,
    entity: Annotated[list[str] | None, typer.Option("--entity", "-e")] = None,
    strict: Annotated[bool, typer.Option("--strict")] = False,
    reverse: Annotated[bool, typer.Option("--reverse", "-r")] = False,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=0)] = None,
    long: Annotated[bool, typer.Option("--long", "-l")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f")] = "auto",
    color: Annotated[str, typer.Option("--color")] = "auto",
    output: Annotated[str | None, typer.Option("--output", "-o")] = None,
    force: Annotated[bool, typer.Option("--force")] = False,
    data: Annotated[list[str] | None, typer.Option("--data")] = None,
    no_bundled: Annotated[bool, typer.Option("--no-bundled")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache")] = False,
) -> None:
    """Print one line."""
    if fmt == "table":
        from rich.console import Console
        from rich.table import Table

        table = Table(header_style="bold")
        table.add_column("Date", no_wrap=True, style="cyan")
        table.add_column("Event")
        table.add_row("1931-09-18", "Mukden Incident")
        Console(markup=False, highlight=False, emoji=False).print(table)
    else:
        print(f"1931-09-18  Mukden Incident ({start})")


if __name__ == "__main__":
    app()
