"""The indexed store gives the answers of the chronology in memory, to the byte.

Random chronologies (dates of every precision, intervals, long spans, shared names, tags,
relations, figures) are written as YAML; each command runs once through the store (a warm
run) and once with ``--no-cache`` (everything in memory), and the outputs must be equal.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from khalkhin.cli import app
from khalkhin.store import StoredChronology

WORDS = ("Khasan", "Nomonhan", "Halha", "Amur", "Ussuri", "Zhukov", "Kwantung", "border",
         "raid", "treaty", "battle", "tanks", "aircraft", "losses", "Mukden", "Harbin",
         "pact", "division", "army", "Хасан", "ノモンハン", "满洲", "Ulaanbaatar", "incident")
KINDS = ("person", "place", "unit", "battle", "treaty", "organization")
TAGS = ("khasan", "khalkhin-gol", "border", "diplomacy", "Aviation", "sea")


def _day(n: int) -> str:
    from datetime import date

    return date.fromordinal(date(1904, 1, 1).toordinal() + n).isoformat()


@st.composite
def edtf(draw: Any) -> str:
    n = draw(st.integers(0, 15600))
    day = _day(n)
    form = draw(st.sampled_from(["day", "month", "year", "range", "long", "open", "approx"]))
    if form == "day":
        return day
    if form == "month":
        return day[:7]
    if form == "year":
        return day[:4]
    if form == "approx":
        return day[:7] + "~"
    if form == "open":
        return day + "/.."
    span = draw(st.integers(1, 40)) if form == "range" else draw(st.integers(400, 3000))
    return f"{day}/{_day(min(n + span, 15600))}"


def text(draw: Any, lo: int = 1, hi: int = 4) -> str:
    return " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=lo, max_size=hi)))


@st.composite
def chronology(draw: Any) -> dict[str, Any]:
    n_ent = draw(st.integers(1, 8))
    entities = []
    for i in range(n_ent):
        kind = draw(st.sampled_from(KINDS))
        ent: dict[str, Any] = {"id": f"ent-{i}", "kind": kind, "name": text(draw, 1, 3),
                               "aliases": [text(draw, 1, 2)], "summary": text(draw, 1, 6),
                               "sources": ["src"]}
        if draw(st.booleans()):
            ent["dates"] = draw(edtf())
        if i and draw(st.booleans()):
            ent["relations"] = [{"type": "part-of", "target": f"ent-{draw(st.integers(0, i - 1))}"}]
        entities.append(ent)
    events = []
    for i in range(draw(st.integers(1, 25))):
        ev: dict[str, Any] = {"id": f"ev-{i}", "date": draw(edtf()), "title": text(draw),
                              "summary": text(draw, 1, 8),
                              "tags": sorted(set(draw(st.lists(st.sampled_from(TAGS),
                                                               max_size=3)))),
                              "entities": sorted(set(draw(st.lists(
                                  st.sampled_from([e["id"] for e in entities]), max_size=3)))),
                              "sources": ["src"]}
        events.append(ev)
    claims = [{"subject": draw(st.sampled_from([e["id"] for e in entities])),
               "property": draw(st.sampled_from(["casualties", "tanks", "aircraft"])),
               "value": str(draw(st.integers(1, 9000))), "source": "src"}
              for _ in range(draw(st.integers(0, 4)))]
    return {"sources": [{"id": "src", "title": "A source", "date": "1990"}],
            "entities": entities, "events": events, "claims": claims}


@st.composite
def commands(draw: Any, chron: dict[str, Any]) -> list[list[str]]:
    ents = [e["id"] for e in chron["entities"]]
    names = [e["name"] for e in chron["entities"]] + [e["title"] for e in chron["events"]]
    out: list[list[str]] = [["timeline", "-f", "jsonl"], ["tags"], ["list", "-f", "json"],
                            ["sources"], ["figures", "-f", "json"]]
    for _ in range(draw(st.integers(2, 5))):
        # Narrow ranges (read through the index, band by band) as often as wide ones.
        a = draw(st.integers(0, 15600))
        b = draw(st.one_of(st.integers(a, min(a + 400, 15600)), st.integers(a, 15600)))
        lo, hi = _day(a), _day(b)
        lo = draw(st.sampled_from([lo, lo[:7], lo[:4]]))
        hi = draw(st.sampled_from([hi, hi[:7], hi[:4]]))
        args = ["timeline", "--from", lo, "--to", hi, "-f",
                draw(st.sampled_from(["plain", "json", "csv"]))]
        if draw(st.booleans()):
            args.append("--strict")
        out.append(args)
    out.append(["timeline", "--tag", draw(st.sampled_from(TAGS)), "-f", "plain"])
    out.append(["timeline", "-e", draw(st.sampled_from(ents)), "-f", "plain"])
    out.append(["show", draw(st.sampled_from(ents + [e["id"] for e in chron["events"]])),
                "-f", "json"])
    out.append(["show", draw(st.sampled_from(names)), "-f", "json"])
    out.append(["search", text(draw, 1, 3), "-f", "json"])
    out.append(["search", draw(st.sampled_from(names)), "-f", "plain"])
    out.append(["on-this-day", draw(st.sampled_from(["01-01", "08-20", "07-29", "12-31"]))])
    return out


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.data())
def test_the_store_answers_as_memory_does(tmp_path_factory: Any, data: Any) -> None:
    chron = data.draw(chronology())
    home = tmp_path_factory.mktemp("store")
    path = home / "data.yaml"
    path.write_text(json.dumps(chron, ensure_ascii=False))  # JSON is YAML
    env = {"XDG_CACHE_HOME": str(home / "cache"), "COLUMNS": "100"}
    runner = CliRunner()
    base = ["--no-bundled", "--data", str(path)]
    first = runner.invoke(app, ["tags", *base], env=env)
    assert first.exit_code == 0, first.output
    assert any((home / "cache").rglob("*.sqlite"))
    for argv in data.draw(commands(chron)):
        stored = runner.invoke(app, [*argv, *base], env=env)
        memory = runner.invoke(app, [*argv, *base, "--no-cache"], env=env)
        assert (stored.exit_code, stored.stdout, stored.stderr) == (
            memory.exit_code, memory.stdout, memory.stderr), argv


def test_a_warm_run_reads_the_store(tmp_path: Path) -> None:
    # The converse guard: the comparison above is between two different paths.
    from khalkhin.chronology import load
    from tests.conftest import MINI

    env = {"XDG_CACHE_HOME": str(tmp_path / "c")}
    cold = load([str(MINI)], bundled=False, env=env)
    warm = load([str(MINI)], bundled=False, env=env)
    assert not isinstance(cold, StoredChronology) and isinstance(warm, StoredChronology)
    assert os.listdir(tmp_path / "c" / "khalkhin")


def _ranks_as_memory(home: Path, data: Any, most: int) -> None:
    """The stored text index gives the in-memory index's hits and idf for random queries,
    with small limits: a store cuts its hits at the limit before it reads their ids,
    breaking ties by the ids' order as the index in memory does."""
    from khalkhin.chronology import load
    from khalkhin.querytext import tokens
    from khalkhin.textindex import TextIndex, documents

    chron = data.draw(chronology())
    path = home / "data.yaml"
    path.write_text(json.dumps(chron, ensure_ascii=False))
    env = {"XDG_CACHE_HOME": str(home / "cache")}
    memory = load([str(path)], bundled=False, env=env)
    stored = load([str(path)], bundled=False, env=env)
    assert isinstance(stored, StoredChronology)
    mine, theirs = TextIndex(documents(memory)), stored.text_index()
    for _ in range(4):
        concepts = [tokens(w) for w in data.draw(st.lists(st.sampled_from(WORDS), min_size=1,
                                                          max_size=3))]
        limit = data.draw(st.none() | st.integers(1, most))
        assert theirs.search(concepts, limit) == mine.search(concepts, limit)
        assert [theirs.idf(w) for c in concepts for w in c] == [
            mine.idf(w) for c in concepts for w in c]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.data())
