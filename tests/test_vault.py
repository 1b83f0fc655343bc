"""The notes export: a folder of Markdown notes that opens as an Obsidian vault with no
broken link, updated on every run without touching what the user edited."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MINI

WIKILINK = re.compile(r"\[\[([^\]|#^]+)(?:\|([^\]]*))?\]\]")


def export(run: Any, folder: Path, *args: str) -> Any:
    result = run("notes", str(folder), *args)
    assert result.exit_code == 0, result.stderr
    return result


def vault_files(folder: Path) -> dict[str, Path]:
    """Note name (file name without .md, as a wikilink names it) -> file."""
    files = {}
    for p in folder.rglob("*.md"):
        key = p.stem.casefold()
        assert key not in files, f"two notes named {p.stem}: a wikilink would be ambiguous"
        files[key] = p
    return files


def check_links(folder: Path) -> int:
    """Every [[link]] in every note resolves to exactly one file; returns how many links."""
    files = vault_files(folder)
    count = 0
    for p in files.values():
        for target, _label in WIKILINK.findall(p.read_text(encoding="utf-8")):
            assert target.casefold() in files, f"{p.name}: broken link [[{target}]]"
            count += 1
    return count


def front(p: Path) -> dict[str, Any]:
    import yaml

    text = p.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return dict(yaml.safe_load(text[4:].split("\n---\n", 1)[0]))


def test_whole_chronology_is_a_vault_without_broken_links(run: Any, tmp_path: Path) -> None:
    import khalkhin

    chron = khalkhin.load_chronology()
    vault = tmp_path / "vault"
    result = export(run, vault)
    files = vault_files(vault)
    years = {e.date.start_date.year for e in chron.events if e.date.start_date}
    tags = {t for e in chron.events for t in e.tags}
    assert len(files) == len(chron.events) + len(chron.entities) + len(tags) + \
        len(vault_files(vault / "years")) + 1
    assert years <= {int(p.stem.split()[1]) for p in (vault / "years").glob("*.md")}
    assert check_links(vault) > 5000
    assert f"{len(files)} notes in {vault}: {len(files)} new" in result.stderr
    zhukov = (vault / "people" / "zhukov.md").read_text(encoding="utf-8")
    assert "[[first-army-group|First Army Group]]" in zhukov
    meta = front(vault / "people" / "zhukov.md")
    assert meta["title"] == "Georgy Zhukov" and meta["kind"] == "person"
    assert "Georgi Zhukov" in meta["aliases"]
    # both ways: the event links the entity, the entity links the event
    ev = vault / "events" / "soviet-offensive-1939-08-20.md"
    assert "[[zhukov|Georgy Zhukov]]" in ev.read_text(encoding="utf-8")
    assert "[[soviet-offensive-1939-08-20|" in zhukov
    year = (vault / "years" / "Year 1939.md").read_text(encoding="utf-8")
    assert "[[soviet-offensive-1939-08-20|" in year and "[[Year 1938|1938]]" in year
    assert "[[Year 1939|1939]]" in ev.read_text(encoding="utf-8")
    tag = (vault / "tags" / "Tag khalkhin-gol.md").read_text(encoding="utf-8")
    assert "[[soviet-offensive-1939-08-20|" in tag
    home = (vault / "Khalkhin index.md").read_text(encoding="utf-8")
    assert "[[Year 1904|1904]]" in home and "[[zhukov|Georgy Zhukov]]" in home
    for p in (vault / "events").glob("*.md"):  # every event note has valid front matter
        meta = front(p)
        assert meta["kind"] == "event" and meta["id"] == p.stem
        assert all(" " not in t for t in meta["tags"])


def test_filtered_export_links_only_what_it_holds(run: Any, tmp_path: Path) -> None:
    vault = tmp_path / "v"
    export(run, vault, "--from", "1939-08", "--to", "1939-08", "--tag", "khalkhin-gol")
    events = {p.stem for p in (vault / "events").glob("*.md")}
    timeline = run("timeline", "--from", "1939-08", "--to", "1939-08", "--tag",
                   "khalkhin-gol", "-f", "json").stdout
    assert events == {r["id"] for r in json.loads(timeline)}
    assert (vault / "people" / "zhukov.md").exists()
    assert not (vault / "people" / "nicholas-ii.md").exists()
    check_links(vault)
    # Zhukov's note names his events of July as text, not as links to notes not there.
    zhukov = (vault / "people" / "zhukov.md").read_text(encoding="utf-8")
    assert "Zhukov sends tanks straight at Bain-Tsagan\n" in zhukov
    assert "[[soviet-offensive-1939-08-20|" in zhukov


def test_rerun_updates_its_notes_and_keeps_edited_ones(run: Any, tmp_path: Path) -> None:
    vault = tmp_path / "v"
    mini = ["--no-bundled", "--data", str(MINI)]
    export(run, vault, *mini)
    again = export(run, vault, *mini)
    assert "0 new, 0 updated" in again.stderr
    edited = vault / "people" / "zhukov.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nMy own thoughts.\n",
                      encoding="utf-8")
    mine = vault / "events" / "my-note.md"
    mine.write_text("mine\n", encoding="utf-8")
    # The data changes: the notes khalkhin wrote follow, the edited one is kept.
    data = tmp_path / "more.yaml"
    data.write_text(MINI.read_text(encoding="utf-8").replace(
        'summary: "Soviet commander of the First Army Group in 1939."',
        'summary: "Commander of the First Army Group."').replace(
        'title: "Clash at Lake Khasan"', 'title: "Battle of Lake Khasan"'), encoding="utf-8")
    third = export(run, vault, "--no-bundled", "--data", str(data))
    assert "skipped people/zhukov.md: edited since written, kept" in third.stderr
    assert "My own thoughts." in edited.read_text(encoding="utf-8")
    assert "Battle of Lake Khasan" in (vault / "events" / "khasan-clash.md").read_text()
    assert mine.read_text() == "mine\n"
    assert not [p for p in vault.rglob("*") if p.name.startswith(".khalkhin-") and
                p.name.endswith(".tmp")]
    manifest = json.loads((vault / ".khalkhin-notes.json").read_text())
    assert "events/my-note.md" not in manifest["files"]
    # A note it would write, put there by someone else, is left alone.
    (vault / "events" / "khasan-clash.md").write_text("someone else's\n")
    manifest["files"].pop("events/khasan-clash.md")
    (vault / ".khalkhin-notes.json").write_text(json.dumps(manifest))
    fourth = export(run, vault, *mini)
    assert "skipped events/khasan-clash.md: not written by khalkhin, kept" in fourth.stderr
    assert (vault / "events" / "khasan-clash.md").read_text() == "someone else's\n"


def test_deleted_note_comes_back_and_lost_manifest_adopts_identical(run: Any,
                                                                     tmp_path: Path) -> None:
    vault = tmp_path / "v"
    mini = ["--no-bundled", "--data", str(MINI)]
    export(run, vault, *mini)
    (vault / "people" / "zhukov.md").unlink()
    (vault / ".khalkhin-notes.json").unlink()
    again = export(run, vault, *mini)
    assert "1 new, 0 updated" in again.stderr and "kept" not in again.stderr
    assert (vault / "people" / "zhukov.md").exists()


def test_pandoc_citations_in_the_notes(run: Any, tmp_path: Path) -> None:
    vault = tmp_path / "v"
    export(run, vault, "--no-bundled", "--data", str(MINI), "--cite", "pandoc")
    text = (vault / "events" / "offensive-1939-08-20.md").read_text(encoding="utf-8")
    assert "[@lc-1989, sec. Soviet-Mongolian Defeat Japanese]" in text and "[^" not in text


def test_refuses_data_directories_and_links_out(run: Any, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "mini.yaml").write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("notes", str(data), "--no-bundled", "--data", str(data))
    assert result.exit_code == 2 and "is a data directory" in result.stderr
    assert sorted(os.listdir(data)) == ["mini.yaml"]
    # A folder of the vault that is a link to somewhere else is not written through.
    vault, elsewhere = tmp_path / "v", tmp_path / "elsewhere"
    vault.mkdir()
    elsewhere.mkdir()
    (vault / "people").symlink_to(elsewhere)
    result = run("notes", str(vault), "--no-bundled", "--data", str(MINI))
    assert result.exit_code == 0
    assert os.listdir(elsewhere) == []
    assert "skipped people/zhukov.md: not written by khalkhin, kept" in result.stderr
    file = tmp_path / "file"
    file.write_text("x")
    result = run("notes", str(file), "--no-bundled", "--data", str(MINI))
    assert result.exit_code == 2 and "is not a directory" in result.stderr


def test_broken_manifest_is_an_error_not_a_traceback(run: Any, tmp_path: Path) -> None:
    vault = tmp_path / "v"
    vault.mkdir()
    (vault / ".khalkhin-notes.json").write_text("{not json")
    result = run("notes", str(vault), "--no-bundled", "--data", str(MINI))
    assert result.exit_code == 1
    assert result.stderr.startswith("khalkhin: error: ") and "manifest" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_hostile_text_cannot_break_a_link(run: Any, tmp_path: Path) -> None:
    vault = tmp_path / "v"
    hostile = Path(__file__).resolve().parent / "data" / "hostile.yaml"
    export(run, vault, "--no-bundled", "--data", str(hostile))
    check_links(vault)
    for p in vault.rglob("*.md"):
        body = p.read_text(encoding="utf-8")
        assert "\x1b" not in body and "\u202e" not in body


@pytest.mark.parametrize("name", ["Year 1939", "Tag battle"])
def test_index_names_cannot_be_ids(name: str) -> None:
    from khalkhin.validate import _ID

    assert not _ID.fullmatch(name)
