"""The timeline command and the query library: ranges, order, filters, formats."""

from __future__ import annotations

import json
from typing import Any

import pytest

import khalkhin
from khalkhin import query
from tests.conftest import MINI

ALL_PLAIN = [
    "1931-09-18  Japan occupies Manchuria",
    "1938-07-29/1938-08-11  Clash at Lake Khasan",
    "1939  Railway to Choybalsan completed",
    "1939-05/1939-09  Fighting on the eastern Mongolian border",
    "1939-05-11  Japanese troops occupy ground east of the Halhin Gol",
    "1939-08-20  Soviet–Mongolian offensive opens",
    "1939-09-16  Cease-fire takes effect",
]


def lines(result: Any) -> list[str]:
    return result.stdout.splitlines()


def test_plain_on_a_pipe(run: Any, mini: list[str]) -> None:
    result = run("timeline", *mini)
    assert result.exit_code == 0
    assert lines(result) == ALL_PLAIN
    assert "\x1b" not in result.stdout and "┃" not in result.stdout


def test_from_year_includes_whole_year(run: Any, mini: list[str]) -> None:
    assert lines(run("timeline", *mini, "--to", "1931")) == ALL_PLAIN[:1]
    assert lines(run("timeline", *mini, "--from", "1939-08", "--to", "1939-08")) == [
        "1939  Railway to Choybalsan completed",
        "1939-05/1939-09  Fighting on the eastern Mongolian border",
        "1939-08-20  Soviet–Mongolian offensive opens",
    ]


def test_strict_keeps_only_events_inside(run: Any, mini: list[str]) -> None:
    assert lines(run("timeline", *mini, "--from", "1939-08", "--to", "1939-08", "--strict")) == [
        "1939-08-20  Soviet–Mongolian offensive opens",
    ]


def test_tags_all_must_match(run: Any, mini: list[str]) -> None:
    out = lines(run("timeline", *mini, "--tag", "khalkhin-gol", "--tag", "battle"))
    assert out == [ALL_PLAIN[3], ALL_PLAIN[5]]


def test_entity_by_alias_and_misspelling(run: Any, mini: list[str]) -> None:
    assert lines(run("timeline", *mini, "--entity", "Žukov")) == [ALL_PLAIN[5]]
    result = run("timeline", *mini, "--entity", "zhukow")
    assert lines(result) == [ALL_PLAIN[5]]
    assert "taken as Georgy Zhukov (zhukov)" in result.stderr


def test_entity_ambiguous_exits_1(run: Any, mini: list[str]) -> None:
    result = run("timeline", *mini, "--entity", "choybalsan")
    assert result.exit_code == 1
    assert "matches 2 items equally" in result.stderr
    assert "choibalsan-town  (place)" in result.stderr
    assert result.stdout == ""


def test_reverse_and_limit(run: Any, mini: list[str]) -> None:
    assert lines(run("timeline", *mini, "--reverse", "--limit", "2")) == [
        ALL_PLAIN[6], ALL_PLAIN[5]]


def test_long_adds_summary(run: Any, mini: list[str]) -> None:
    out = lines(run("timeline", *mini, "--from", "1939-09-16", "--strict", "--long"))
    assert out == ["1939-09-16  Cease-fire takes effect — Hostilities at Khalkhin Gol end."]


def test_nothing_matches_says_so_exit_0(run: Any, mini: list[str]) -> None:
    result = run("timeline", *mini, "--from", "1946")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no events match" in result.stderr


@pytest.mark.parametrize("bad", ["1939-02-29", "1939-13", "1939-8-32", "Agu 1939", "S16.2.30"])
def test_bad_date_is_usage_error(run: Any, mini: list[str], bad: str) -> None:
    result = run("timeline", *mini, "--from", bad)
    assert result.exit_code == 2
    assert result.stderr.startswith("khalkhin: error: '")
    assert len(result.stderr.splitlines()) == 1


def test_json_records(run: Any, mini: list[str]) -> None:
    data = json.loads(run("timeline", *mini, "--format", "json", "--from", "1938").stdout)
    first = data[0]
    assert {"id", "date", "start", "end", "title", "summary", "tags", "entities", "place",
            "sources"} <= set(first)
    assert first["date"] == "1938-07-29/1938-08-11"
    assert (first["start"], first["end"]) == ("1938-07-29", "1938-08-11")
    off = next(r for r in data if r["id"] == "offensive-1939-08-20")
    assert off["sources"] == [{"source": "lc-1989", "locator": "Soviet-Mongolian Defeat Japanese"}]


def test_table_format(run: Any, mini: list[str]) -> None:
    out = run("timeline", *mini, "--format", "table", "--from", "1939-08-20").stdout
    assert "20 Aug 1939" in out and "┃" in out


def test_library_without_cli() -> None:
    chron = khalkhin.load_chronology(str(MINI), bundled=False, use_cache=False)
    events = khalkhin.timeline(chron, start="1939", end="1939", tags=["khalkhin-gol"],
                               strict=True)
    assert [e.id for e in events] == ["fighting-1939", "japanese-occupy-1939-05-11",
                                      "offensive-1939-08-20", "ceasefire-1939-09-16"]
    assert query.timeline(chron, entities=["zhukov"])[0].id == "offensive-1939-08-20"


def test_order_coarser_first_then_id() -> None:
    chron = khalkhin.load_chronology(str(MINI), bundled=False, use_cache=False)
    keys = [e.sort_key for e in chron.events]
    assert keys == sorted(keys)


def test_version_and_help(run: Any) -> None:
    assert run("--version").stdout.strip() == f"khalkhin {khalkhin.__version__}"
    result = run("timeline", "--help")
    assert result.exit_code == 0
    assert "Example: khalkhin timeline" in result.stdout


def test_bundled_timeline_from_1931(run: Any) -> None:
    out = lines(run("timeline", "--from", "1931"))
    assert len(out) > 100
    assert any("Manchukuo" in line for line in out)
    dates_ = [line.split("  ", 1)[0] for line in out]
    assert all(d[:4] >= "1931" or "/" in d for d in dates_)
