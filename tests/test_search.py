"""Name resolution and search: exact, folded and fuzzy matches, ambiguity, completion."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from khalkhin import search
from khalkhin.chronology import load
from khalkhin.errors import LookupFailed
from khalkhin.model import Chronology
from khalkhin.text import fold
from tests.conftest import MINI

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def chron() -> Chronology:
    return load([str(MINI)], bundled=False, use_cache=False)


@pytest.fixture(scope="module")
def bundled() -> Chronology:
    return load(use_cache=False)


@pytest.mark.parametrize(("name", "ident"), [
    ("zhukov", "zhukov"),
    ("Georgy Zhukov", "zhukov"),
    ("GEORGII ZHUKOV", "zhukov"),
    ("Žukov", "zhukov"),
    ("zukov", "zhukov"),  # without the diacritic
    ("halhin gol", "battle-of-khalkhin-gol"),
    ("Nomonhan", "battle-of-khalkhin-gol"),
    ("1st army group", "first-army-group"),
    ("first army group", "first-army-group"),
    ("Battle-of-Khalkhin-Gol", "battle-of-khalkhin-gol"),
    ("offensive-1939-08-20", "offensive-1939-08-20"),
    ("clash at lake khasan", "khasan-clash"),
])
def test_exact_and_folded_names_resolve(chron: Chronology, name: str, ident: str) -> None:
    found = search.resolve(chron, name)
    assert found.item.id == ident
    assert found.exact


@pytest.mark.parametrize(("name", "ident"), [
    ("zhukow", "zhukov"),
    ("Zhukov Georgy", "zhukov"),
    ("halhyn gol", "battle-of-khalkhin-gol"),
    ("frist army group", "first-army-group"),
])
def test_misspellings_resolve_fuzzily(chron: Chronology, name: str, ident: str) -> None:
    found = search.resolve(chron, name)
    assert found.item.id == ident
    assert not found.exact


@pytest.mark.parametrize("name", ["Choibalsan", "choybalsan", "choibalsn"])
def test_person_and_town_of_one_name_are_ambiguous(chron: Chronology, name: str) -> None:
    with pytest.raises(LookupFailed) as info:
        search.resolve(chron, name)
    assert "items" in str(info.value) and "equally" in str(info.value)
    assert [c[:2] for c in info.value.candidates] == [
        ("choibalsan", "person"), ("choibalsan-town", "place")]


def test_nothing_matches(chron: Chronology) -> None:
    with pytest.raises(LookupFailed) as info:
        search.resolve(chron, "xyzzy")
    assert str(info.value) == "no entity or event matches 'xyzzy'; try 'khalkhin search xyzzy'"
    with pytest.raises(LookupFailed) as info:
        search.resolve(chron, "Zhukovsky Street")
    assert str(info.value).startswith("no entity or event matches 'Zhukovsky Street'; "
                                      "did you mean 'Georgy Zhukov' (zhukov)")


def test_entities_only_skips_events(chron: Chronology) -> None:
    with pytest.raises(LookupFailed, match="^no entity matches"):
        search.resolve(chron, "Clash at Lake Khasan", entities_only=True)


def _tiny(tmp_path: Path, text: str) -> Chronology:
    path = tmp_path / "tiny.yaml"
    path.write_text(text, encoding="utf-8")
    return load([str(path)], bundled=False, use_cache=False)


TINY = """
sources:
  - {id: s, title: "A source"}
entities:
  - {id: lake-khasan, kind: place, name: "Lake Khasan (lake)", sources: [s]}
  - {id: battle-of-lake-khasan, kind: battle, name: "Battle of Lake Khasan",
     aliases: ["Lake Khasan", "Khasan"], sources: [s]}
events:
  - {id: khasan-1938, date: 1938, title: "Khasan", sources: [s]}
