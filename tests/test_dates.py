"""EDTF parsing, bounds, ordering and human form."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khalkhin import dates
from khalkhin.dates import EdtfError, human, parse


def d(y: int, m: int, dd: int) -> int:
    return date(y, m, dd).toordinal()


@pytest.mark.parametrize(
    ("text", "lower", "upper", "precision"),
    [
        ("1939", d(1939, 1, 1), d(1939, 12, 31), dates.YEAR),
        ("1939-08", d(1939, 8, 1), d(1939, 8, 31), dates.MONTH),
        ("1940-02", d(1940, 2, 1), d(1940, 2, 29), dates.MONTH),
        ("1939-08-20", d(1939, 8, 20), d(1939, 8, 20), dates.DAY),
        ("193X", d(1930, 1, 1), d(1939, 12, 31), dates.DECADE),
        ("19XX", d(1900, 1, 1), d(1999, 12, 31), dates.CENTURY),
        ("1939-XX", d(1939, 1, 1), d(1939, 12, 31), dates.YEAR),
        ("1939-08-XX", d(1939, 8, 1), d(1939, 8, 31), dates.MONTH),
        ("1939?", d(1939, 1, 1), d(1939, 12, 31), dates.YEAR),
        ("1939-08~", d(1939, 8, 1), d(1939, 8, 31), dates.MONTH),
        ("1939-08-20%", d(1939, 8, 20), d(1939, 8, 20), dates.DAY),
        ("1938-07-29/1938-08-11", d(1938, 7, 29), d(1938, 8, 11), dates.DAY),
        ("1904/1905", d(1904, 1, 1), d(1905, 12, 31), dates.YEAR),
        ("1941/..", d(1941, 1, 1), dates.MAX_DAY, dates.YEAR),
        ("../1904", dates.MIN_DAY, d(1904, 12, 31), dates.YEAR),
        ("1941/", d(1941, 1, 1), dates.MAX_DAY, dates.YEAR),
    ],
)
def test_bounds(text: str, lower: int, upper: int, precision: int) -> None:
    e = parse(text)
    assert (e.lower, e.upper, e.precision) == (lower, upper, precision)
    assert e.text == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1939-02-29", "day 29 is out of range (Feb 1939 has 28 days)"),
        ("1939-13", "month 13 is out of range (01–12)"),
        ("1939-8-1", "is not an EDTF date"),
        ("39", "is not an EDTF date"),
        ("1939-08-20/1939-08-01", "the interval ends before it starts"),
        ("../..", "needs at least one known end"),
        ("1939-21", "seasons"),
        ("", "empty date"),
        ("1939/1940/1941", "more than one"),
    ],
)
def test_invalid(text: str, message: str) -> None:
    with pytest.raises(EdtfError, match=None) as info:
        parse(text)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("1939-08-20", "20 Aug 1939"),
        ("1939-08", "Aug 1939"),
        ("1939", "1939"),
        ("1939~", "c. 1939"),
        ("1939?", "1939?"),
        ("1939%", "c. 1939?"),
        ("193X", "1930s"),
        ("1938-07-29/1938-08-11", "29 Jul – 11 Aug 1938"),
        ("1939-07-03/1939-07-05", "3–5 Jul 1939"),
        ("1939-05/1939-09", "May – Sep 1939"),
        ("1904-02-08/1905-09-05", "8 Feb 1904 – 5 Sep 1905"),
        ("1941/..", "from 1941"),
        ("../1904", "until 1904"),
        ("1945-08-19~/1945-09", "c. 19 Aug 1945 – Sep 1945"),
    ],
)
def test_human(text: str, shown: str) -> None:
    assert human(parse(text)) == shown


def test_yaml_values_normalise() -> None:
    assert dates.from_yaml_value(1939) == "1939"
    assert dates.from_yaml_value(date(1939, 8, 20)) == "1939-08-20"
    with pytest.raises(EdtfError):
        dates.from_yaml_value(True)


# --- properties ----------------------------------------------------------------------------

years = st.integers(1, 9999)
quals = st.sampled_from(["", "?", "~", "%"])


@st.composite
def single(draw: st.DrawFn) -> str:
    y = draw(years)
    form = draw(st.sampled_from(["y", "m", "d", "x1", "x2", "mx", "dx"]))
    q = draw(quals)
    if form == "y":
        return f"{y:04d}{q}"
    if form == "x1":
        return f"{y:04d}"[:3] + "X" + q if y >= 10 else f"{y:04d}{q}"
    if form == "x2":
        return f"{y:04d}"[:2] + "XX" + q if y >= 100 else f"{y:04d}{q}"
    m = draw(st.integers(1, 12))
    if form == "m":
        return f"{y:04d}-{m:02d}{q}"
    if form == "mx":
        return f"{y:04d}-XX{q}"
    if form == "dx":
        return f"{y:04d}-{m:02d}-XX{q}"
    dd = draw(st.integers(1, 28))
    return f"{y:04d}-{m:02d}-{dd:02d}{q}"


@st.composite
def any_date(draw: st.DrawFn) -> str:
    a = draw(single())
    kind = draw(st.sampled_from(["single", "interval", "open-end", "open-start"]))
    if kind == "single":
        return a
    if kind == "open-end":
        return f"{a}/.."
    if kind == "open-start":
        return f"../{a}"
    b = draw(single())
    pa, pb = parse(a), parse(b)
    return f"{a}/{b}" if pb.upper >= pa.lower else f"{b}/{a}" if pa.upper >= pb.lower else a


@given(any_date())
def test_roundtrip_and_bounds(text: str) -> None:
    e = parse(text)
    assert parse(e.text) == e
    assert e.lower <= e.upper
    assert human(e)


@given(any_date(), any_date(), any_date())
def test_ordering_is_consistent(a: str, b: str, c: str) -> None:
    ka, kb, kc = (parse(x).sort_key for x in (a, b, c))
    assert (ka <= kb) or (kb <= ka)
    if ka <= kb and kb <= kc:
        assert ka <= kc


@given(st.text(max_size=30))
def test_garbage_never_crashes(text: str) -> None:
    try:
        e = parse(text)
    except EdtfError:
        return
    assert e.lower <= e.upper
