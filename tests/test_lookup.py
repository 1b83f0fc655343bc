"""Look-up commands: show, search, compare, figures, list, tags, sources; shapes and paths."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer

from khalkhin.chronology import load
from khalkhin.cli.common import complete_entity
from khalkhin.cli.lookup import complete_item, complete_kind
from khalkhin.model import Chronology
from khalkhin.views import listing, profile
from tests.conftest import MINI

ZHUKOV_PLAIN = """\
Georgy Zhukov  (person, zhukov)
Also: Georgi Zhukov; Georgii Zhukov; Žukov
Dates: 1 Dec 1896 – 18 Jun 1974 (1896-12-01/1974-06-18)
Summary: Soviet commander of the First Army Group in 1939.
Relations:
  commanded  First Army Group (first-army-group)  1939
Events:
  1939-08-20  Soviet–Mongolian offensive opens
Sources:
  lc-1989  Robert L. Worden and Andrea Matles Savada (eds.), Mongolia: A Country Study, \
Federal Research Division, Library of Congress, 1989-06
"""


@pytest.fixture(scope="module")
def chron() -> Chronology:
    return load([str(MINI)], bundled=False, use_cache=False)


def as_json(result: Any) -> Any:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_show_plain(run: Any, mini: list[str]) -> None:
    result = run("show", "zhukov", *mini)
    assert result.exit_code == 0
    assert result.stdout == ZHUKOV_PLAIN
    assert result.stderr == ""


def test_show_misspelt_names_what_it_took(run: Any, mini: list[str]) -> None:
    result = run("show", "zhukow", *mini)
    assert result.stdout == ZHUKOV_PLAIN
    assert result.stderr == "khalkhin: 'zhukow' taken as Georgy Zhukov (zhukov)\n"


def test_show_json_shape_and_relations_both_ways(run: Any, mini: list[str]) -> None:
    z = as_json(run("show", "Zhukov", *mini, "-f", "json"))
    for key in ("id", "kind", "name", "aliases", "summary", "relations", "claims", "events",
                "sources"):
        assert key in z
    assert (z["id"], z["kind"], z["type"]) == ("zhukov", "person", "entity")
    assert z["relations"] == [{
        "label": "commanded", "type": "commanded", "direction": "out",
        "id": "first-army-group", "kind": "unit", "name": "First Army Group",
        "date": "1939", "note": None}]
    assert [e["id"] for e in z["events"]] == ["offensive-1939-08-20"]
    unit = as_json(run("show", "1st Army Group", *mini, "-f", "json"))
    assert [(r["label"], r["direction"], r["id"]) for r in unit["relations"]] == [
        ("fought-in", "out", "battle-of-khalkhin-gol"),
        ("commanded by", "in", "zhukov"),
    ]
    assert unit["relations"][1]["type"] == "commanded"
    battle = as_json(run("show", "nomonhan", *mini, "-f", "json"))
    assert [(r["label"], r["id"]) for r in battle["relations"]] == [
        ("fought by", "first-army-group")]
    assert [c["value"] for c in battle["claims"]] == [
        "more than 18,000 killed and 25,000 wounded", "as many as 80,000 casualties"]
    assert battle["claims"][0]["locator"] == "Soviet-Mongolian Defeat Japanese"
    assert battle["sources"] == [{
        "id": "lc-1989",
        "citation": "Robert L. Worden and Andrea Matles Savada (eds.), Mongolia: A Country "
                    "Study, Federal Research Division, Library of Congress, 1989-06",
        "locators": ["Soviet-Mongolian Defeat Japanese", "Mongolia in World War II"],
        "url": None,
        "cited": [{"locator": "Soviet-Mongolian Defeat Japanese", "url": None},
                  {"locator": "Mongolia in World War II", "url": None}]}]
    assert len(battle["events"]) == 4


def test_show_an_event(run: Any, mini: list[str]) -> None:
    ev = as_json(run("show", "offensive-1939-08-20", *mini, "-f", "json"))
    assert (ev["type"], ev["kind"], ev["dates"]) == ("event", "event", "1939-08-20")
    assert [r["id"] for r in ev["relations"]] == [
        "zhukov", "first-army-group", "battle-of-khalkhin-gol"]
    assert {r["label"] for r in ev["relations"]} == {"involves"}
    assert ev["sources"][0]["locators"] == ["Soviet-Mongolian Defeat Japanese"]


def test_show_ambiguous_lists_candidates(run: Any, mini: list[str]) -> None:
    result = run("show", "Choibalsan", *mini)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "khalkhin: error: 'Choibalsan' matches 2 items equally; give one of these ids\n"
        "  choibalsan  (person)  Khorloogiin Choibalsan\n"
        "  choibalsan-town  (place)  Choibalsan (town)\n")
    assert as_json(run("show", "choibalsan-town", *mini, "-f", "json"))["kind"] == "place"


def test_show_not_found(run: Any, mini: list[str]) -> None:
    result = run("show", "Zhukovsky Street", *mini)
    assert result.exit_code == 1
    assert result.stderr.startswith("khalkhin: error: no entity or event matches "
                                    "'Zhukovsky Street'; did you mean 'Georgy Zhukov'")
    assert len(result.stderr.splitlines()) == 1


def test_show_table_is_a_panel_and_data_is_not_markup(run: Any, tmp_path: Path) -> None:
    own = tmp_path / "own.yaml"
    own.write_text('entities:\n  - {id: odd, kind: person, name: "[bold]Odd[/bold]", '
                   'summary: "[red]not red[/red]", sources: [lc-1989]}\n', encoding="utf-8")
    result = run("show", "odd", "--no-bundled", "--data", str(MINI), "--data", str(own),
                 "-f", "table", "--color", "never", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert "╭─ [bold]Odd[/bold] " in result.stdout
    assert "[red]not red[/red]" in result.stdout
    assert "\x1b" not in result.stdout


def test_search_json_and_plain(run: Any, mini: list[str]) -> None:
    hits = as_json(run("search", "halhin", "gol", *mini, "-f", "json"))
    assert {"id", "kind", "label", "score", "field"} <= set(hits[0])
    assert [(h["id"], h["kind"], h["field"]) for h in hits[:2]] == [
        ("battle-of-khalkhin-gol", "battle", "alias"),
        ("japanese-occupy-1939-05-11", "event", "title")]
    plain = run("search", "Halhin Gol", *mini).stdout.splitlines()
    assert plain[0] == "100  battle  battle-of-khalkhin-gol  Battle of Khalkhin Gol  " \
                       "1939-05-11/1939-09-16  alias"
    missing = run("search", "qqqqqq", *mini)
    assert missing.exit_code == 1
    assert missing.stderr == "khalkhin: error: nothing matches 'qqqqqq'\n"


def test_compare_json_shape(run: Any, mini: list[str]) -> None:
    view = as_json(run("compare", "Lake Khasan", "Khalkhin Gol", *mini, "-f", "json"))
    assert view["items"] == ["khasan-clash", "battle-of-khalkhin-gol"]
    rows = {r["attribute"]: r["values"] for r in view["rows"]}
    assert list(rows) == ["kind", "dates", "duration", "forces", "losses-japanese", "events",
                          "first-event", "last-event", "sources"]
    assert rows["kind"] == [["event"], ["battle"]]
    assert rows["duration"] == [["14 days"], ["129 days (about 4 months)"]]
    assert rows["losses-japanese"] == [[], [
        "more than 18,000 killed and 25,000 wounded [lc-1989, Soviet-Mongolian Defeat Japanese]",
        "as many as 80,000 casualties [lc-1989, Mongolia in World War II]"]]
    assert rows["sources"] == [["cordier-2003"], ["lc-1989"]]
    assert "outcome" not in rows and "commanders" not in rows


def test_compare_plain_and_table(run: Any, mini: list[str]) -> None:
    out = run("compare", "zhukov", "first-army-group", *mini).stdout.splitlines()
    assert out[:4] == ["Georgy Zhukov (zhukov) | First Army Group (first-army-group)",
                       "Kind:", "  zhukov: person", "  first-army-group: unit"]
    assert "Commanders:" in out and "  first-army-group: Georgy Zhukov" in out
    table = run("compare", "zhukov", "first-army-group", *mini, "-f", "table",
                env={"COLUMNS": "100"}).stdout
    assert "First Army Group" in table and "┃" in table


def test_compare_needs_two_different_items(run: Any, mini: list[str]) -> None:
    one = run("compare", "zhukov", *mini)
    assert one.exit_code == 2
    assert one.stderr == "khalkhin: error: compare needs at least two names\n"
    same = run("compare", "zhukov", "Žukov", *mini)
    assert same.exit_code == 2
    ambiguous = run("compare", "zhukov", "Choibalsan", *mini)
    assert ambiguous.exit_code == 1


def test_figures_group_claims_and_mark_disputes(run: Any, mini: list[str]) -> None:
    figs = as_json(run("figures", *mini, "-f", "json"))
    assert len(figs) == 1
    f = figs[0]
    assert (f["subject"], f["property"], f["disputed"]) == (
        "battle-of-khalkhin-gol", "losses-japanese", True)
    assert [(c["value"], c["source"], c["note"]) for c in f["claims"]] == [
        ("more than 18,000 killed and 25,000 wounded", "lc-1989", "Killed and wounded."),
        ("as many as 80,000 casualties", "lc-1989", "An upper estimate.")]
    plain = run("figures", "Halhin Gol", *mini).stdout
    assert plain.startswith("Battle of Khalkhin Gol  losses-japanese  DISPUTED  more than")
    none = run("figures", "zhukov", *mini)
    assert (none.exit_code, none.stdout, none.stderr) == (
        0, "", "khalkhin: no figures about Georgy Zhukov\n")


def test_list_tags_sources(run: Any, mini: list[str]) -> None:
    people = as_json(run("list", "people", *mini, "-f", "json"))
    assert [p["id"] for p in people] == ["zhukov", "choibalsan"]
    assert people[0]["events"] == 1
    assert run("list", "unit", *mini).stdout == (
        "first-army-group  unit  First Army Group  "
        "The Soviet–Mongolian striking force at Khalkhin Gol.\n")
    bad = run("list", "dragons", *mini)
    assert bad.exit_code == 2 and "unknown kind 'dragons'" in bad.stderr
    tags = as_json(run("tags", *mini, "-f", "json"))
    assert tags[0] == {"tag": "khalkhin-gol", "events": 4, "first": "1939-05/1939-09",
                       "last": "1939-09-16"}
    srcs = as_json(run("sources", *mini, "-f", "json"))
    assert [(s["id"], s["entities"], s["events"], s["claims"], s["facts"]) for s in srcs] == [
        ("lc-1989", 5, 4, 2, 11), ("cordier-2003", 0, 3, 0, 3)]


@pytest.mark.parametrize("fmt", ["plain", "table", "json", "jsonl"])
@pytest.mark.parametrize("args", [["show", "zhukov"], ["search", "gol"],
                                  ["compare", "zhukov", "nomonhan"], ["figures"], ["list"],
                                  ["tags"], ["sources"]])
def test_every_command_in_every_core_format(run: Any, mini: list[str], args: list[str],
                                            fmt: str) -> None:
    result = run(*args, *mini, "-f", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()
    if fmt == "jsonl":
        for line in result.stdout.splitlines():
            json.loads(line)


def test_view_builders_directly(chron: Chronology) -> None:
    view = profile.profile(chron, chron.entities["first-army-group"])
    assert [r["label"] for r in view["relations"]] == ["fought-in", "commanded by"]
    cmp = profile.compare(chron, [chron.entities["zhukov"], chron.entities["first-army-group"]])
    rows = {r["attribute"]: r for r in cmp["rows"]}
    assert rows["commanded"]["values"] == [["First Army Group"], []]
    assert rows["commanders"]["label"] == "Commanders"
    assert listing.figures(chron, "zhukov").rows == []


def _ctx(*data: str) -> typer.Context:
    from khalkhin.cli import app

    ctx = typer.Context(typer.main.get_command(app))
    ctx.params = {"data": list(data), "no_bundled": True, "no_cache": True}
    return ctx


def test_completion_functions() -> None:
    ctx = _ctx(str(MINI))
    assert complete_item(ctx, "zh") == [("zhukov", "person: Georgy Zhukov")]
    assert [v for v, _ in complete_item(ctx, "o")] == ["offensive-1939-08-20"]
    assert complete_entity(ctx, "o") == []
    assert [v for v, _ in complete_entity(ctx, "Halh")] == ["Halhin Gol"]
    assert complete_kind("p") == ["person", "place"]
    assert complete_item(_ctx("/nonexistent.yaml"), "zh") == []


def test_shell_completion_end_to_end(run: Any) -> None:
    env = {"_KHALKHIN_COMPLETE": "complete_bash", "COMP_WORDS": "khalkhin show fir",
           "COMP_CWORD": "2", "KHALKHIN_DATA": str(MINI)}
    from typer.testing import CliRunner

    from khalkhin.cli import app

    result = CliRunner().invoke(app, [], env=env, prog_name="khalkhin")
    assert "first-army-group" in result.stdout.split()
