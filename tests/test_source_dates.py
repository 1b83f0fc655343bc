"""Dates as the sources give them: shown (show, timeline --calendars, JSON), written in data
(date: {julian: …}, as_written, the Old Style check), typed (--from/--to, on-this-day,
show) and found inside free text (find_dates)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khalkhin import dates, query
from khalkhin.datetext import (
    DateInputError,
    day_of_year,
    find_dates,
    from_calendar,
    old_style_dates,
    old_style_problems,
    written_dates_agree,
)
from khalkhin.errors import LookupFailed
from tests.conftest import TESTS

CALS = TESTS / "data" / "calendars.yaml"
DATA = ["--no-bundled", "--data", str(CALS)]


def day(text: str) -> int:
    return date.fromisoformat(text).toordinal()


def span(text: str) -> tuple[int, int]:
    d = dates.parse(text)
    return d.lower, d.upper


# --- find_dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query_text", "found"),
    [
        ("Sino-Soviet treaty 1937", [("1937", "1937")]),
        ("Aug 1939 offensive", [("1939-08", "Aug 1939")]),
        ("August 1939", [("1939-08", "August 1939")]),
        ("armistice 9 June 1940", [("1940-06-09", "9 June 1940")]),
        ("June 9, 1940 armistice", [("1940-06-09", "June 9, 1940")]),
        ("signed 9.6.1940", [("1940-06-09", "9.6.1940")]),  # day.month.year
        ("1939-08 Nomonhan", [("1939-08", "1939-08")]),
        ("1939-08-20 offensive", [("1939-08-20", "1939-08-20")]),
        ("Spring 1904 landing", [("1904-21", "Spring 1904")]),
        ("c. 1939 railway", [("1939~", "c. 1939")]),
        ("purges of the 1930s", [("193X", "1930s")]),
        ("昭和14年 ノモンハン", [("1939", "昭和14年")]),
        ("昭和14年8月20日", [("1939-08-20", "昭和14年8月20日")]),
        ("明治三十七年二月十日 宣戦", [("1904-02-10", "明治三十七年二月十日")]),
        ("Shōwa 14 Nomonhan", [("1939", "Shōwa 14")]),
        ("Showa 14", [("1939", "Showa 14")]),
        ("order S14 Kwantung", [("1939", "S14")]),
        ("S14.8.20", [("1939-08-20", "S14.8.20")]),
        ("民国28年 中苏", [("1939", "民国28年")]),
        ("康德6年", [("1939", "康德6年")]),
        ("Kangde 6", [("1939", "Kangde 6")]),
        ("manifesto 1904-01-27 O.S.", [("1904-02-09", "1904-01-27 O.S.")]),
        ("manifesto 27 Jan 1904 (O.S.)", [("1904-02-09", "27 Jan 1904 (O.S.)")]),
        ("the war of 1904–05", [("1904/1905", "1904–05")]),
        ("1937-1945 war", [("1937/1945", "1937-1945")]),
        ("1904-05", [("1904-05", "1904-05")]),  # EDTF: May 1904
        ("Taishō 1", [("1912-07-30/1912-12-31", "Taishō 1")]),
        ("battle 1939-05-11/1939-09-16", [("1939-05-11/1939-09-16", "1939-05-11/1939-09-16")]),
        ("pact 1941/..", [("1941/..", "1941/..")]),
        ("20–31 August 1939 offensive", [("1939-08-20/1939-08-31", "20–31 August 1939")]),
        ("May–September 1939 fighting", [("1939-05/1939-09", "May–September 1939")]),
        ("from 1904 to 1905", [("1904/1905", "1904 to 1905")]),
    ],
)
def test_find_dates(query_text: str, found: list[tuple[str, str]]) -> None:
    got = find_dates(query_text)
    assert [(edtf, matched) for edtf, _, _, matched in got] == found
    for edtf, lo, hi, matched in got:
        assert (lo, hi) == span(edtf)
        assert matched in query_text


@pytest.mark.parametrize(
    "text",
    ["57th", "57th Special Corps", "11th Tank Brigade", "-n 5", "battle-of-khalkhin-gol",
     "2nd Far Eastern Front", "T-34", "losses 18,000", "1,439 killed", "Hill 752",
     "6th Army", "raid-1939-05", "zhukov", "", "Taishō 16", "T16", "1500 tanks", "S99",
     "no-1939", "v1939", "1939x", "1939-09/1939-05", "a / b", "id-1939-05/x"],
)
def test_find_dates_leaves_other_numbers_alone(text: str) -> None:
    assert find_dates(text) == []


def test_find_dates_in_a_longer_query() -> None:
    got = find_dates("6th Army, 23rd Division: 20 Aug 1939 to Shōwa 14.9.16, not 1,439 men")
    assert [(e, m) for e, _, _, m in got] == [("1939-08-20", "20 Aug 1939"),
                                              ("1939-09-16", "Shōwa 14.9.16")]
    first, last = got[0][1], got[1][2]
    assert date.fromordinal(first) == date(1939, 8, 20)
    assert date.fromordinal(last) == date(1939, 9, 16)


def test_find_dates_takes_the_longest_reading() -> None:
    # "Aug 20, 1939" is one date, not "Aug" and a year; the O.S. marker belongs to it.
    assert [m for *_, m in find_dates("Aug 20, 1939 and 20 Aug 1939")] == [
        "Aug 20, 1939", "20 Aug 1939"]
    assert find_dates("27 January 1904 Old Style")[0][0] == "1904-02-09"


# --- a day of the year ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("08-20", (8, 20, None)),
        ("8-20", (8, 20, None)),
        ("20 Aug", (8, 20, None)),
        ("20 August", (8, 20, None)),
        ("Aug 20", (8, 20, None)),
        ("August 20th", (8, 20, None)),
        ("20.8.", (8, 20, None)),  # day, month
        ("20.8", (8, 20, None)),
        ("8月20日", (8, 20, None)),
        ("20 Aug 1939", (8, 20, None)),
        ("02-29", (2, 29, None)),
        ("27 Jan O.S.", (1, 27, "julian")),
        ("27 Jan (O.S.)", (1, 27, "julian")),
        ("01-27 Old Style", (1, 27, "julian")),
        ("9 Feb N.S.", (2, 9, "gregorian")),
    ],
)
def test_day_of_year(text: str, read: tuple[int, int, str | None]) -> None:
    assert day_of_year(text) == read


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("13-01", "month 13 is out of range"),
        ("02-30", "day 30 is out of range (February has at most 29 days)"),
        ("Agust 20", "did you mean 'August 20'?"),
        ("today", "give it like 08-20, 20 Aug, Aug 20, 20.8., 8月20日, 27 Jan O.S."),
    ],
)
def test_day_of_year_errors(text: str, message: str) -> None:
    with pytest.raises(DateInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        day_of_year(text)


# --- dates written in other calendars in data ----------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "text", "edtf"),
    [
        ("julian", "1904-01-27", "1904-02-09"),
        ("julian", "1917-10-25", "1917-11-07"),
        ("julian", "1900-02-29", "1900-03-13"),  # a Julian leap day, none in the Gregorian
        ("julian", "1904-01", "1904-01-14/1904-02-13"),
        ("julian", "1904-06-01/1904-06-02", "1904-06-14/1904-06-15"),
        ("julian", "1904-01-27?", "1904-02-09?"),
        ("julian", "1904-01/..", "1904-01-14/.."),
        ("gregorian", "1904-02-09", "1904-02-09"),
        ("japanese", "昭和14年8月20日", "1939-08-20"),
        ("japanese", "Meiji 37", "1904"),
        ("minguo", "民國28年", "1939"),
        ("manchukuo", "Kangde 1", "1934-03/1934-12"),
        ("mongolian", "Olnoo Örgögdsön 2", "1912~"),
    ],
)
def test_from_calendar(calendar: str, text: str, edtf: str) -> None:
    assert from_calendar(calendar, text) == edtf


@pytest.mark.parametrize(
    ("calendar", "text", "message"),
    [
        ("julian", "1901-02-29", "29 Feb 1901 O.S. does not exist"),
        ("julian", "27 Jan 1904", "not a Julian date"),
        ("julian", "1904-02-01/1904-01-01", "ends before it starts"),
        ("japanese", "民國28年", "a date of the minguo calendar, not of the japanese one"),
        ("manchukuo", "Kangde 13", "Kangde ran from year 1 to 12"),
        ("minguo", "hello", "not a date of the minguo calendar"),
    ],
)
def test_from_calendar_errors(calendar: str, text: str, message: str) -> None:
    with pytest.raises(DateInputError, match=message):
        from_calendar(calendar, text)


def test_data_dates_in_other_calendars() -> None:
    import khalkhin

    for cache in (False, True, True):  # cold, written to the cache, read from it
        chron = khalkhin.load_chronology(str(CALS), bundled=False, use_cache=cache)
        ev = chron.event_index
        assert ev["manifesto"].date.text == "1904-02-09"
        assert ev["manifesto"].given == ("julian",)
        assert ev["manifesto"].as_written == "Given at St. Petersburg, January 27, 1904"
        assert ev["tsushima"].date.text == "1905-05-27/1905-05-28"
        assert ev["offensive"].date.text == "1939-08-20"
        assert ev["offensive"].given == ("japanese",)
        assert ev["kyakhta"].given == ()
        treaty = chron.entities["portsmouth-treaty"]
        assert treaty.signed is not None and treaty.signed.text == "1905-09-05"
        assert treaty.given == ("julian",)


def write(tmp_path: Path, body: str) -> str:
    f = tmp_path / "x.yaml"
    f.write_text("sources:\n  - {id: s, title: \"S\"}\n" + body, encoding="utf-8")
    return str(f)


def test_check_twins_that_disagree(run: Any, tmp_path: Path) -> None:
    f = write(tmp_path, "events:\n"
              "  - id: a\n    date: {gregorian: 1904-02-10, julian: 1904-01-27}\n"
              "    title: \"A\"\n    sources: [s]\n"
              "  - id: b\n    date: {julain: 1904-01-27}\n    title: \"B\"\n    sources: [s]\n"
              "  - id: c\n    date: {julian: 1901-02-29}\n    title: \"C\"\n    sources: [s]\n"
              "  - id: d\n    date: {}\n    title: \"D\"\n    sources: [s]\n"
              "  - id: e\n    date: {gregorian: 1939-08-20, japanese: \"昭和14年\"}\n"
              "    title: \"E\"\n    sources: [s]\n")
    result = run("check", "--no-bundled", f)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    # The nearest name is offered while the process has suggestions to spare (validate).
    lines[1] = lines[1].replace("expected one of gregorian, julian, japanese, minguo, "
                                "manchukuo, mongolian", "did you mean 'julian'?")
    assert lines == [
        f"{f}:5:43: error: 'date': julian 1904-01-27 (9 Feb 1904) and gregorian 1904-02-10 "
        "(28 Jan 1904 O.S.) are not the same date [calendar-date]",
        f"{f}:9:12: error: 'date': unknown calendar 'julain'; did you mean 'julian'? [calendar]",
        f"{f}:13:20: error: invalid date: 'date.julian': '1901-02-29': 29 Feb 1901 O.S. does "
        "not exist (that month has 28 days) [date]",
        f"{f}:17:11: error: 'date' is an empty mapping; expected an EDTF date or a calendar and "
        "its date, like {julian: 1904-01-27} [type]",
    ]


def test_check_old_style_notes(run: Any, tmp_path: Path) -> None:
    f = write(tmp_path, "entities:\n"
              "  - id: russian-empire\n    kind: state\n    name: \"Russia\"\n    sources: [s]\n"
              "  - id: kondratenko\n    kind: person\n    name: \"K\"\n"
              "    dates: 1857/1904-12-15\n    sources: [s]\n"
              "    note: \"Killed 3 December 1904 Old Style.\"\n"
              "events:\n"
              "  - id: a\n    date: 1905-06-08\n    title: \"A\"\n"
              "    entities: [russian-empire]\n    sources: [s]\n"
              "    note: \"Dated 30 May (12 June) 1905, Old Style (Julian): 30 May 1905.\"\n"
              "  - id: b\n    date: 1904-02-10\n    title: \"B\"\n    sources: [s]\n"
              "    note: \"The manifesto is dated 27 January O.S. = 10 February 1904.\"\n"
              "  - id: c\n    date: 1917-11-07\n    title: \"C\"\n    sources: [s]\n"
              "    as_written: \"October 24, 1917\"\n"
              "    note: \"25 October 1917 in the Julian calendar.\"\n"
              "  - id: d\n    date: 1904-06-14/1904-06-15\n    title: \"D\"\n    sources: [s]\n"
              "    note: \"Old Style (Julian): 1–2 June 1904.\"\n")
    result = run("check", "--no-bundled", f)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{f}:13:11: warning: note: '3 December 1904 Old Style' is not the Old Style date of "
        "1857 or 1904-12-15 (20 Dec 1856 – 19 Dec 1857 O.S.; 2 Dec 1904 O.S.) [old-style]",
        f"{f}:20:11: warning: note: 'Old Style (Julian): 30 May 1905' is not the Old Style "
        "date of 1905-06-08 (26 May 1905 O.S.) [old-style]",
        f"{f}:25:11: warning: note: '27 January O.S.' and '10 February 1904' are not the same "
        "day: 27 Jan 1904 O.S. is 9 Feb 1904 [old-style]",
        f"{f}:30:17: warning: 'as_written': 'October 24, 1917' does not give the date of this "
        "entry (7 Nov 1917) [as-written]",
    ]


def test_old_style_dates_in_prose() -> None:
    [lead] = old_style_dates("Night of 21–22 October 1904. Old Style (Julian): 8–9 October 1904.")
    assert (lead.text, lead.first, lead.last) == ("Old Style (Julian): 8–9 October 1904",
                                                  (1904, 10, 8), (1904, 10, 9))
    [pair] = old_style_dates("The treaty was signed on 5 September (23 August Old Style).")
    assert (pair.text, pair.partner) == ("23 August Old Style", ((None, 9, 5), (None, 9, 5)))
    [after] = old_style_dates("It began on 23 February O.S. (8 March N.S.).")
    assert after.partner == ((None, 3, 8), (None, 3, 8))
    [eq] = old_style_dates("Signed 21 October (Old Style) = 3 November 1912 by Korostovets")
    assert (eq.text, eq.partner_text) == ("21 October (Old Style)", "3 November 1912")
    [run_] = old_style_dates("Old Style (Julian): 24 June – 18 July 1905.")
    assert (run_.first, run_.last) == ((1905, 6, 24), (1905, 7, 18))
    assert old_style_dates("Dated 30 May (12 June) 1905 in the text; New Style 8 June.") == []


def test_old_style_problems() -> None:
    assert old_style_problems("Old Style (Julian): 27 January 1904.", [span("1904-02-09")]) == []
    assert old_style_problems("Born 4 February 1893 Old Style (Julian).",
                              [span("1893-02-16")]) == []  # twelve days in the 19th century
    assert old_style_problems("signed on 5 September (23 August Old Style)",
                              [span("1905-08/1905-09-05")]) == []
    assert old_style_problems("dated 1/14 October (Old Style (Julian): 1 October 1905)",
                              [span("1905-10-14/1905-10-16")]) == []
    assert old_style_problems("Old Style (Julian): 28 January 1904.", [span("1904-02-09")]) == [
        "'Old Style (Julian): 28 January 1904' is not the Old Style date of 1904-02-09 "
        "(27 Jan 1904 O.S.)"]


def test_written_dates_agree() -> None:
    lo, hi = span("1904-02-09")
    assert written_dates_agree("Given at St. Petersburg, January 27, 1904", lo, hi) is True
    assert written_dates_agree("9 February 1904", lo, hi) is True
    assert written_dates_agree("Signed at Kiachta, June 7/May 25, 1915", *span("1915-06-07"))
    assert written_dates_agree("January 28, 1904", lo, hi) is False
    assert written_dates_agree("明治三十七年二月九日", lo, hi) is True
    assert written_dates_agree("St. Petersburg", lo, hi) is None


def test_bundled_notes_and_twins_agree() -> None:
    from khalkhin.chronology import check
    from khalkhin.paths import bundled_path

    chron, problems = check([str(bundled_path())])
    assert chron is not None
    assert [p for p in problems if p.rule in ("old-style", "as-written", "calendar-date")] == []


def test_bundled_russian_events_show_their_old_style_days() -> None:
    import khalkhin
    from khalkhin import calendars

    chron = khalkhin.load_chronology()
    julian = {k for k, v in calendars.PARTY_CALENDARS.items() if "julian" in v}
    russian = [e for e in chron.events if e.date.lower < calendars.FIRST_NEW_STYLE.toordinal()
               and julian & {*e.entities, e.place} and e.date.start.precision == dates.DAY]
    assert len(russian) >= 30
    for ev in russian:
        assert "julian" in calendars.event_calendars(chron, ev), ev.id
        assert calendars.calendars_for(ev.date, ["julian"])["julian"].endswith("O.S."), ev.id
    war = [e for e in russian if "russo-japanese-war" in e.tags]
    assert len(war) >= 20 and all(e.given == ("julian",) for e in war)


# --- shown ----------------------------------------------------------------------------------


def test_timeline_calendars_plain(run: Any) -> None:
    out = run("timeline", *DATA, "--calendars", "--to", "1915").stdout
    assert out.splitlines() == [
        "1904-02-09 [27 Jan 1904 O.S.]  Russian war manifesto",
        "1904-02-10 [28 Jan 1904 O.S.; Meiji 37 (明治37年) 2月10日]  Japan declares war",
        "1905-05-27/1905-05-28 [14–15 May 1905 O.S.; Meiji 38 (明治38年) 5月27日 – 5月28日]  "
        "Battle of Tsushima",
        "1915-06-07 [25 May 1915 O.S.; Minguo 4 (民國4年) 6月7日; Olnoo Örgögdsön 5]  "
        "Kyakhta agreement",
    ]
    # Without the option the line is as it always was.
    assert run("timeline", *DATA, "--to", "1904-02-09").stdout == (
        "1904-02-09  Russian war manifesto\n")


def test_timeline_calendars_json_and_csv(run: Any) -> None:
    rows = json.loads(run("timeline", *DATA, "--calendars", "-f", "json").stdout)
    by_id = {r["id"]: r for r in rows}
    assert by_id["manifesto"]["calendars"] == [{
        "calendar": "julian", "label": "Julian (Old Style)", "text": "27 Jan 1904 O.S.",
        "first": {"era": None, "year": 1904, "month": 1, "day": 27},
        "last": {"era": None, "year": 1904, "month": 1, "day": 27}, "given": True}]
    assert by_id["manifesto"]["as_written"] == "Given at St. Petersburg, January 27, 1904"
    assert [c["text"] for c in by_id["kangde"]["calendars"]] == ["Kangde 1 (康德元年) 3月1日"]
    assert by_id["no-calendars"]["calendars"] == []
    offensive = by_id["offensive"]["calendars"]
    assert [(c["calendar"], c["given"]) for c in offensive] == [("japanese", True),
                                                                ("manchukuo", False)]
    assert offensive[0]["first"] == {"era": "Shōwa", "year": 14, "month": 8, "day": 20}
    plain = json.loads(run("timeline", *DATA, "-f", "json").stdout)
    assert "calendars" not in plain[0] and "as_written" not in plain[0]
    csv = run("timeline", *DATA, "--calendars", "-f", "csv", "--to", "1904-02-09").stdout
    head, row = csv.splitlines()[:2]
    assert head.endswith(",calendars,as_written")
    assert row.endswith(',27 Jan 1904 O.S.,"Given at St. Petersburg, January 27, 1904"')


def test_timeline_calendars_table(run: Any) -> None:
    out = run("timeline", *DATA, "--calendars", "--to", "1904-02-09", "-f", "table").stdout
    assert "Calendars" in out and "27 Jan 1904 O.S." in out


def test_show_gives_the_calendars(run: Any) -> None:
    out = run("show", "manifesto", *DATA).stdout
    assert "Dates: 9 Feb 1904 (1904-02-09)\nCalendars: 27 Jan 1904 O.S.\n" in out
    assert "As written: Given at St. Petersburg, January 27, 1904\n" in out
    treaty = run("show", "portsmouth-treaty", *DATA).stdout
    assert "Calendars: 12 Nov 1905 O.S. – ?\n" in treaty
    assert "Signed: 5 Sep 1905 (1905-09-05); 23 Aug 1905 O.S.\n" in treaty
    person = run("show", "kuropatkin", *DATA).stdout
    assert "Calendars: 17 Mar 1848 O.S. – …\n" in person  # through his service of Russia
    table = run("show", "manifesto", *DATA, "-f", "table").stdout
    assert "27 Jan 1904 O.S." in table and "Given at St. Petersburg" in table
    md = run("show", "manifesto", *DATA, "-f", "markdown").stdout
    assert "- **Calendars:** 27 Jan 1904 O.S.\n" in md
    view = json.loads(run("show", "portsmouth-treaty", *DATA, "-f", "json").stdout)
    assert view["signed"]["calendars"][0]["text"] == "23 Aug 1905 O.S."
    assert view["as_written"] is None
    csv = run("show", "portsmouth-treaty", *DATA, "-f", "csv").stdout
    assert "signed_calendars,Julian (Old Style): 23 Aug 1905 O.S." in csv


def test_show_takes_a_date(run: Any) -> None:
    one = run("show", "27 Jan 1904 O.S.", *DATA)
    assert one.stdout.startswith("Russian war manifesto  (event, manifesto)\n")
    assert run("show", "昭和14年8月20日", *DATA).exit_code == 1  # two events that day
    many = run("show", "昭和14年8月20日", *DATA)
    assert many.stderr.splitlines() == [
        "khalkhin: error: '昭和14年8月20日' is a date: 2 events are dated 20 Aug 1939 "
        "(1939-08-20); give one of these ids",
        "  no-calendars  (event, 20 Aug 1939)  A day in no other calendar",
        "  offensive  (event, 20 Aug 1939)  Offensive at Nomonhan"]
    within = run("show", "Taishō 6", *DATA)
    assert within.stdout.startswith("October Revolution  (event, october-revolution)\n")
    none = run("show", "1920", *DATA)
    assert none.exit_code == 1
    assert "no event is dated 1920 or lies within it" in none.stderr


def test_resolve_date_library() -> None:
    import khalkhin

    chron = khalkhin.load_chronology(str(CALS), bundled=False, use_cache=False)
    assert query.resolve_date(chron, "Kuropatkin") is None
    ev = query.resolve_date(chron, "Kangde 1.3.1")
    assert ev is not None and ev.id == "kangde"
    with pytest.raises(LookupFailed) as info:
        query.resolve_date(chron, "1939-08-20")
    assert [c[0] for c in info.value.candidates] == ["no-calendars", "offensive"]
    found = query.events_dated(chron, "Aug 1939")
    assert found is not None and [e.id for e in found[1]] == ["shimoda-month"] and found[2]


# --- typed ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "ids"),
    [
        ("1904-01-27 O.S.", "27 Jan 1904 (O.S.)", ["manifesto"]),
        ("9 Feb 1904", "February 10, 1904", ["manifesto", "japan-declares-war"]),
        ("9.2.1904", "10.2.1904", ["manifesto", "japan-declares-war"]),
        ("明治37年", "M37", ["manifesto", "japan-declares-war"]),
        ("Meiji 38", "1905", ["tsushima"]),
        ("民国4年", "Minguo 6", ["kyakhta", "october-revolution"]),
        ("Taishō 6", "大正6年", ["october-revolution"]),
        ("昭和6年", "1931-09", ["mukden-incident"]),
        ("大同2年", "大同3年", []),  # Datong 3 ended on 28 Feb 1934
        ("Kangde 1", "Kangde 1", ["kangde"]),
        ("Aug 1939", "August 1939", ["shimoda-month", "no-calendars", "offensive"]),
        ("Shōwa 14", "S14", ["shimoda-month", "no-calendars", "offensive"]),
        ("康德6年", "昭和14年8月20日", ["shimoda-month", "no-calendars", "offensive"]),
        ("1939-08-21", "Spring 1940", ["shimoda-month"]),
    ],
)
def test_from_and_to_take_written_dates(run: Any, start: str, end: str,
                                        ids: list[str]) -> None:
    result = run("timeline", *DATA, "--from", start, "--to", end, "-f", "json")
    assert result.exit_code == 0, result.stderr
    got = [r["id"] for r in json.loads(result.stdout)] if result.stdout else []
    assert got == ids


def test_from_and_to_errors(run: Any) -> None:
    bad = run("timeline", *DATA, "--from", "Agu 1939")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("khalkhin: error: 'Agu 1939': did you mean 'Aug 1939'? "
                                 "(dates are written like 1939-08-20, 1939-08, Aug 1939,")
    assert "9 June" not in bad.stderr and "27 Jan 1904 (O.S.))" in bad.stderr
    other = run("timeline", *DATA, "--to", "sometime")
    assert "'sometime' is not a date this tool reads; write it like" in other.stderr
    assert run("timeline", *DATA, "--from", "Taishō 16").stderr == (
        "khalkhin: error: 'Taishō 16': Taishō 16 is not a year of that era (Taishō ran from "
        "year 1 to 15)\n")
    interval = run("timeline", *DATA, "--from", "1939-08-01/1939-08-03")
    assert "give a single date here, not an interval" in interval.stderr


def test_bounds_of_written_dates() -> None:
    assert query.bounds("Taishō 1", "Taishō 1") == (day("1912-07-30"), day("1912-12-31"))
    assert query.bounds("Jan 1904 O.S.", "Jan 1904 O.S.") == (day("1904-01-14"),
                                                              day("1904-02-13"))
    assert query.bounds("9.6.1940", None) == (day("1940-06-09"), None)
    with pytest.raises(dates.EdtfError, match="the end of the range comes before its start"):
        query.bounds("Shōwa 14", "Meiji 37")


def test_on_this_day_by_old_style_day(run: Any) -> None:
    r = run("on-this-day", "01-27", "--calendar", "julian", "--today", "2004-01-01", *DATA)
    assert r.stdout == "1904-02-09  27 Jan 1904 O.S.  100 years ago  Russian war manifesto\n"
    assert run("on-this-day", "27 Jan O.S.", "--today", "2004-01-01", *DATA).stdout == r.stdout
    assert run("on-this-day", "Jan 27 (Old Style)", "--today", "2004-01-01",
               *DATA).stdout == r.stdout
    # The October Revolution on its own day, 25 October; on 7 November in the Gregorian one.
    assert "October Revolution" in run("on-this-day", "25 Oct", "--calendar", "julian",
                                       *DATA).stdout
    assert "October Revolution" in run("on-this-day", "7 Nov", *DATA).stdout
    assert run("on-this-day", "25 Oct", *DATA).stdout == ""
    # A Japanese event has no Old Style day.
    assert run("on-this-day", "09-05", "--calendar", "julian", *DATA).stdout == ""
    # Tsushima (14–15 May O.S.) has no one day to be remembered on.
    assert run("on-this-day", "14 May", "--calendar", "julian", *DATA).stdout == ""
    data = json.loads(run("on-this-day", "25 Oct", "--calendar", "julian", "-f", "json",
                          *DATA).stdout)
    assert [(r["id"], r["julian"], r["date"]) for r in data] == [
        ("october-revolution", "25 Oct 1917 O.S.", "1917-11-07")]
    today = run("on-this-day", "--calendar", "julian", "--today", "2004-02-09", *DATA)
    assert "Russian war manifesto" in today.stdout  # 9 Feb 2004 N.S. is 27 Jan O.S.
    table = run("on-this-day", "01-27", "--calendar", "julian", "-f", "table", *DATA).stdout
    assert "On this day, 27 January (Old Style)" in table and "Old Style" in table


def test_on_this_day_written_days_and_errors(run: Any) -> None:
    expected = run("on-this-day", "09-18", "--today", "2031-01-01", *DATA).stdout
    assert expected == "1931-09-18  100 years ago  Mukden incident\n"
    for form in ("18 Sep", "Sep 18", "18 September", "18.9.", "9月18日", "18 Sep 1931"):
        assert run("on-this-day", form, "--today", "2031-01-01", *DATA).stdout == expected
    clash = run("on-this-day", "27 Jan O.S.", "--calendar", "gregorian", *DATA)
    assert clash.exit_code == 2
    assert clash.stderr == ("khalkhin: error: '27 Jan O.S.' is an Old Style day, but "
                            "--calendar says gregorian\n")
    wrong = run("on-this-day", "--calendar", "lunar", *DATA)
    assert wrong.exit_code == 2 and "'lunar': use gregorian or julian" in wrong.stderr


# --- the forms shown ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "calendar", "form"),
    [
        ("1904-02-08/1904-02-09", "julian", "26–27 Jan 1904 O.S."),
        ("1904-08/1904-09", "julian", "19 Jul – 17 Sep 1904 O.S."),  # one run of days
        ("1905-07-07/1905-07-31", "julian", "24 Jun – 18 Jul 1905 O.S."),
        ("1904~/1905", "julian", "c. 19 Dec 1903 – 18 Dec 1905 O.S."),
        ("1905-10/", "julian", "(18 Sep – 18 Oct 1905 O.S.) – ?"),
        ("1905-10/..", "julian", "from 18 Sep 1905 O.S."),
        ("../1905", "julian", "until 18 Dec 1905 O.S."),
        ("1939-05-11/1939-09-16", "japanese", "Shōwa 14 (昭和14年) 5月11日 – 9月16日"),
        ("1939-05/1939-09", "manchukuo", "Kangde 6 (康德6年) 5月 – 9月"),
        ("1913/1915", "mongolian", "Olnoo Örgögdsön 2–5"),
    ],
)
def test_forms_as_historians_write_them(text: str, calendar: str, form: str) -> None:
    from khalkhin.calendars import calendars_for

    assert calendars_for(dates.parse(text), [calendar]) == {calendar: form}


def test_which_calendars() -> None:
    from khalkhin import calendars
    from khalkhin.model import Chronology, Entity, Event, Relation

    d = dates.parse("1915-06-07")
    chron = Chronology(entities={
        "russian-empire": Entity("russian-empire", "state", "Russia"),
        "urga": Entity("urga", "place", "Urga", calendars=("mongolian",)),
        "kuropatkin": Entity("kuropatkin", "person", "K",
                             relations=(Relation("served", "russian-empire"),)),
        "witte": Entity("witte", "person", "W", calendars=()),
        "treaty": Entity("treaty", "treaty", "T", given=("japanese",),
                         relations=(Relation("party-to", "russian-empire"),)),
    })
    assert calendars.event_calendars(chron, Event("a", d, "A", place="urga")) == ["mongolian"]
    assert calendars.event_calendars(chron, Event("b", d, "B", given=("minguo",))) == ["minguo"]
    assert calendars.event_calendars(chron, Event("c", d, "C", entities=("russian-empire",),
                                                  calendars=())) == []
    assert calendars.entity_calendars(chron, chron.entities["kuropatkin"]) == ["julian"]
    assert calendars.entity_calendars(chron, chron.entities["witte"]) == []
    assert calendars.entity_calendars(chron, chron.entities["treaty"]) == ["julian", "japanese"]
    assert calendars.entity_calendars(chron, chron.entities["russian-empire"]) == ["julian"]


@pytest.mark.parametrize(
    ("text", "calendar", "form"),
    [
        ("1934/1935", "manchukuo", "Datong 3 (大同3年) – Kangde 2 (康德2年)"),  # not three eras
        ("1931~/1934~", "manchukuo", "… – c. Kangde 1 (康德元年)"),
        ("1904-06-14?/1904-06-15", "julian", "1 Jun 1904? – 2 Jun 1904 O.S."),
        ("1939/1939-05", "japanese", "Shōwa 14 (昭和14年) – Shōwa 14 (昭和14年) 5月"),
    ],
)
def test_interval_forms(text: str, calendar: str, form: str) -> None:
    from khalkhin.calendars import calendars_for

    assert calendars_for(dates.parse(text), [calendar]) == {calendar: form}


def test_the_readme_forms_read_as_shown() -> None:
    import re

    from khalkhin.datetext import parse_input

    readme = (TESTS.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Dates as the sources give them", 1)[1]
    table = section.split("| written | read as |", 1)[1].split("\n\n", 1)[0]
    rows = [r for r in table.splitlines() if r.startswith("| `")]
    assert len(rows) >= 12
    for row in rows:
        written, meant = row.strip("|").split(" | ")
        texts = re.findall(r"`([^`]+)`", written)
        values = re.findall(r"`([^`]+)`", meant)
        values = values * len(texts) if len(values) == 1 else values
        for text, value in zip(texts, values, strict=True):
            assert parse_input(text) == value, row
            assert [f[0] for f in find_dates(f"in {text} then")] == [value], row


# --- properties -------------------------------------------------------------------------------

WORDS = st.sampled_from(["Tank Brigade", "Army", "Division", "Far Eastern Front", "Corps",
                         "Rifle Regiment", "killed", "tanks", "-n", "id"])


@given(st.integers(1, 999), st.sampled_from(["st", "nd", "rd", "th"]), WORDS)
def test_ordinals_and_units_are_never_dates(n: int, suffix: str, word: str) -> None:
    assert find_dates(f"{n}{suffix} {word}") == []
    assert find_dates(f"{word} {n % 100}") == []
    assert find_dates(f"battle-of-{n}-{word.replace(' ', '-').lower()}") == []


@given(st.dates(date(1904, 1, 1), date(1946, 12, 31)), WORDS)
def test_a_day_is_found_in_any_query(d: date, word: str) -> None:
    from khalkhin.datetext import _MONTHS

    month = _MONTHS[d.month - 1].capitalize()
    for text in (f"{d.day} {month} {d.year}", f"{month} {d.day}, {d.year}",
                 f"{d.day}.{d.month}.{d.year}", d.isoformat()):
        [(edtf, lo, hi, matched)] = find_dates(f"{word} {text} {word}")
        assert (edtf, lo, hi, matched) == (d.isoformat(), d.toordinal(), d.toordinal(), text)
