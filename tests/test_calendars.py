"""Calendar conversions pinned to published dates, and which calendars an event is shown in."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khalkhin import calendars as cal
from khalkhin.dates import parse

ALL = list(cal.CALENDARS)


# --- published dates --------------------------------------------------------------------------


def test_russias_declaration_of_war_1904() -> None:
    # 27 January 1904 O.S. = 9 February 1904 N.S.
    assert cal.from_julian(1904, 1, 27) == date(1904, 2, 9)
    assert cal.to_julian(date(1904, 2, 9)) == (1904, 1, 27)
    assert cal.calendars_for(parse("1904-02-09"), ["julian"]) == {"julian": "27 Jan 1904 O.S."}


def test_october_revolution() -> None:
    # 25 October 1917 O.S. = 7 November 1917
    assert cal.from_julian(1917, 10, 25) == date(1917, 11, 7)
    assert cal.to_julian(date(1917, 11, 7)) == (1917, 10, 25)


def test_first_new_style_day() -> None:
    # The day after 31 January 1918 O.S. was 14 February 1918.
    assert cal.from_julian(1918, 1, 31) + timedelta(days=1) == date(1918, 2, 14)
    assert cal.FIRST_NEW_STYLE == date(1918, 2, 14)
    assert cal.calendars_for(parse("1918-02-13"), ["julian"]) == {"julian": "31 Jan 1918 O.S."}
    assert cal.calendars_for(parse("1918-02-14"), ["julian"]) == {}
    assert not cal.in_use("julian", parse("1918-02-14"))
    assert cal.in_use("julian", parse("1918-02"))


def test_japanese_eras() -> None:
    assert cal.japanese_era(date(1904, 2, 10)) == ("Meiji", 37)
    assert cal.japanese_era(date(1904, 1, 1)) == ("Meiji", 37)
    assert cal.japanese_era(date(1868, 1, 1)) == ("Meiji", 1)  # the convention used
    assert cal.japanese_era(date(1867, 12, 31)) is None
    assert cal.japanese_era(date(1912, 7, 29)) == ("Meiji", 45)
    assert cal.japanese_era(date(1912, 7, 30)) == ("Taishō", 1)  # Taishō 1 begins 30 Jul 1912
    assert cal.japanese_era(date(1926, 12, 24)) == ("Taishō", 15)
    assert cal.japanese_era(date(1926, 12, 25)) == ("Shōwa", 1)  # Shōwa 1 begins 25 Dec 1926
    assert cal.japanese_era(date(1939, 8, 20)) == ("Shōwa", 14)
    assert cal.japanese_era(date(1989, 1, 7)) == ("Shōwa", 64)
    assert cal.japanese_era(date(1989, 1, 8)) == ("Heisei", 1)


def test_era_names_and_native_years() -> None:
    showa = cal.era_named("Shōwa")
    assert showa is not None
    for name in ("Showa", "昭和", "S", "s", "SHOWA", "Shouwa", "Syowa"):
        assert cal.era_named(name) == showa, name
    assert (showa.name, showa.ascii, showa.native, showa.letter) == ("Shōwa", "Showa", "昭和",
                                                                     "S")
    assert [e.native for e in cal.ERAS if e.calendar == "japanese"][:3] == ["明治", "大正",
                                                                              "昭和"]
    assert [e.letter for e in cal.ERAS if e.calendar == "japanese"][:4] == ["M", "T", "S", "H"]
    assert showa.native_year(1) == "昭和元年" and showa.native_year(14) == "昭和14年"
    minguo = cal.era_named("民国")
    assert minguo is not None and minguo is cal.era_named("民國") is cal.era_named("Min-kuo")
    assert cal.era_named("Kang-te") is cal.era_named("康德") is cal.era_named("Kangde")
    assert cal.era_named("Tokugawa") is None


def test_minguo_and_manchukuo_years() -> None:
    assert cal.era_year("minguo", date(1912, 1, 1)) == ("Minguo", 1)  # Minguo 1 = 1912
    assert cal.era_year("minguo", date(1939, 8, 20)) == ("Minguo", 28)  # Minguo 28 = 1939
    assert cal.era_year("minguo", date(1911, 12, 31)) is None
    assert cal.era_year("manchukuo", date(1932, 2, 29)) is None
    assert cal.era_year("manchukuo", date(1932, 3, 1)) == ("Datong", 1)
    assert cal.era_year("manchukuo", date(1934, 2, 28)) == ("Datong", 3)
    assert cal.era_year("manchukuo", date(1934, 3, 1)) == ("Kangde", 1)  # Kangde 1 = 1934
    assert cal.era_year("manchukuo", date(1939, 8, 20)) == ("Kangde", 6)
    assert cal.era_year("manchukuo", date(1945, 8, 31)) == ("Kangde", 12)
    assert cal.era_year("manchukuo", date(1945, 9, 1)) is None


def test_bogd_khan_era() -> None:
    assert cal.era_year("mongolian", date(1912, 6, 1)) == ("Olnoo Örgögdsön", 2)
    assert cal.era_year("mongolian", date(1911, 12, 29)) == ("Olnoo Örgögdsön", 1)
    assert cal.era_year("mongolian", date(1911, 12, 28)) is None
    assert cal.era_year("mongolian", date(1924, 11, 26)) is None
    # Lunar years: a day of January or February may still be in the year before.
    assert cal.calendars_for(parse("1913-01-20"), ["mongolian"]) == {
        "mongolian": "Olnoo Örgögdsön 2–3"}
    assert cal.calendars_for(parse("1913-06-20"), ["mongolian"]) == {
        "mongolian": "Olnoo Örgögdsön 3"}


def test_from_era() -> None:
    taisho = cal.era_named("T")
    assert taisho is not None
    assert cal.from_era(taisho, 1) == (date(1912, 7, 30), date(1912, 12, 31))
    assert cal.from_era(taisho, 15, 12) == (date(1926, 12, 1), date(1926, 12, 24))
    with pytest.raises(cal.CalendarError, match="Taishō ran from year 1 to 15"):
        cal.from_era(taisho, 16)
    with pytest.raises(cal.CalendarError, match="has no month 6"):
        cal.from_era(taisho, 1, 6)
    with pytest.raises(cal.CalendarError, match="is not in Taishō 1"):
        cal.from_era(taisho, 1, 7, 29)
    with pytest.raises(cal.CalendarError, match="day 31 is out of range"):
        cal.from_era(taisho, 2, 6, 31)


def test_julian_errors() -> None:
    assert cal.from_julian(1900, 2, 29) == date(1900, 3, 13)  # a Julian leap day
    with pytest.raises(cal.CalendarError, match="does not exist"):
        cal.from_julian(1901, 2, 29)
    with pytest.raises(cal.CalendarError, match="month 13"):
        cal.from_julian(1901, 13, 1)
    with pytest.raises(cal.CalendarError, match="outside the years"):
        cal.from_julian(1, 1, 1)


# --- forms ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "forms"),
    [
        ("1904-02-10", {"julian": "28 Jan 1904 O.S.", "japanese": "Meiji 37 (明治37年) 2月10日"}),
        ("1904-02", {"julian": "19 Jan – 16 Feb 1904 O.S.", "japanese": "Meiji 37 (明治37年) 2月"}),
        ("1904", {"julian": "19 Dec 1903 – 18 Dec 1904 O.S.", "japanese": "Meiji 37 (明治37年)"}),
        ("1904-02-08/1905-09-05", {
            "julian": "26 Jan 1904 – 23 Aug 1905 O.S.",
            "japanese": "Meiji 37 (明治37年) 2月8日 – Meiji 38 (明治38年) 9月5日"}),
        ("1912", {"julian": "19 Dec 1911 – 18 Dec 1912 O.S.",
                  "japanese": "Meiji 45 (明治45年) – Taishō 1 (大正元年)",
                  "minguo": "Minguo 1 (民國元年)", "mongolian": "Olnoo Örgögdsön 1–2"}),
        ("1939-08-20", {"japanese": "Shōwa 14 (昭和14年) 8月20日",
                        "minguo": "Minguo 28 (民國28年) 8月20日",
                        "manchukuo": "Kangde 6 (康德6年) 8月20日"}),
        ("1939~", {"japanese": "c. Shōwa 14 (昭和14年)", "minguo": "c. Minguo 28 (民國28年)",
                   "manchukuo": "c. Kangde 6 (康德6年)"}),
        ("1945-08-09T00:10", {"japanese": "Shōwa 20 (昭和20年) 8月9日, 00:10",
                              "minguo": "Minguo 34 (民國34年) 8月9日, 00:10",
                              "manchukuo": "Kangde 12 (康德12年) 8月9日, 00:10"}),
        ("1917-11-07/1918-03", {"julian": "25 Oct 1917 O.S. – …",
                                "japanese": "Taishō 6 (大正6年) 11月7日 – Taishō 7 (大正7年) 3月",
                                "minguo": "Minguo 6 (民國6年) 11月7日 – Minguo 7 (民國7年) 3月",
                                "mongolian": "Olnoo Örgögdsön 7–8"}),
        ("1931-09-18/1945-08", {"japanese": "Shōwa 6 (昭和6年) 9月18日 – Shōwa 20 (昭和20年) 8月",
                                "minguo": "Minguo 20 (民國20年) 9月18日 – Minguo 34 (民國34年) 8月",
                                "manchukuo": "… – Kangde 12 (康德12年) 8月"}),
        ("1941/..", {"japanese": "from Shōwa 16 (昭和16年)", "minguo": "from Minguo 30 (民國30年)",
                     "manchukuo": "from Kangde 8 (康德8年)"}),
        ("1850", {"julian": "20 Dec 1849 – 19 Dec 1850 O.S."}),
    ],
)
def test_forms(text: str, forms: dict[str, str]) -> None:
    assert cal.calendars_for(parse(text), ALL) == forms


def test_structured_form() -> None:
    [form] = cal.calendar_forms(parse("1904-02-08/1905-09-05"), ["japanese"])
    assert form.first == cal.CalendarDate("japanese", "Meiji", 37, 2, 8)
    assert form.last == cal.CalendarDate("japanese", "Meiji", 38, 9, 5)
    [julian] = cal.calendar_forms(parse("1904-02-09"), ["julian"])
    assert julian.first == julian.last == ("julian", None, 1904, 1, 27)
    [year] = cal.calendar_forms(parse("1926"), ["japanese"])
    assert (year.first, year.last) == (("japanese", "Taishō", 15, None, None),
                                       ("japanese", "Shōwa", 1, None, None))
    assert form._asdict()["first"]._asdict() == {"calendar": "japanese", "era": "Meiji",
                                                  "year": 37, "month": 2, "day": 8}


def test_unknown_calendar() -> None:
    with pytest.raises(cal.CalendarError, match="did you mean 'julian'"):
        cal.calendars_for(parse("1904"), ["julain"])


# --- which calendars -----------------------------------------------------------------------


def test_applicable() -> None:
    assert cal.applicable({"russian-empire", "japan"}, parse("1904-02-08")) == ["julian",
                                                                               "japanese"]
    assert cal.applicable({"soviet-union"}, parse("1917-11-07")) == ["julian"]
    assert cal.applicable({"soviet-union", "japan", "mongolia", "manchukuo"},
                          parse("1939-08-20")) == ["japanese", "manchukuo"]
    assert cal.applicable({"china", "republic-of-china"}, parse("1911")) == []
    assert cal.applicable({"china"}, parse("1937-07-07")) == ["minguo"]
    assert cal.applicable({"bogd-khanate", "mongolian-peoples-republic"},
                          parse("1915-06-07")) == ["mongolian"]
    assert cal.applicable({"manchukuo"}, parse("1945-09-02")) == []
    assert cal.applicable({"zhukov", "united-states"}, parse("1939")) == []


def test_bundled_state_ids_are_mapped() -> None:
    import khalkhin

    chron = khalkhin.load_chronology(use_cache=False)
    states = {e.id for e in chron.entities.values() if e.kind == "state"}
    for sid in ("russian-empire", "soviet-union", "japan", "manchukuo", "china", "mongolia",
                "bogd-khanate"):
        assert sid in states and sid in cal.PARTY_CALENDARS


def test_event_calendars_from_data(tmp_path: Path) -> None:
    import khalkhin

    f = tmp_path / "cal.yaml"
    f.write_text(
        "sources:\n  - {id: s, title: \"S\"}\n"
        "entities:\n"
        "  - {id: japan, kind: state, name: \"Japan\", sources: [s]}\n"
        "  - {id: russia, kind: state, name: \"Russia\", calendars: [julian], sources: [s]}\n"
        "  - {id: kwantung, kind: unit, name: \"Kwantung Army\", calendars: [japanese],"
        " sources: [s]}\n"
        "events:\n"
        "  - {id: a, date: 1904-02-08, title: \"A\", entities: [japan, russia], sources: [s]}\n"
        "  - {id: b, date: 1931-09-18, title: \"B\", entities: [kwantung], sources: [s]}\n"
        "  - {id: c, date: 1904-02-09, title: \"C\", entities: [japan], sources: [s],"
        " calendars: [julian]}\n"
        "  - {id: d, date: 1904-02-10, title: \"D\", entities: [japan], sources: [s],"
        " calendars: []}\n"
        "  - {id: e, date: 1939, title: \"E\", entities: [russia], sources: [s]}\n",
        encoding="utf-8")
    for cache in (False, True, True):
        chron = khalkhin.load_chronology(str(f), bundled=False, use_cache=cache)
        got = {e.id: cal.event_calendars(chron, e) for e in chron.events}
        assert got == {"a": ["julian", "japanese"], "b": ["japanese"], "c": ["julian"],
                       "d": [], "e": []}
        assert chron.entities["russia"].calendars == ("julian",)
        assert chron.entities["japan"].calendars is None
        assert chron.event_index["d"].calendars == ()


def test_unknown_calendar_in_data(run: object, tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(
        "sources:\n  - {id: s, title: \"S\"}\n"
        "events:\n"
        "  - {id: a, date: 1904-02-08, title: \"A\", sources: [s], calendars: [julain]}\n",
        encoding="utf-8")
    result = run("check", "--no-bundled", str(f))  # type: ignore[operator]
    assert result.exit_code == 1
    assert "unknown calendar 'julain'; did you mean 'julian'? [calendar]" in result.stdout


# --- properties ----------------------------------------------------------------------------

days = st.dates(date(1904, 1, 1), date(1946, 12, 31))


@given(days)
def test_julian_round_trip(day: date) -> None:
    y, m, d = cal.to_julian(day)
    assert cal.from_julian(y, m, d) == day
    assert (day - date(y, m, d)).days == (13 if day >= date(1900, 3, 1) else 12)


@given(days)
def test_era_round_trip(day: date) -> None:
    for calendar in ("japanese", "minguo", "manchukuo"):
        era = cal.era_at(calendar, day)
        if era is None:
            continue
        year = era.year_of(day)
        assert cal.from_era(era, year, day.month, day.day) == (day, day)
        lo, hi = cal.from_era(era, year)
        assert lo <= day <= hi


def test_every_day_of_the_period_round_trips() -> None:
    day, last = date(1904, 1, 1), date(1946, 12, 31)
    while day <= last:
        for calendar in ("japanese", "minguo", "manchukuo"):
            era = cal.era_at(calendar, day)
            if era is not None:
                assert cal.from_era(era, era.year_of(day), day.month, day.day) == (day, day)
        day += timedelta(days=1)


def test_importing_calendars_does_not_import_convertdate() -> None:
    import subprocess
    import sys

    probe = ("import sys, khalkhin.calendars, khalkhin.datetext, khalkhin.validate; "
             "print(any(m.split('.')[0] == 'convertdate' for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=60, check=True)
    assert out.stdout.strip() == "False"
