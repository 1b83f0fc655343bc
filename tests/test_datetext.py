"""Dates typed the way people write them: every form, published dates, errors, round trips."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khalkhin import calendars as cal
from khalkhin import dates
from khalkhin.datetext import DateInputError, parse_input

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("1939", "1939"),
        ("1939-08", "1939-08"),
        ("1939-08-20", "1939-08-20"),
        (" 1939-08-20 ", "1939-08-20"),
        ("Aug 1939", "1939-08"),
        ("August 1939", "1939-08"),
        ("aug 1939", "1939-08"),
        ("Sept 1939", "1939-09"),
        ("9 June 1940", "1940-06-09"),
        ("June 9, 1940", "1940-06-09"),
        ("June 9th, 1940", "1940-06-09"),
        ("9 Jun 1940", "1940-06-09"),
        ("9.6.1940", "1940-06-09"),  # day.month.year
        ("09.06.1940", "1940-06-09"),
        ("1940.6.9", "1940-06-09"),  # a four-digit year first: year.month.day
        ("1939-8-1", "1939-08-01"),
        ("Spring 1904", "1904-21"),
        ("Winter 1904", "1904-24"),
        ("c. 1939", "1939~"),
        ("circa Aug 1939", "1939-08~"),
        ("1939?", "1939?"),
        ("c. 1939?", "1939%"),
        ("1930s", "193X"),
        ("9 Aug 1945, 00:10", "1945-08-09T00:10"),
        ("9 Aug 1945 00:10:30", "1945-08-09T00:10:30"),
        ("9 Aug 1945, 11:02 UTC+09:00", "1945-08-09T11:02+09:00"),
        ("9 Aug 1945, 00:10 UTC", "1945-08-09T00:10Z"),
        # Japanese eras
        ("Shōwa 14", "1939"),
        ("Showa 14", "1939"),
        ("S14", "1939"),
        ("S.14", "1939"),
        ("S14.8.20", "1939-08-20"),
        ("Shōwa 14.8", "1939-08"),
        ("明治37年", "1904"),  # Meiji 37 = 1904
        ("M37", "1904"),
        ("昭和14年8月20日", "1939-08-20"),
        ("昭和十四年八月二十日", "1939-08-20"),
        ("昭和１４年８月２０日", "1939-08-20"),  # full-width digits
        ("Meiji 37 (明治37年) 2月10日", "1904-02-10"),
        ("Taishō 1", "1912-07-30/1912-12-31"),  # Taishō 1 begins 30 Jul 1912
        ("大正元年", "1912-07-30/1912-12-31"),
        ("T1.7.30", "1912-07-30"),
        ("Meiji 45", "1912-01-01/1912-07-29"),
        ("Shōwa 1", "1926-12-25/1926-12-31"),  # Shōwa 1 begins 25 Dec 1926
        ("昭和元年12月25日", "1926-12-25"),
        ("H1", "1989-01-08/1989-12-31"),
        # Republic of China and Manchukuo
        ("民国28年", "1939"),  # Minguo 28 = 1939
        ("民國28年", "1939"),
        ("Minguo 1", "1912"),  # Minguo 1 = 1912
        ("中華民國元年", "1912"),
        ("康德6年", "1939"),
        ("Kangde 1", "1934-03/1934-12"),  # Kangde 1 = 1934, from 1 March
        ("Kang-te 6", "1939"),
        ("大同2年", "1933"),
        ("Datong 1", "1932-03/1932-12"),
        ("Datong 3", "1934-01/1934-02"),
        ("Kangde 12", "1945-01/1945-08"),
        ("Olnoo Örgögdsön 2", "1912~"),  # a lunar year: about 1912
        # Old Style
        ("1904-01-27 O.S.", "1904-02-09"),  # Russia's declaration of war
        ("27 Jan 1904 (O.S.)", "1904-02-09"),
        ("27 January 1904 O.S.", "1904-02-09"),
        ("27 Jan 1904 OS", "1904-02-09"),
        ("27 Jan 1904 Old Style", "1904-02-09"),
        ("25 Oct 1917 O.S.", "1917-11-07"),  # the October Revolution
        ("31 Jan 1918 O.S.", "1918-02-13"),  # the last Old Style day
        ("Jan 1904 O.S.", "1904-01-14/1904-02-13"),
        ("1904 O.S.", "1904-01-14/1905-01-13"),
        ("9 Feb 1904 N.S.", "1904-02-09"),
    ],
)
def test_forms(text: str, edtf: str) -> None:
    assert parse_input(text) == edtf
    dates.parse(edtf)  # always valid EDTF


def test_first_new_style_day_follows_the_last_old_style_day() -> None:
    last_old = date.fromisoformat(parse_input("31 Jan 1918 O.S."))
    assert date.fromordinal(last_old.toordinal() + 1) == date(1918, 2, 14)
    assert parse_input("1 Feb 1918 O.S.") == "1918-02-14"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Agu 1939", "'Agu 1939': did you mean 'Aug 1939'?"),
        ("Augst 9, 1940", "did you mean 'August 9, 1940'?"),
        ("Shoowa 14", "did you mean 'Shōwa 14'?"),
        ("Sprnig 1904", "did you mean 'Spring 1904'?"),
        ("9/6/1940", "did you mean '9.6.1940'?"),
        ("hello", "'hello' is not a date this tool reads; write it like 1939-08-20"),
        ("1939-02-29", "day 29 is out of range (Feb 1939 has 28 days)"),
        ("31 Jun 1940", "day 31 is out of range (Jun 1940 has 30 days)"),
        ("Taishō 16", "Taishō ran from year 1 to 15"),
        ("Kangde 13", "Kangde ran from year 1 to 12"),
        ("Datong 3.3", "Datong 3 has no month 3"),
        ("S14.2.30", "day 30 is out of range"),
        ("Meiji 37 (昭和14年)", "'昭和14年' is not Meiji 37"),
        ("1901-02-29 O.S.", "29 Feb 1901 O.S. does not exist"),
        ("Spring 1904 O.S.", "a season has no Old Style form"),
        ("Aug 1939, 10:00", "a time of day needs a day"),
        ("Olnoo Örgögdsön 2.3", "years only"),
        ("1900s", "write 190X (the decade) or 19XX (the century)"),
        ("", "empty date"),
    ],
)
def test_errors(text: str, message: str) -> None:
    with pytest.raises(DateInputError) as info:
        parse_input(text)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert isinstance(info.value, dates.EdtfError)


def test_valid_edtf_beyond_the_years_is_a_range_error() -> None:
    for text in ("-0044", "Y170000002"):
        with pytest.raises(dates.EdtfRangeError, match="outside the years this tool handles"):
            parse_input(text)


# --- round trips ---------------------------------------------------------------------------

days = st.dates(date(1904, 1, 1), date(1946, 12, 31))


def written(day: date) -> list[str]:
    month = MONTHS[day.month - 1]
    return [day.isoformat(), f"{day.day} {month} {day.year}", f"{day.day} {month[:3]} {day.year}",
            f"{month} {day.day}, {day.year}", f"{day.day}.{day.month}.{day.year}",
            f"{day.year}.{day.month}.{day.day}", dates.human(dates.parse(day.isoformat()))]


@given(days)
def test_every_written_form_round_trips(day: date) -> None:
    for text in written(day):
        assert parse_input(text) == day.isoformat(), text


@given(days)
def test_every_calendar_form_round_trips(day: date) -> None:
    iso = day.isoformat()
    for form in cal.calendar_forms(dates.parse(iso), ["julian", "japanese", "minguo",
                                                      "manchukuo"]):
        assert parse_input(form.text) == iso, form.text
    y, m, d = cal.to_julian(day)
    assert parse_input(f"{y}-{m:02d}-{d:02d} O.S.") == iso
    assert parse_input(f"{d} {MONTHS[m - 1]} {y} (O.S.)") == iso
    for calendar in ("japanese", "minguo", "manchukuo"):
        era = cal.era_at(calendar, day)
        if era is None:
            continue
        n = era.year_of(day)
        assert parse_input(f"{era.native_year(n)}{day.month}月{day.day}日") == iso
        assert parse_input(f"{era.ascii} {n}.{day.month}.{day.day}") == iso
        if era.letter:
            assert parse_input(f"{era.letter}{n}.{day.month}.{day.day}") == iso


@given(days)
def test_era_years_cover_their_days(day: date) -> None:
    for calendar in ("japanese", "minguo", "manchukuo"):
        era = cal.era_at(calendar, day)
        if era is None:
            continue
        e = dates.parse(parse_input(f"{era.name} {era.year_of(day)}"))
        assert e.lower <= day.toordinal() <= e.upper


@given(st.dates(date(1904, 1, 1), date(1946, 12, 31)),
       st.sampled_from(["", "T00:10", "T06:00:30", "T23:59+09:00", "T12:00Z"]),
       st.sampled_from(["", "~", "?", "%"]))
def test_human_forms_read_back(day: date, clock: str, q: str) -> None:
    text = day.isoformat() + (clock if clock else q)
    assert parse_input(dates.human(dates.parse(text))) == text


@given(st.integers(1904, 1946), st.integers(1, 12), st.integers(21, 24))
def test_month_and_season_forms_read_back(year: int, month: int, season: int) -> None:
    for text in (f"{year}-{month:02d}", f"{year}", f"{year}-{season}"):
        assert parse_input(dates.human(dates.parse(text))) == text
    assert parse_input(f"{MONTHS[month - 1]} {year}") == f"{year}-{month:02d}"


@given(st.text(max_size=30))
def test_garbage_never_crashes(text: str) -> None:
    try:
        out = parse_input(text)
    except dates.EdtfError:
        return
    dates.parse(out)


def test_every_day_of_the_period_round_trips() -> None:
    # Not a sample: each of the 15,706 days of 1904-1946, in each written and calendar form.
    day, last = date(1904, 1, 1), date(1946, 12, 31)
    while day <= last:
        iso = day.isoformat()
        for text in written(day):
            assert parse_input(text) == iso, text
        for form in cal.calendar_forms(dates.parse(iso), ["julian", "japanese", "minguo",
                                                          "manchukuo"]):
            assert parse_input(form.text) == iso, form.text
        day = date.fromordinal(day.toordinal() + 1)


def test_the_documented_forms_read_as_documented() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "data.md").read_text("utf-8")
    table = doc.split("### Writing dates as people do", 1)[1].split("\n\n")[2]
    rows = [r for r in table.splitlines() if r.startswith("| `")]
    assert len(rows) >= 12
    for row in rows:
        forms, meant = row.strip("|").split(" | ")
        for fs, ms in zip(forms.split(";"), meant.split(";"), strict=True):
            texts = re.findall(r"`([^`]+)`", fs)
            values = re.findall(r"`([^`]+)`", ms)
            values = values * len(texts) if len(values) == 1 else values
            for text, value in zip(texts, values, strict=True):
                assert parse_input(text) == value, row