"""


def test_a_name_or_alias_beats_an_id_written_with_spaces(tmp_path: Path) -> None:
    chron = _tiny(tmp_path, TINY)
    found = search.resolve(chron, "lake khasan")
    assert found.item.id == "battle-of-lake-khasan"
    assert [h.id for h in found.alternatives] == ["lake-khasan"]
    assert search.resolve(chron, "lake-khasan").item.id == "lake-khasan"


def test_an_entity_name_beats_an_event_title(tmp_path: Path) -> None:
    chron = _tiny(tmp_path, TINY)
    found = search.resolve(chron, "Khasan")
    assert found.item.id == "battle-of-lake-khasan"
    assert [h.id for h in found.alternatives] == ["khasan-1938"]


def test_index_is_built_once_per_chronology(chron: Chronology) -> None:
    assert search.index(chron) is search.index(chron)


def test_search_ranks_names_then_titles_then_summaries(chron: Chronology) -> None:
    hits = search.search(chron, "halhin gol")
    assert [(h.id, h.field) for h in hits[:2]] == [
        ("battle-of-khalkhin-gol", "alias"), ("japanese-occupy-1939-05-11", "title")]
    assert hits[0].score == 100.0
    by_tag = {h.id: h.field for h in search.search(chron, "railway")}
    assert by_tag["year-1939"] in ("tag", "title")
    summary = {h.id: h.field for h in search.search(chron, "vladivostok")}
    assert summary == {"khasan-clash": "summary"}
    assert search.search(chron, "   ") == []


def test_completion_offers_ids_then_names(chron: Chronology) -> None:
    assert search.complete(chron, "zh") == [("zhukov", "person: Georgy Zhukov")]
    names = dict(search.complete(chron, "choy"))
    assert names == {"Choybalsan": "person: choibalsan"}
    ids = [v for v, _ in search.complete(chron, "", entities_only=True)]
    assert ids == sorted(chron.entities)
    assert "offensive-1939-08-20" in dict(search.complete(chron, "off"))
    assert search.complete(chron, "off", entities_only=True) == []


def test_every_spelling_in_the_bundled_data_resolves(bundled: Chronology) -> None:
    """Each entity's id, name and aliases, as written and folded, resolve to it.

    A spelling shared by several entities (homonyms) must be reported as ambiguous, with
    the entity among the candidates.
    """
    owners: dict[str, set[str]] = {}
    for ent in bundled.entities.values():
        for text in (ent.name, *ent.aliases):
            owners.setdefault(fold(text), set()).add(ent.id)
    checked = 0
    for ent in bundled.entities.values():
        assert search.resolve(bundled, ent.id).item.id == ent.id
        for text in (ent.name, *ent.aliases):
            for form in {text, fold(text), text.upper()}:
                shared = owners[fold(text)]
                if form in bundled.entities or form in bundled.event_index:
                    # An exact id always wins: it is how an ambiguity is settled.
                    assert search.resolve(bundled, form).item.id == form
                elif len(shared) > 1:
                    with pytest.raises(LookupFailed) as info:
                        search.resolve(bundled, form)
                    assert ent.id in {c[0] for c in info.value.candidates}, form
                else:
                    found = search.resolve(bundled, form)
                    assert found.item.id == ent.id, (form, found.item.id)
                    assert found.exact, form
                checked += 1
    assert checked >= len(bundled.entities)


def test_forgiving_names_in_the_bundled_data(bundled: Chronology) -> None:
    wanted = {"zhukow": "zhukov", "halhin gol": "battle-of-khalkhin-gol",
              "nomonhan": "battle-of-khalkhin-gol", "kwantung army": "kwantung-army"}
    present = {k: v for k, v in wanted.items() if v in bundled.entities}
    for name, ident in present.items():
        assert search.resolve(bundled, name).item.id == ident, name
    if {"choibalsan", "choibalsan-town"} <= set(bundled.entities):
        with pytest.raises(LookupFailed) as info:
            search.resolve(bundled, "Choibalsan")
        assert {c[0] for c in info.value.candidates} == {"choibalsan", "choibalsan-town"}


def _modules_after(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True)
    return done.stdout.strip()


def test_exact_lookup_and_plain_timeline_do_not_import_rapidfuzz() -> None:
    code = (
        "import sys\n"
        "from khalkhin.chronology import load\n"
        "from khalkhin.search import resolve\n"
        f"c = load([{str(MINI)!r}], bundled=False, use_cache=False)\n"
        "assert resolve(c, 'HALHIN GOL').item.id == 'battle-of-khalkhin-gol'\n"
        "assert resolve(c, 'Zukov').item.id == 'zhukov'\n"
        "print('rapidfuzz' in sys.modules)\n"
    )
    assert _modules_after(code) == "False"
    code = (
        "import sys, io, contextlib\n"
        "from khalkhin.cli import app\n"
        f"args = ['timeline', '--no-bundled', '--data', {str(MINI)!r}, '--no-cache']\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        app(args, prog_name='khalkhin')\n"
        "    except SystemExit as e:\n"
        "        assert e.code in (0, None)\n"
        "print('rapidfuzz' in sys.modules)\n"
    )
    assert _modules_after(code) == "False"
    fuzzy = code.replace("'--no-cache']", "'--no-cache', '-e', 'zhukow']")
    assert _modules_after(fuzzy) == "True"
