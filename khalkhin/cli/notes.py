"""The notes export: the chronology (or a part of it) as a folder of linked Markdown notes."""

from __future__ import annotations

from typing import Annotated

import typer

from khalkhin.cli.common import (
    Common,
    EndOpt,
    EntityOpt,
    StartOpt,
    TagOpt,
    command,
    data_files,
    load_chronology,
    resolve_entities,
    say,
)

SHOWN = 5  # skipped files named on stderr before a count


@command("notes", shared=("data", "no_bundled", "no_cache", "cite"))
def notes(
    opts: Common,
    folder: Annotated[str, typer.Argument(metavar="FOLDER",
                                          help="The folder to write the notes in (an "
                                               "Obsidian vault, or a folder in one).")],
    start: StartOpt = None,
    end: EndOpt = None,
    tag: TagOpt = None,
    entity: EntityOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Only events wholly inside the range "
                                                          "(default: overlapping it).")] = False,
) -> None:
    """Write the chronology as a folder of linked Markdown notes: one per event and entity,
    one per year and tag, and an index, linked with [[wikilinks]] both ways.

    Takes the filters of timeline; a filtered export holds the matching events and the
    entities they name. Run it again to update the notes it wrote: a note you have edited
    is never overwritten (it is named on stderr).

    Example: khalkhin notes ~/vault/khalkhin --from 1939 --to 1939
    """
    from khalkhin import folder as folders
    from khalkhin import query
    from khalkhin.render import Ctx
    from khalkhin.render import vault as render_vault
    from khalkhin.views import vault as views_vault

    chron = load_chronology(opts)
    ids = resolve_entities(chron, entity or [])
    filtered = bool(start or end or tag or ids)
    events = query.timeline(chron, start=start, end=end, tags=tag or [], entities=ids,
                            strict=strict)
    if filtered and not events:
        say("no events match; nothing written")
        return
    vault = views_vault.build(chron, events, everything=not filtered)
    import io

    ctx = Ctx(out=io.StringIO(), chron=chron, cite=opts.cite)
    report = folders.write(folder, render_vault.notes(vault, ctx), data_files(opts))
    say(f"{len(vault.notes)} notes in {folder}: {len(report.new)} new, "
        f"{len(report.updated)} updated, {len(report.unchanged)} unchanged"
        + (f", {len(report.skipped)} kept as they are" if report.skipped else ""))
    for label, paths in (("edited since written, kept", report.edited),
                         ("not written by khalkhin, kept", report.foreign)):
        for p in paths[:SHOWN]:
            say(f"skipped {p}: {label}")
        if len(paths) > SHOWN:
            say(f"skipped {len(paths) - SHOWN} more: {label}")
    if report.stale:
        say(f"{len(report.stale)} notes from an earlier export are not part of this one; "
            "left as they are")
