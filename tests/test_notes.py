"""Into notes: CSL-JSON, BibTeX and Markdown citations, each judged by its real consumer
(citeproc-py, bibtexparser, pandoc)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from khalkhin.views import bibliography
from tests.consumers import (
    bibliography_ids,
    bibtex_entries,
    citeproc_bibliography,
    citeproc_cite,
    notes,
    pandoc_ast,
)

# Every author field of the bundled sources, and the names read from it: "Family, Given"
# for a person, "=" for a literal name (an institution, a single name), "eds:" for editors.
NAMES = {
    "Sherwood S. Cordier": "Cordier, Sherwood S.",
    "Robert L. Worden and Andrea Matles Savada (eds.)":
        "eds: Worden, Robert L. | Savada, Andrea Matles",
    "Alvin D. Coox": "Coox, Alvin D.",
    "Stuart D. Goldman": "Goldman, Stuart D.",
    "G. F. Krivosheev (ed.)": "eds: Krivosheev, G. F.",
    "David M. Glantz": "Glantz, David M.",
    "Boris Slavinsky": "Slavinsky, Boris",
    "Tsuyoshi Hasegawa": "Hasegawa, Tsuyoshi",
    "Baabar (Bat-Erdeniin Batbayar)": "=",
    "C. R. Bawden": "Bawden, C. R.",
    "Christopher P. Atwood": "Atwood, Christopher P.",
    "Denis Warner and Peggy Warner": "Warner, Denis | Warner, Peggy",
    "Paul E. Dunscomb": "Dunscomb, Paul E.",
    "Louise Young": "Young, Louise",
    "Jonathan Haslam": "Haslam, Jonathan",
    "John W. Garver": "Garver, John W.",
    "Andrew E. Barshay": "Barshay, Andrew E.",
    "Edgar Snow": "Snow, Edgar",
    "Ernest Batson Price": "Price, Ernest Batson",
    "Michael M. Walker": "Walker, Michael M.",
    "Joseph C. Grew, US Ambassador in Japan": "Grew, Joseph C.",
    "S. Ganbold, interviewed": "Ganbold, S.",
    "Hsu Yung-chang": "Hsu, Yung-chang",
    "Walter Thurston, US Chargé in the Soviet Union": "Thurston, Walter",
    "Nicholas II": "=",
    "F. Brinkley": "Brinkley, F.",
    "F. Brinkley and Dairoku Kikuchi": "Brinkley, F. | Kikuchi, Dairoku",
    "Rotem Kowner": "Kowner, Rotem",
    "John V. A. MacMurray (ed.)": "eds: MacMurray, John V. A.",
    "Matteo Miele": "Miele, Matteo",
    "Hsieh Chieh-shih, foreign minister of Manchukuo": "Hsieh, Chieh-shih",
    "Nelson T. Johnson, US Minister in China": "Johnson, Nelson T.",
    "Michael T. Florinsky": "Florinsky, Michael T.",
    "Nikita Vul": "Vul, Nikita",
    "Liubov' K. Khertek": "Khertek, Liubov' K.",
    "Bruce A. Elleman": "Elleman, Bruce A.",
    "Aitchen K. Wu": "Wu, Aitchen K.",
    "Vasily Molodyakov": "Molodyakov, Vasily",
    "Evan Mawdsley": "Mawdsley, Evan",
    "United States Department of State": "=",
    "The Avalon Project, Lillian Goldman Law Library, Yale Law School": "=",
    "International Military Tribunal for the Far East, prosecution records": "=",
    "Ministry of Foreign Affairs of the USSR (ed.)":
        "eds: =Ministry of Foreign Affairs of the USSR",
    "Japan Center for Asian Historical Records (JACAR), National Archives of Japan": "=",
    "A. A. Troyanovsky, Soviet plenipotentiary representative in Japan": "Troyanovsky, A. A.",
    "People's Commissariat of Defence of the USSR": "=",
    "Brian Bridges": "Bridges, Brian",
    "A. M. Prokhorov (ed.)": "eds: Prokhorov, A. M.",
    "Robert Conquest": "Conquest, Robert",
    "Алексей Павлюков (Aleksei Pavlyukov)": "Павлюков, Алексей",
    "Николай Великанов (Nikolai Velikanov)": "Великанов, Николай",
    "Laurence A. Steinhardt, US Ambassador in the Soviet Union": "Steinhardt, Laurence A.",
    "Joseph Stalin": "Stalin, Joseph",
    "William H. Standley, US Ambassador in the Soviet Union": "Standley, William H.",
    "Maxwell M. Hamilton, US Chargé in the Soviet Union": "Hamilton, Maxwell M.",
    "Cordell Hull, US Secretary of State": "Hull, Cordell",
    "W. Averell Harriman, US Ambassador in the Soviet Union": "Harriman, W. Averell",
    "O. Edmund Clubb, US Consul General at Vladivostok": "Clubb, O. Edmund",
    "J. V. Stalin": "Stalin, J. V.",
    "YOSHIDA Yutaka": "Yoshida, Yutaka",
    "Edward J. Drea": "Drea, Edward J.",
    "Otis Hays, Jr.": "Hays, Jr., Otis",
    "David L. Sears": "Sears, David L.",
    "Maksim Kolomiets": "Kolomiets, Maksim",
    "Mikhail Baryatinsky": "Baryatinsky, Mikhail",
    "D. I. Ortenberg (ed.)": "eds: Ortenberg, D. I.",
    "I. I. Fedyuninsky": "Fedyuninsky, I. I.",
    "Konstantin Simonov (recording G. K. Zhukov)": "Simonov, Konstantin",
    "Boris Egorov": "Egorov, Boris",
    "George F. Kennan, Chargé in the Soviet Union": "Kennan, George F.",
    "Walter S. Robertson, Chargé in China": "Robertson, Walter S.",
    "W. Averell Harriman, Ambassador in the Soviet Union": "Harriman, W. Averell",
    "George Atcheson, Political Adviser in Japan": "Atcheson, George",
    "Robert L. Smyth, Counselor of Embassy in China": "Smyth, Robert L.",
    "Max W. Bishop, Acting Political Adviser in Japan": "Bishop, Max W.",
    "William J. Sebald, Acting Political Adviser in Japan": "Sebald, William J.",
    "Walter Bedell Smith, Ambassador in the Soviet Union": "Smith, Walter Bedell",
    "Ben L. Anderson, G-3 Repatriation Branch, GHQ SCAP": "Anderson, Ben L.",
    "Cloyce K. Huston, Chargé in Japan": "Huston, Cloyce K.",
    "Dean Acheson, Secretary of State": "Acheson, Dean",
    "General Headquarters, Supreme Commander for the Allied Powers": "=",
    "Imperial General Headquarters, at the direction of the Supreme Commander for the Allied "
    "Powers":
        "=",
    "TANAKA Akihiko (project leader), 'The World and Japan' Database, GRIPS and the "
    "University of Tokyo":
        "Tanaka, Akihiko",
    "National Diet Library, Japan": "=",
    "Harry S. Truman": "Truman, Harry S.",
    "Magyar Távirati Iroda (after a Tass report)": "=",
    "Valentyna Polunina": "Polunina, Valentyna",
    "А. А. Кошкин (Anatoly Koshkin)": "Кошкин, А. А.",
    "Vadim J. Birstein": "Birstein, Vadim J.",
    "И. А. Плиев (Issa Pliev)": "Плиев, И. А.",
    "Николай Вишневский (Nikolai Vishnevsky)": "Вишневский, Николай",
}


def _shown(author: str) -> str:
    read = bibliography.names(author)
    return ("eds: " if read.editors else "") + " | ".join(
        "=" + n["literal"] if "literal" in n else bibliography.display(n) for n in read.people)


def test_names_of_every_bundled_source() -> None:
    import khalkhin

    chron = khalkhin.load_chronology()
    authors = {s.author for s in chron.sources.values() if s.author}
    assert authors == set(NAMES), "a new author: add how its names read to NAMES"
    expected = {a: "=" + a if NAMES[a] == "=" else NAMES[a] for a in authors}
    assert {a: _shown(a) for a in authors} == expected


@pytest.mark.parametrize(("author", "shown"), [
    ("Ludwig van Beethoven", "van Beethoven, Ludwig"),
    ("Charles de Gaulle", "de Gaulle, Charles"),
    ("Martin Luther King, Jr.", "King, Jr., Martin Luther"),
    ("Aleksandr Vasilevsky, Marshal of the Soviet Union", "Vasilevsky, Aleksandr"),
    ("Morten Bergsmo, CHEAH Wui Ling and YI Ping (eds.)",
     "eds: Bergsmo, Morten | Cheah, Wui Ling | Yi, Ping"),
    ("Pu Yi", "Yi, Pu"),
    ("The Times", "=The Times"),
    ("Voltaire", "=Voltaire"),
    ("  ", ""),
])
def test_names(author: str, shown: str) -> None:
    assert _shown(author) == shown


@pytest.mark.parametrize(("text", "label", "pandoc"), [
    ("p. 1282", "page", "p. 1282"),
    ("pp. 251–256", "page", "pp. 251–256"),
    ("Page 21", "page", "p. 21"),
    ("chapter 3, 'The First Escape, May, 1943'", "chapter",
     "chap. 3, 'The First Escape, May, 1943'"),
    ("Document 458", "issue", "no. 458"),
    ("Documents 324 and 397", "issue", "nos. 324 and 397"),
    ("No. 1905/18", "issue", "no. 1905/18"),
    ("Part 2, Document 133", "part", "pt. 2, Document 133"),
    ("paragraph I(b)", "paragraph", "para. I(b)"),
    ("Articles 1–3", None, "arts. 1–3"),
    ("Introduction", "section", "sec. Introduction"),
    ("Soviet-Mongolian Defeat Japanese", "section", "sec. Soviet-Mongolian Defeat Japanese"),
    ("section 'Военнопленные японцы'", "section", "sec. 'Военнопленные японцы'"),
    ("Part", "section", "sec. Part"),
])
def test_locators(text: str, label: str | None, pandoc: str) -> None:
    read = bibliography.locator(text)
    assert (read.label, read.pandoc) == (label, pandoc)
    assert read.heading is (label == "section" and not text.lower().startswith("sec"))


def _bundled_refs() -> list[Any]:
    import khalkhin

    chron = khalkhin.load_chronology()
    refs = [r for e in chron.events for r in e.sources]
    refs += [r for e in chron.entities.values() for r in e.sources]
    return refs + [c.source for c in chron.claims]


# --- CSL-JSON --------------------------------------------------------------------------------


def test_csljson_of_every_source_renders_in_citeproc(run: Any) -> None:
    items = json.loads(run("sources", "-f", "csljson").stdout)
    ids = [i["id"] for i in items]
    assert len(ids) == len(set(ids)) == 194
    rendered = citeproc_bibliography(items)
    assert len(rendered) == len(items)
    by_title = {i["title"]: i for i in items}
    for entry in rendered:  # every entry names its title
        assert any(t in entry for t in by_title), entry
    lc = next(i for i in items if i["id"] == "lc-1989")
    assert lc["type"] == "book"
    assert lc["editor"] == [{"family": "Worden", "given": "Robert L."},
                            {"family": "Savada", "given": "Andrea Matles"}]
    assert lc["issued"] == {"date-parts": [[1989, 6]]}
    assert "Worden, R.L. and Savada, A.M. (eds.) (1989) Mongolia: A Country Study." in \
        rendered[ids.index("lc-1989")]


def test_csl_types_and_containers(run: Any) -> None:
    items = {i["id"]: i for i in json.loads(run("sources", "-f", "csljson").stdout)}
    assert items["frus-1944v04-d779"]["type"] == "chapter"
    assert items["frus-1944v04-d779"]["container-title"].startswith("Foreign Relations")
    assert items["frus-1944v04-d779"]["author"] == [{"family": "Harriman",
                                                     "given": "W. Averell"}]
    assert items["cordier-2003"]["type"] == "article-magazine"
    assert items["spectator-1909-10-30"]["type"] == "article-newspaper"
    assert items["vul-2014"]["type"] == "article-journal"
    assert items["eb1911-china"]["type"] == "entry-encyclopedia"
    assert items["wikisource-basic-convention-1925"]["type"] == "webpage"
    assert items["wikisource-basic-convention-1925"]["container-title"] == "Wikisource"
    assert items["frus-1932-v04"]["author"] == [{"literal": "United States Department of State"}]
    assert items["zemlya-chita-yakovlev"]["issued"] == {"date-parts": [[2015]], "circa": True}
    polunina = items["polunina-2014"]
    assert polunina["type"] == "chapter"
    assert [n.get("family") for n in polunina["editor"]] == ["Bergsmo", "Cheah", "Yi"]
    assert polunina["container-title"].startswith("Historical Origins of International")


def test_every_bundled_locator_has_a_label_citeproc_prints(run: Any) -> None:
    items = json.loads(run("sources", "-f", "csljson").stdout)
    seen = set()
    for ref in _bundled_refs():
        if not ref.locator or (ref.source, ref.locator) in seen:
            continue
        seen.add((ref.source, ref.locator))
        read = bibliography.locator(ref.locator)
        assert read.pandoc.endswith(read.value)
        if read.label in ("page", "chapter", "paragraph", "issue"):
            cite = citeproc_cite(items, ref.source, read.label, read.value)
            # (citeproc writes a hyphen in a locator as a range's en dash)
            assert read.value.split()[0].replace("-", "\u2013") in cite.replace("-", "\u2013")
    assert len(seen) > 150


def test_csljson_of_a_timeline_is_what_it_cites(run: Any, mini: list[str]) -> None:
    items = json.loads(run("timeline", *mini, "--to", "1938", "-f", "csljson").stdout)
    assert [i["id"] for i in items] == ["cordier-2003"]
    show = json.loads(run("show", "zhukov", *mini, "-f", "csljson").stdout)
    assert [i["id"] for i in show] == ["lc-1989"]
    figures = json.loads(run("figures", *mini, "-f", "csljson").stdout)
    assert [i["id"] for i in figures] == ["lc-1989"]
    result = run("tags", *mini, "-f", "csljson")
    assert result.exit_code == 2 and "not available for 'tags'" in result.stderr


# --- BibTeX ----------------------------------------------------------------------------------


def test_bibtex_of_every_source_parses_back(run: Any) -> None:
    import bibtexparser
    from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
    from pylatexenc.latex2text import LatexNodes2Text

    import khalkhin

    chron = khalkhin.load_chronology()
    out = run("sources", "-f", "bibtex").stdout
    entries = bibtex_entries(out)
    assert set(entries) == set(chron.sources)
    decode = LatexNodes2Text().latex_to_text
    for sid, fields in entries.items():
        src = chron.sources[sid]
        assert decode(fields["title"]) == " ".join(src.title.split()), sid
        if src.date is not None:
            assert fields["year"] == str(src.date.start_date.year)  # type: ignore[union-attr]
    assert entries["frus-1944v04-d779"]["ENTRYTYPE"] == "incollection"
    assert entries["cordier-2003"]["ENTRYTYPE"] == "article"
    assert entries["lc-1989"]["ENTRYTYPE"] == "book"
    assert entries["wikisource-basic-convention-1925"]["ENTRYTYPE"] == "misc"
    assert decode(entries["bawden-1968"]["publisher"]) == "Weidenfeld & Nicolson"
    # Names as BibTeX splits them: family and given as CSL has them; an institution whole.
    library = bibtexparser.parse_string(out, append_middleware=[SeparateCoAuthors(),
                                                                SplitNameParts()])
    names = {e.key: e.fields_dict for e in library.entries}
    lc = names["lc-1989"]["editor"].value
    assert [(n.last, n.first) for n in lc] == [(["Worden"], ["Robert", "L."]),
                                              (["Savada"], ["Andrea", "Matles"])]
    state = names["frus-1932-v04"]["author"].value
    assert len(state) == 1 and state[0].last == ["{United States Department of State}"]
    hays = names["hays-1990"]["author"].value[0]
    assert (hays.last, hays.jr, hays.first) == (["Hays"], ["Jr."], ["Otis"])


def test_bibtex_escapes_what_latex_would_read(run: Any, tmp_path: Path) -> None:
    data = tmp_path / "odd.yaml"
    data.write_text(
        "sources:\n"
        "  - id: odd\n"
        "    author: \"A. {Brace} & Co_rp %50 $x# and B. ~Tilde^\\\\\"\n"
        "    title: \"}{ 100% of #1 & more_things \\\\end\"\n"
        "    url: \"https://example.org/a{b}?q=1%202\"\n"
        "events:\n"
        "  - {id: e, date: 1939, title: E, sources: [odd]}\n", encoding="utf-8")
    from pylatexenc.latex2text import LatexNodes2Text

    out = run("timeline", "--no-bundled", "--data", str(data), "-f", "bibtex").stdout
    entry = bibtex_entries(out)["odd"]
    decode = LatexNodes2Text().latex_to_text
    assert decode(entry["title"]) == "}{ 100% of #1 & more_things \\end"
    assert entry["url"] == "https://example.org/a%7Bb%7D?q=1%202"
    assert out.count("{") - out.count("\\{") == out.count("}") - out.count("\\}")


# --- Markdown with pandoc ------------------------------------------------------------------------


def _pairs(rows: list[dict[str, Any]]) -> set[tuple[str, str | None, str | None]]:
    return {(s["source"], s.get("locator"), s.get("url")) for r in rows for s in r["sources"]}


TIMELINE = ["--from", "1939", "--to", "1939"]


def test_pandoc_footnote_style_one_note_per_source_and_locator(run: Any) -> None:
    rows = json.loads(run("timeline", *TIMELINE, "-f", "json").stdout)
    md = run("timeline", *TIMELINE, "-f", "markdown").stdout
    made = notes(pandoc_ast(md))
    assert len(made) == len(_pairs(rows)) == len(set(made))
    # Each note has its locator inside it.
    assert any(n.endswith("“Soviet-Mongolian Defeat Japanese”.") for n in made)
    assert len(notes(pandoc_ast(md, source="gfm"))) == len(made)


def test_pandoc_style_with_csljson_one_entry_per_source(run: Any, tmp_path: Path) -> None:
    rows = json.loads(run("timeline", *TIMELINE, "-f", "json").stdout)
    cited = {s["source"] for r in rows for s in r["sources"]}
    md = run("timeline", *TIMELINE, "-f", "markdown", "--cite", "pandoc").stdout
    for fmt, name in (("csljson", "refs.json"), ("bibtex", "refs.bib")):
        refs = tmp_path / name
        run("sources", "-f", fmt, "-o", str(refs))  # the whole bibliography
        ast = pandoc_ast(md, "--citeproc", "--bibliography", str(refs), "--fail-if-warnings")
        found = bibliography_ids(ast)
        assert sorted(found) == sorted(cited), fmt
        assert notes(ast) == []
        text = json.dumps(ast)
        assert "???" not in text
    # The bibliography of exactly what was pasted.
    only = tmp_path / "only.json"
    run("timeline", *TIMELINE, "-f", "csljson", "-o", str(only))
    assert {i["id"] for i in json.loads(only.read_text())} == cited


def test_pandoc_reads_the_locators(run: Any, tmp_path: Path) -> None:
    md = run("timeline", "--from", "1905-09", "--to", "1905-09", "-f", "markdown", "--cite",
             "pandoc").stdout
    refs = tmp_path / "refs.json"
    run("timeline", "--from", "1905-09", "--to", "1905-09", "-f", "csljson", "-o", str(refs))
    import pypandoc  # noqa: F401  (the AST helper skips when it is missing)

    ast = pandoc_ast(md, "--citeproc", "--bibliography", str(refs))
    from tests.consumers import stringify

    body = stringify(ast["blocks"])
    assert re.search(r"no\. \d+", body), body[:500]


def test_pandoc_style_profile_and_figures(run: Any, tmp_path: Path) -> None:
    refs = tmp_path / "refs.json"
    run("show", "battle-of-khalkhin-gol", "-f", "csljson", "-o", str(refs))
    md = run("show", "battle-of-khalkhin-gol", "-f", "markdown", "--cite", "pandoc").stdout
    ast = pandoc_ast(md, "--citeproc", "--bibliography", str(refs), "--fail-if-warnings")
    assert set(bibliography_ids(ast)) == {i["id"] for i in json.loads(refs.read_text())}
    assert ast["meta"]["title"]["c"][0]["c"] == "Battle"  # the front matter is read
