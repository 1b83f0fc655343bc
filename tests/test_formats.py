"""Every output format for every command, each parsed by a real consumer; data stays data."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer

from khalkhin.cli import app
from khalkhin.render import Format, supports

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile.yaml"

# command -> (arguments, the view it renders)
COMMANDS: dict[str, tuple[list[str], str]] = {
    "timeline": ([], "timeline"),
    "show": (["zhukov"], "profile"),
    "search": (["zhukov"], "records"),
    "compare": (["zhukov", "battle-of-khalkhin-gol"], "compare"),
    "figures": ([], "records"),
    "list": ([], "records"),
    "tags": ([], "records"),
    "sources": ([], "records"),
}
EXISTING = {c.name for c in typer.main.get_command(app).commands.values()}  # type: ignore[attr-defined]

# What no text format may let through: C0 (but \t \n), DEL, C1, bidi controls.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def has_form(fmt: Format, view: str, command: str | None = None) -> bool:
    return fmt is Format.AUTO or supports(fmt, view, command)


def parse(fmt: Format, out: str) -> Any:
    """Read output the way a consumer of the format would; fail if it cannot."""
    if fmt in (Format.JSON, Format.TIMELINEJS):
        return json.loads(out)
    if fmt is Format.CSLJSON:
        from tests.consumers import citeproc_bibliography

        items = json.loads(out)
        assert citeproc_bibliography(items)
        return items
    if fmt is Format.BIBTEX:
        from tests.consumers import bibtex_entries

        entries = bibtex_entries(out)
        assert entries
        return entries
    if fmt is Format.JSONL:
        return [json.loads(line) for line in out.splitlines()]
    if fmt is Format.CSV:
        rows = list(csv.reader(io.StringIO(out, newline="")))
        assert len({len(r) for r in rows}) == 1, "every CSV row has the header's width"
        return rows
    if fmt is Format.ICS:
        import icalendar

        return icalendar.Calendar.from_ical(out)
    if fmt is Format.MARKDOWN:
        from markdown_it import MarkdownIt

        return MarkdownIt("commonmark").enable("table").parse(out)
    assert "\x1b" not in out
    return out


@pytest.mark.parametrize("fmt", list(Format), ids=lambda f: f.value)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_format_for_every_command(run: Any, mini: list[str], command: str,
                                        fmt: Format) -> None:
    if command not in EXISTING:
        pytest.skip(f"the '{command}' command does not exist")
    args, view = COMMANDS[command]
    result = run(command, *args, *mini, "--format", fmt.value)
    if has_form(fmt, view, command):
        assert result.exit_code == 0, result.stderr
        assert result.stdout.strip()
        parse(fmt, result.stdout)
    else:
        assert result.exit_code == 2
        assert result.stdout == ""
        usable = ", ".join(f.value for f in Format if has_form(f, view, command))
        assert result.stderr == (f"khalkhin: error: --format {fmt.value} is not available for "
                                 f"'{command}'; use one of: {usable}\n")


def test_only_timeline_has_calendar_forms() -> None:
    for fmt in (Format.ICS, Format.TIMELINEJS):
        assert [v for v in ("timeline", "profile", "compare", "records")
                if has_form(fmt, v)] == ["timeline"]
    for fmt in Format:
        assert has_form(fmt, "timeline") is (fmt is not Format.SVG)
    for fmt in (Format.CSLJSON, Format.BIBTEX):  # the listings that cite sources
        assert [c for c in COMMANDS if has_form(fmt, COMMANDS[c][1], c)] == [
            "timeline", "show", "compare", "figures", "sources"]
    assert [f for f in Format if has_form(f, "chart")] == [
        Format.AUTO, Format.TABLE, Format.PLAIN, Format.SVG]


# --- hostile text: literal in every format, never raw control characters --------------------

HOSTILE_ARGS = ["--no-bundled", "--data", str(HOSTILE), "--long"]


@pytest.mark.parametrize("fmt", [f for f in Format if f is not Format.AUTO], ids=lambda f: f.value)
def test_hostile_text_never_reaches_the_terminal_raw(run: Any, fmt: Format) -> None:
    if not has_form(fmt, "timeline"):
        pytest.skip(f"{fmt.value} has no timeline")
    result = run("timeline", *HOSTILE_ARGS, "--format", fmt.value, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    body = result.stdout.replace("\r\n", "\n")
    assert not RAW_CONTROL.findall(body)
    parse(fmt, result.stdout)


@pytest.mark.parametrize("fmt", [Format.PLAIN, Format.TABLE, Format.CSV], ids=lambda f: f.value)
def test_markup_in_data_prints_literally(run: Any, fmt: Format) -> None:
    result = run("timeline", *HOSTILE_ARGS, "--format", fmt.value, "--color", "always",
                 env={"COLUMNS": "250"})
    assert "[bold]Pact[/] :warning: signed" in result.stdout
    assert "<script>x</script> & *stars*" in result.stdout


def test_json_keeps_data_complete_and_escapes_controls(run: Any) -> None:
    out = run("timeline", *HOSTILE_ARGS, "-f", "jsonl").stdout
    assert "\\u009b" in out and "\\u202e" in out and "\x9b" not in out
    pact = [json.loads(line) for line in out.splitlines()][-1]
    assert pact["title"] == "[bold]Pact[/] :warning: signed \x1b[2J\x1b[31mRED\x1b[0m"
    assert "CSI\x9b31m, bidi \u202eevil\u202c" in pact["summary"]


def test_markdown_renders_data_literally(run: Any) -> None:
    from markdown_it import MarkdownIt

    out = run("timeline", *HOSTILE_ARGS, "-f", "markdown").stdout
    html = MarkdownIt("commonmark").render(out)
    assert "[bold]Pact[/] :warning: signed" in html
    assert "&lt;script&gt;x&lt;/script&gt; &amp; *stars* | pipe" in html
    assert "<script>" not in html and "<em>" not in html and "<strong>stars" not in html


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_timeline_bullets_human_dates_and_footnotes(run: Any, mini: list[str]) -> None:
    out = run("timeline", *mini, "--to", "1938", "-f", "markdown").stdout
    assert out == (
        "- **18 Sep 1931** \u2014 Japan occupies Manchuria [^1]\n"
        "- **29 Jul \u2013 11 Aug 1938** \u2014 Clash at Lake Khasan (note 1)\n"
        "\n"
        "[^1]: Sherwood S. Cordier, \u201cWorld War II: Soviet and Japanese Forces "
        "Battle at Khalkhin Gol\u201d, World War II, 2003-07.\n"
    )


def test_markdown_footnotes_one_per_source_and_locator(run: Any, mini: list[str]) -> None:
    from markdown_it import MarkdownIt

    out = run("timeline", *mini, "-f", "markdown", "--from", "1939-08").stdout
    assert out.splitlines()[:3] == [
        "- **1939** \u2014 Railway to Choybalsan completed [^1]",
        "- **May \u2013 Sep 1939** \u2014 Fighting on the eastern Mongolian border [^2]",
        "- **20 Aug 1939** \u2014 Soviet\u2013Mongolian offensive opens [^3]"]
    assert out.splitlines()[3] == "- **16 Sep 1939** \u2014 Cease-fire takes effect (note 3)"
    defs = re.findall(r"^\[\^(\d+)\]: (.*)$", out, flags=re.M)
    assert [n for n, _ in defs] == ["1", "2", "3"]
    # The locator is inside the note, a section heading in quotes.
    assert defs[2][1].endswith("1989-06, \u201cSoviet-Mongolian Defeat Japanese\u201d.")
    assert "Defeat Japanese)" not in out.split("\n\n")[0]
    tokens = MarkdownIt("commonmark").parse(out)
    assert tokens[0].type == "bullet_list_open"


def test_markdown_footnote_used_again_points_to_its_number(run: Any, mini: list[str]) -> None:
    out = run("timeline", *mini, "-f", "markdown").stdout
    refs = re.findall(r"\[\^(\d+)\](?!:)", out)
    assert refs == sorted(set(refs), key=int)  # each referenced once, in order of first use
    assert "Cease-fire takes effect (note 4)" in out  # the same source and locator as note 4
    assert "Soviet\u2013Mongolian offensive opens [^4]" in out


def test_markdown_pandoc_citations(run: Any, mini: list[str]) -> None:
    out = run("timeline", *mini, "-f", "markdown", "--cite", "pandoc", "--from", "1939-08-20")
    lines = out.stdout.splitlines()
    assert lines[-2:] == [
        "- **20 Aug 1939** \u2014 Soviet\u2013Mongolian offensive opens "
        "[@lc-1989, sec. Soviet-Mongolian Defeat Japanese]",
        "- **16 Sep 1939** \u2014 Cease-fire takes effect "
        "[@lc-1989, sec. Soviet-Mongolian Defeat Japanese]"]
    assert "[^" not in out.stdout
    env = run("timeline", *mini, "-f", "markdown", env={"KHALKHIN_CITE": "pandoc"}).stdout
    assert "[@cordier-2003]" in env


def test_pandoc_citation_text_is_escaped() -> None:
    from khalkhin.render.markdown import _pandoc_cite

    assert _pandoc_cite("x", "Preamble; Articles I\u2013III", None) == \
        "@x, sec. Preamble\\; Articles I\u2013III"
    assert _pandoc_cite("x", "p. 12", "https://example.org/a") == \
        "@x, p. 12, <https://example.org/a>"
    assert _pandoc_cite("x", "see @y [z]", None) == "@x, sec. see \\@y \\[z\\]"
    assert _pandoc_cite("odd-", None, None) == "@{odd-}"


def test_markdown_compare_is_a_table(run: Any, mini: list[str]) -> None:
    from markdown_it import MarkdownIt

    if "compare" not in EXISTING:
        pytest.skip("the 'compare' command does not exist")
    out = run("compare", "zhukov", "battle-of-khalkhin-gol", *mini, "-f", "markdown").stdout
    assert out.startswith("|  | Georgy Zhukov | Battle of Khalkhin Gol |\n| --- | --- | --- |\n")
    types = [t.type for t in MarkdownIt("commonmark").enable("table").parse(out)]
    assert "table_open" in types
    assert "more than 18,000 killed and 25,000 wounded [^" in out
    assert out.rstrip().splitlines()[-1].startswith("[^")
    assert "Robert L. Worden" in out.rstrip().splitlines()[-1]


def test_markdown_profile_has_front_matter_and_headings(run: Any, mini: list[str]) -> None:
    import yaml

    if "show" not in EXISTING:
        pytest.skip("the 'show' command does not exist")
    out = run("show", "battle-of-khalkhin-gol", *mini, "-f", "markdown").stdout
    assert out.startswith("---\n")
    head, body = out[4:].split("\n---\n\n", 1)
    meta = yaml.safe_load(head)
    assert meta == {
        "title": "Battle of Khalkhin Gol",
        "aliases": ["Khalkhin Gol", "Halhin Gol", "Khalkhyn Gol", "Nomonhan"],
        "kind": "battle", "id": "battle-of-khalkhin-gol", "edtf": "1939-05-11/1939-09-16",
        "start": __import__("datetime").date(1939, 5, 11),
        "end": __import__("datetime").date(1939, 9, 16),
        "tags": ["battle"], "sources": ["lc-1989"]}
    assert body.startswith("# Battle of Khalkhin Gol\n\n- **Kind:** battle")
    for heading in ("## Figures", "## Events"):
        assert f"\n{heading}\n" in body
    assert "- **losses-japanese:** as many as 80,000 casualties (An upper estimate.) [^3]" in out
    assert out.rstrip().endswith("[^3]: Robert L. Worden and Andrea Matles Savada (eds.), "
                                 "Mongolia: A Country Study, Federal Research Division, "
                                 "Library of Congress, 1989-06, \u201cMongolia in World War "
                                 "II\u201d.")


def test_front_matter_of_an_event_and_hostile_text(run: Any) -> None:
    import yaml

    out = run("show", "hostile-pact", *HOSTILE_ARGS[:-1], "-f", "markdown").stdout
    meta = yaml.safe_load(out[4:].split("\n---\n", 1)[0])
    assert meta["kind"] == "event" and meta["id"] == "hostile-pact"
    assert meta["title"].startswith("[bold]Pact[/] :warning: signed \ufffd[2J")
    assert all(" " not in t for t in meta["tags"])


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_timeline_header_lists_and_crlf(run: Any, mini: list[str], tmp_path: Path) -> None:
    target = tmp_path / "t.csv"
    run("timeline", *mini, "--from", "1939-08-20", "--to", "1939-08-20", "-f", "csv",
        "-o", str(target))
    out = target.read_bytes().decode("utf-8")  # CliRunner would turn CRLF into LF
    assert out.count("\r\n") == 4 and out.count("\n") == 4
    assert out.split("\r\n")[0] == ("id,date,start,end,when,title,summary,tags,entities,place,"
                                    "sources,note")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    by_id = {r["id"]: r for r in rows}
    off = by_id["offensive-1939-08-20"]
    assert off["tags"] == "khalkhin-gol;battle"
    assert off["entities"] == "zhukov;first-army-group;battle-of-khalkhin-gol"
    assert off["sources"] == "lc-1989 (Soviet-Mongolian Defeat Japanese)"
    assert by_id["fighting-1939"]["start"] == "1939-05-01"


def test_csv_quotes_by_rfc4180(run: Any) -> None:
    out = run("timeline", *HOSTILE_ARGS, "-f", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert rows[-1]["summary"].endswith("| pipe; semi, comma \\ back.")
    assert rows[0]["title"] == "\u017dukov \u2013 \u0416\u0443\u043a\u043e\u0432 \u2013 " \
                               "Kant\u014dgun \u2014 \u201cquoted\u201d war"


# --- iCalendar ----------------------------------------------------------------------------------


def _calendar(run: Any, *args: str) -> tuple[str, Any]:
    import tempfile

    import icalendar

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "t.ics"
        run("timeline", *args, "-f", "ics", "-o", str(target), env={"SOURCE_DATE_EPOCH": "0"})
        out = target.read_bytes().decode("utf-8")  # CliRunner would turn CRLF into LF
    return out, icalendar.Calendar.from_ical(out)


def test_ics_all_day_events_with_exclusive_end(run: Any, mini: list[str]) -> None:
    from datetime import date

    out, cal = _calendar(run, *mini)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert len(events) == 7
    # A year or a month is one entry on its first day, its precision in the title: a calendar
    # does not fill every day of 1939 with it.
    year = events["year-1939@khalkhin.invalid"]
    assert (year.decoded("DTSTART"), year.decoded("DTEND")) == (date(1939, 1, 1), date(1939, 1, 2))
    assert str(year["SUMMARY"]).endswith(" (1939)")
    assert "(EDTF 1939; shown on its first day)" in str(year["DESCRIPTION"])
    day = events["offensive-1939-08-20@khalkhin.invalid"]
    assert (day.decoded("DTSTART"), day.decoded("DTEND")) == (date(1939, 8, 20),
                                                             date(1939, 8, 21))
    span = events["fighting-1939@khalkhin.invalid"]
    assert (span.decoded("DTSTART"), span.decoded("DTEND")) == (date(1939, 5, 1),
                                                               date(1939, 5, 2))
    assert str(span["SUMMARY"]).endswith("(May \u2013 Sep 1939)")
    assert str(day["SUMMARY"]) == "Soviet\u2013Mongolian offensive opens"
    desc = str(day["DESCRIPTION"])
    assert "Sources: Robert L. Worden and Andrea Matles Savada (eds.), Mongolia: A Country " \
           "Study" in desc and "\u201cSoviet-Mongolian Defeat Japanese\u201d" in desc
    assert "DTSTAMP:19700101T000000Z\r\n" in out
    assert "DTSTART;VALUE=DATE:19390820\r\n" in out


def test_ics_lines_are_folded_crlf_and_escaped(run: Any) -> None:
    out, cal = _calendar(run, *HOSTILE_ARGS)
    assert out.endswith("END:VCALENDAR\r\n")
    lines = out.split("\r\n")[:-1]
    assert "\n" not in "".join(lines)
    assert max(len(line.encode("utf-8")) for line in lines) <= 75
    assert any(line.startswith(" ") for line in lines)
    for line in lines:  # a fold never splits a UTF-8 sequence
        line.encode("utf-8").decode("utf-8")
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    pact = events["hostile-pact@khalkhin.invalid"]
    assert str(pact["SUMMARY"]).startswith("[bold]Pact[/] :warning: signed \ufffd[2J")
    assert "| pipe; semi, comma \\ back." in str(pact["DESCRIPTION"])
    assert str(events["hostile-war@khalkhin.invalid"]["SUMMARY"]).startswith("\u017dukov")
    opened = events["hostile-open@khalkhin.invalid"]  # 1941/..: the first day of the known year
    assert str(opened.decoded("DTSTART")) == "1941-01-01"
    assert str(opened.decoded("DTEND")) == "1941-01-02"


def test_ics_fold_unit() -> None:
    from khalkhin.render.ics import escape, fold

    folded = fold("DESCRIPTION:" + "\u0416" * 60)
    parts = folded[:-2].split("\r\n ")
    assert [len(p.encode()) for p in parts] == [74, 58]
    assert "".join(parts) == "DESCRIPTION:" + "\u0416" * 60
    assert escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


# --- TimelineJS ---------------------------------------------------------------------------------


def test_timelinejs_fields(run: Any, mini: list[str]) -> None:
    doc = json.loads(run("timeline", *mini, "-f", "timelinejs").stdout)
    assert set(doc) == {"events", "title"}
    assert doc["title"] == {"text": {"headline": "Khalkhin chronology",
                                     "text": "<p>7 events, 1931\u20131939</p>"}}
    by_id = {e["unique_id"]: e for e in doc["events"]}
    for ev in doc["events"]:  # what the TimelineJS3 JSON format requires of a slide
        assert isinstance(ev["start_date"]["year"], int)
        assert set(ev["text"]) == {"headline", "text"}
    assert by_id["offensive-1939-08-20"]["start_date"] == {"year": 1939, "month": 8, "day": 20}
    assert "end_date" not in by_id["offensive-1939-08-20"]
    assert by_id["year-1939"]["start_date"] == {"year": 1939}
    assert by_id["fighting-1939"]["start_date"] == {"year": 1939, "month": 5}
    assert by_id["fighting-1939"]["end_date"] == {"year": 1939, "month": 9}
    assert by_id["khasan-clash"]["display_date"] == "29 Jul \u2013 11 Aug 1938"
    assert by_id["khasan-clash"]["text"]["headline"] == "Clash at Lake Khasan"
    assert by_id["khasan-clash"]["text"]["text"].endswith(
        "<p><small>Sources: Cordier 2003</small></p>")
    assert by_id["khasan-clash"]["group"] == "Border wars, 1932\u201339"
    assert by_id["year-1939"]["group"] == "Other events"


def test_timelinejs_eras_and_html_escaping(run: Any) -> None:
    doc = json.loads(run("timeline", *HOSTILE_ARGS, "-f", "timelinejs").stdout)
    assert doc["eras"] == [{"start_date": {"year": 1904, "month": 2, "day": 8},
                            "end_date": {"year": 1905, "month": 9, "day": 5},
                            "text": {"headline": "\u017dukov \u2013 \u0416\u0443\u043a\u043e\u0432"
                                     " \u2013 Kant\u014dgun \u2014 \u201cquoted\u201d war"}}]
    pact = [e for e in doc["events"] if e["unique_id"] == "hostile-pact"][0]
    assert "&lt;script&gt;x&lt;/script&gt; &amp; *stars*" in pact["text"]["text"]
    opened = [e for e in doc["events"] if e["unique_id"] == "hostile-open"][0]
    assert opened["start_date"] == {"year": 1941} and "end_date" not in opened


def test_timelinejs_of_the_whole_chronology_stays_readable(run: Any) -> None:
    doc = json.loads(run("timeline", "-f", "timelinejs").stdout)
    assert len(doc["events"]) > 380
    groups = {e["group"] for e in doc["events"]}
    assert len(groups) <= 8 and all(" " in g or g == "Mongolia" for g in groups)
    headlines = [e["text"]["headline"] for e in doc["eras"]]
    assert "Russo-Japanese War" in headlines and "World War II" in headlines
    assert "Siberian Intervention" in headlines and len(headlines) <= 10
    # A slide is its summary, its note and short references; no full citation.
    longest = max(len(e["text"]["text"]) for e in doc["events"])
    assert longest < 2000
    texts = " ".join(e["text"]["text"] for e in doc["events"])
    assert "Federal Research Division" not in texts
    assert '<a href="https://history.state.gov/' in texts
    offensive = [e for e in doc["events"] if e["unique_id"] == "soviet-offensive-1939-08-20"][0]
    assert "Worden and Savada 1989, Soviet-Mongolian Defeat Japanese" in offensive["text"]["text"]