def test_the_stored_text_index_ranks_as_memory_does(tmp_path_factory: Any, data: Any) -> None:
    _ranks_as_memory(tmp_path_factory.mktemp("text"), data, 6)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.data())
def test_stored_text_ranks_as_memory_across_parts_of_the_lengths(
        tmp_path_factory: Any, monkeypatch: Any, data: Any) -> None:
    # The lengths and places of documents are stored in parts; with parts of three
    # documents, a word's postings span many of them.
    from khalkhin import store

    monkeypatch.setattr(store, "LENS_PART", 3)
    _ranks_as_memory(tmp_path_factory.mktemp("parts"), data, 4)


def test_items_read_ahead_answer_as_items_read_one_by_one(tmp_path: Path) -> None:
    # A search reads its candidates (and the entities' degrees) in a few queries; what it
    # then reads of them is what one query per item gives.
    from khalkhin.chronology import load
    from khalkhin.paths import bundled_path

    env = {"XDG_CACHE_HOME": str(tmp_path / "c")}
    load([str(bundled_path())], bundled=False, env=env)
    ahead = load([str(bundled_path())], bundled=False, env=env)
    one = load([str(bundled_path())], bundled=False, env=env)
    assert isinstance(ahead, StoredChronology) and isinstance(one, StoredChronology)
    ids = [*one.entities, *[e.id for e in one.events][::7], "no-such-item"]
    ahead.prefetch(ids)
    assert ahead._index.cache and ahead._degrees  # read ahead
    for i in ids:
        assert ahead.entities.get(i) == one.entities.get(i)
        assert ahead.event_index.get(i) == one.event_index.get(i)
        assert (i in ahead.event_index) == (i in one.event_index)
        if i in one.entities:
            assert ahead.degree(i) == one.degree(i)
    assert sum(ahead.degree(i) for i in one.entities) > 0
    names, owners = one.name_index().entity_names()
    picked = list(range(0, len(names), 5))
    assert ahead.name_index().entity_names()[1].many(picked) == {i: owners[i] for i in picked}


