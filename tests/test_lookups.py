"""Look-ups as people type them (tests/data/lookups.yaml): the hit rate, and never a
confident answer whose dates contradict a year in the query."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from khalkhin import search
from khalkhin.chronology import load
from khalkhin.errors import LookupFailed
from khalkhin.model import Chronology
from khalkhin.querytext import parse

CASES = Path(__file__).resolve().parent / "data" / "lookups.yaml"


@cache
def bundled() -> Chronology:
    return load(use_cache=False)


@cache
def cases() -> dict[str, list[tuple[str, Any]]]:
    import yaml

    raw = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    return {mode: [(q, want) for q, want in rows] for mode, rows in raw.items()}


def answer(mode: str, query: str) -> tuple[str | None, list[str]]:
    """(the id given, the ids listed when the look-up asks which one is meant)."""
    chron = bundled()
    if mode == "search":
        hits = search.search(chron, query, limit=3)
        return (hits[0].id if hits else None), []
    try:
        return search.resolve(chron, query).item.id, []
    except LookupFailed as e:
        return None, [c[0] for c in e.candidates]


def right(want: Any, got: str | None, listed: list[str]) -> bool:
    if isinstance(want, dict):
        return sorted(listed) == sorted(want["ambiguous"])
    wanted = want if isinstance(want, list) else [want]
    return got in wanted


def test_every_expected_item_exists() -> None:
    chron = bundled()
    for rows in cases().values():
        for _, want in rows:
            ids = want["ambiguous"] if isinstance(want, dict) else (
                want if isinstance(want, list) else [want])
            for ident in ids:
                assert ident in chron.entities or ident in chron.event_index, ident


def test_hit_rate(capsys: pytest.CaptureFixture[str]) -> None:
    rows = [(mode, q, want) for mode, qs in cases().items() for q, want in qs]
    assert len(rows) >= 150
    misses = []
    for mode, q, want in rows:
        got, listed = answer(mode, q)
        if not right(want, got, listed):
            misses.append(f"{mode} {q!r}: wanted {want}, got {got or listed}")
    rate = 100 * (len(rows) - len(misses)) / len(rows)
    with capsys.disabled():
        print(f"\nlook-up hit rate: {rate:.1f}% of {len(rows)} queries"
              + "".join(f"\n  miss: {m}" for m in misses))
    assert rate >= 95, misses


def test_no_answer_contradicts_a_year_in_the_query() -> None:
    chron = bundled()
    for q, _ in cases()["show"]:
        dates = parse(q).dates
        if not dates:
            continue
        got, _ = answer("show", q)
        if got is None:
            continue
        spans = [s for s in search._spans(chron, got) if s is not None]
        assert spans or got in chron.entities, q
        if spans:
            assert any(all(s[0] <= w.upper and s[1] >= w.lower for w in dates)
                       for s in spans), (q, got)


@pytest.mark.parametrize(("query", "excluded"), [
    ("Sino-Soviet treaty 1937", "sino-soviet-treaty-1945"),
    ("Russo-Japanese war 1904", "soviet-japanese-war-1945"),
    ("Khasan 1945", "battle-of-lake-khasan"),
])
def test_an_item_whose_dates_exclude_the_year_is_never_taken(query: str, excluded: str) -> None:
    chron = bundled()
    try:
        found = search.resolve(chron, query)
    except LookupFailed:
        return
    assert found.item.id != excluded
    ranked = search.rank(chron, query, limit=10_000)
    assert any(r.id == excluded and r.excluded for r in ranked)


def test_tags_are_matched_like_names(run: Any) -> None:
    plain = run("timeline", "--tag", "khalkhin-gol").stdout
    assert plain and run("timeline", "--tag", "Khalkhin Gol").stdout == plain
    r = run("timeline", "--tag", "khalkin-gol")
    assert r.exit_code == 1
    assert r.stderr == ("khalkhin: error: no event has the tag 'khalkin-gol'; did you mean "
                        "'khalkhin-gol'? (see 'khalkhin tags')\n")


def test_figures_by_topic_and_subject(run: Any) -> None:
    import json

    rows = json.loads(run("figures", "casualties", "-f", "json").stdout)
    words = ("loss", "casualt", "killed", "wounded")
    assert len(rows) >= 10
    assert all(any(w in r["property"] for w in words)
               or any(any(w in (c["note"] or "").lower() for w in words) for c in r["claims"])
               for r in rows)
    assert sum(r["property"].startswith("losses-") for r in rows) >= len(rows) / 2
    khasan = json.loads(run("figures", "Khasan losses", "-f", "json").stdout)
    assert {r["subject"] for r in khasan} == {"battle-of-lake-khasan"}
    assert {r["property"] for r in khasan} == {"losses-japanese", "losses-soviet"}
    tanks = json.loads(run("figures", "tanks", "-f", "json").stdout)
    assert any(r["property"] == "tanks-soviet" for r in tanks)
    assert run("figures", "").exit_code == 2


def test_search_finds_the_figures_about_a_topic() -> None:
    chron = bundled()
    for topic in ("casualties", "losses", "tanks", "aircraft"):
        hits = search.search(chron, topic, limit=10)
        assert any(h.field == "claim" for h in hits), topic