def test_a_narrow_range_finds_events_of_every_length_that_reach_it(tmp_path: Path) -> None:
    # Events of each band of lengths (a day, a month, a year, longer) ending on the day
    # asked for, or on the day before: the range query reaches back far enough, no further.
    from datetime import date, timedelta

    end = date(1939, 8, 20)
    events = []
    for span in (0, 1, 30, 31, 32, 365, 366, 367, 3000):
        for back in (0, 1):
            last = end - timedelta(days=back)
            first = last - timedelta(days=span)
            when = first.isoformat() if span == 0 else f"{first}/{last}"
            events.append({"id": f"ev-{span}-{back}", "date": when, "title": f"Span {span}",
                           "sources": ["src"]})
    path = tmp_path / "data.yaml"
    path.write_text(json.dumps({"sources": [{"id": "src", "title": "A source"}],
                                "events": events}))
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    runner = CliRunner()
    base = ["--no-bundled", "--data", str(path)]
    assert runner.invoke(app, ["tags", *base], env=env).exit_code == 0
    day = end.isoformat()
    for lo, hi in ((day, day), ("1939-08", "1939-08"), ("1939-08-21", "1939-08-25")):
        argv = ["timeline", "--from", lo, "--to", hi, "-f", "jsonl", *base]
        stored = runner.invoke(app, argv, env=env)
        memory = runner.invoke(app, [*argv, "--no-cache"], env=env)
        assert stored.exit_code == memory.exit_code == 0
        assert stored.stdout == memory.stdout
    got = runner.invoke(app, ["timeline", "--from", day, "--to", day, "-f", "jsonl", *base],
                        env=env)
    assert got.stdout.count("\n") == 9  # each span that ends on the day


def _contents(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    import sqlite3

    con = sqlite3.connect(path)
    try:
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: con.execute(f"SELECT * FROM {t}").fetchall() for t in sorted(tables)}
    finally:
        con.close()


def test_a_text_index_built_by_a_forked_process_is_the_one_built_here(
        tmp_path: Path, monkeypatch: Any) -> None:
    import pytest

    from khalkhin import forks, store
    from khalkhin.chronology import load

    if not forks.cpus():
        pytest.skip("forking is not used here (one CPU, or not Linux)")
    chron = load(use_cache=False)
    here = tmp_path / "here.sqlite"
    monkeypatch.setattr(store, "SHARED_TEXT", len(chron.events) + len(chron.entities) + 1)
    assert store.write(str(here), chron, "k", [])
    parent = os.getpid()
    built = store._text_rows

    def only_in_a_child(c: Any) -> Any:
        assert os.getpid() != parent, "the text index was built here, not by the child"
        return built(c)

    monkeypatch.setattr(store, "SHARED_TEXT", 0)
    monkeypatch.setattr(store, "_text_rows", only_in_a_child)
    forked = tmp_path / "forked.sqlite"
    assert store.write(str(forked), chron, "k", [])
    mine, theirs = _contents(here), _contents(forked)
    assert mine["terms"] and mine["doclens"]
    assert theirs == mine


def test_a_cold_load_begins_the_text_index_before_the_checks(
        tmp_path: Path, monkeypatch: Any) -> None:
    # The text index is begun by a forked process as soon as the chronology is complete,
    # while the references are checked and the other tables written; the store is the one
    # built without it.
    import pytest

    from khalkhin import forks, store, validate
    from khalkhin.chronology import load

    if not forks.cpus():
        pytest.skip("forking is not used here (one CPU, or not Linux)")
    built, begin, checks = store._text_rows, store.text_later, validate.Builder.checked
    steps: list[str] = []

    def text_rows(c: Any) -> Any:
        steps.append("text index here")
        return built(c)

    def text_later(c: Any, release: Any = None) -> Any:
        steps.append("begun")
        return begin(c, release)

    def checked(self: Any) -> Any:
        steps.append("checked")
        return checks(self)

    def stores(home: Path) -> dict[str, list[tuple[Any, ...]]]:
        found = list(home.rglob("*.sqlite"))
        assert len(found) == 1
        contents = _contents(found[0])
        del contents["meta"]  # it names the key, and the files' times
        return contents

    monkeypatch.setattr(store, "_text_rows", text_rows)
    monkeypatch.setattr(store, "text_later", text_later)
    monkeypatch.setattr(validate.Builder, "checked", checked)
    load(env={"XDG_CACHE_HOME": str(tmp_path / "here")})
    assert steps[:2] == ["begun", "checked"] and steps[-1] == "text index here"  # too small
    # to fork: built here, as the store is written
    steps.clear()
    monkeypatch.setattr(store, "SHARED_TEXT", 0)
    load(env={"XDG_CACHE_HOME": str(tmp_path / "forked")})
    assert steps == ["begun", "checked"]  # the index was built by the child
    assert stores(tmp_path / "forked") == stores(tmp_path / "here")
