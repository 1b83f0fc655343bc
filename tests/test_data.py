"""The bundled chronology: complete, sourced, consistent, every reference resolving."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

from khalkhin.chronology import check
from khalkhin.model import Chronology
from khalkhin.paths import bundled_path
from khalkhin.text import fold


@cache
def bundled() -> tuple[Chronology, tuple[object, ...]]:
    chron, problems = check([str(bundled_path())])
    assert chron is not None
    return chron, tuple(problems)


def test_no_errors_and_no_warnings() -> None:
    _, problems = bundled()
    assert [str(p) for p in problems] == []


def test_size() -> None:
    chron, _ = bundled()
    assert len(chron.events) >= 150
    assert len(chron.entities) >= 60
    kinds = Counter(e.kind for e in chron.entities.values())
    for kind in ("person", "place", "state", "organization", "unit", "treaty", "battle", "war"):
        assert kinds[kind] > 0, kind


def test_every_event_and_claim_has_a_known_source() -> None:
    chron, _ = bundled()
    for ev in chron.events:
        assert ev.sources, ev.id
        assert all(r.source in chron.sources for r in ev.sources), ev.id
    for c in chron.claims:
        assert c.source.source in chron.sources


def test_every_source_is_cited() -> None:
    chron, _ = bundled()
    cited = {r.source for ev in chron.events for r in ev.sources}
    cited |= {r.source for e in chron.entities.values() for r in e.sources}
    cited |= {c.source.source for c in chron.claims}
    assert set(chron.sources) == cited


def test_every_entity_is_linked() -> None:
    chron, _ = bundled()
    for ent in chron.entities.values():
        assert chron.events_of(ent.id) or chron.links(ent.id), ent.id


def test_ids_unique_and_readable() -> None:
    text = bundled_path().read_text(encoding="utf-8")
    ids = re.findall(r"^  - id: (\S+)$", text, re.M)
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", i) for i in ids)


def test_aliases_shared_only_by_homonyms() -> None:
    chron, _ = bundled()
    owners: dict[str, set[str]] = {}
    for ent in chron.entities.values():
        for name in {fold(ent.name), *(fold(a) for a in ent.aliases)}:
            owners.setdefault(name, set()).add(ent.id)
    for name, ids in owners.items():
        if len(ids) > 1:
            for i in ids:
                assert ids - {i} <= set(chron.entities[i].homonyms), (name, ids)


def test_spellings_from_the_source_texts() -> None:
    chron, _ = bundled()
    names = {fold(a): e.id for e in chron.entities.values() for a in (e.name, *e.aliases)}
    for spelling, ident in [
        ("Khalkhin Gol", "battle-of-khalkhin-gol"), ("Halhin Gol", "battle-of-khalkhin-gol"),
        ("Khalkhyn Gol", "battle-of-khalkhin-gol"), ("Nomonhan", "battle-of-khalkhin-gol"),
        ("Kwantung Army", "kwantung-army"), ("Guandong Army", "kwantung-army"),
        ("Demchigdonggrud", "demchugdongrub"), ("De Wang", "demchugdongrub"),
        ("Qahar", "qahar"), ("Chahar", "qahar"), ("Lake Khasan", "battle-of-lake-khasan"),
    ]:
        assert names.get(fold(spelling)) == ident, spelling
    assert fold("Trans-Baykal Military District") in names
    assert fold("Trans-Baikal Military District") in names


def test_disagreeing_losses_are_kept_side_by_side() -> None:
    chron, _ = bundled()
    claims = [c for c in chron.claims if c.subject == "battle-of-khalkhin-gol"
              and c.property.startswith("losses-japanese")]
    assert len({c.source.source for c in claims}) >= 2
    lc = [c for c in claims if c.source.source == "lc-1989"]
    assert len(lc) >= 2


def test_lasting_things_have_intervals() -> None:
    chron, _ = bundled()
    for ent in chron.entities.values():
        if ent.kind in ("war", "occupation", "operation") and ent.dates is not None:
            assert ent.dates.is_interval, ent.id


def test_dated_statements_of_the_texts_are_events() -> None:
    chron, _ = bundled()
    by_day = {(e.date.text, r.source) for e in chron.events for r in e.sources}
    for day in ["1939-05-11", "1939-08-20", "1939-08-31", "1939-09-16", "1940-06-09",
                "1941-04-13", "1945-08-10", "1945-08-14", "1945-10-20", "1946-01-05",
                "1946-02-14", "1936-03-01"]:
        assert (day, "lc-1989") in by_day, day
    cordier = {e.date.text[:4] for e in chron.events for r in e.sources
               if r.source == "cordier-2003"}
    assert {"1904", "1905", "1918", "1922", "1931", "1936", "1937", "1938", "1939"} <= cordier


def test_readme_counts_are_true() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    chron, _ = bundled()
    m = re.search(r"holds (\d+) events, (\d+) entities.*?(\d+) claims and (\d+) sources",
                  readme, re.S)
    assert m is not None
    assert tuple(map(int, m.groups())) == (len(chron.events), len(chron.entities),
                                           len(chron.claims), len(chron.sources))


def test_every_year_has_at_least_two_events() -> None:
    from datetime import date

    chron, _ = bundled()
    years: Counter[int] = Counter(date.fromordinal(e.date.lower).year for e in chron.events
                                  if e.date.start.precision != 0)
    thin = {y: years[y] for y in range(1904, 1947) if years[y] < 2}
    assert thin == {}


def test_every_treaty_is_signed_dated_with_parties_and_a_text_to_read() -> None:
    chron, _ = bundled()
    problems = []
    for ent in chron.entities.values():
        if ent.kind != "treaty":
            continue
        parties = [lk for lk in chron.links(ent.id) if lk.label == "party"]
        text = [r for r in ent.sources
                if r.url or (chron.sources.get(r.source) and chron.sources[r.source].url)]
        if ent.signed is None:
            problems.append(f"{ent.id}: no signature date")
        if ent.dates is None:
            problems.append(f"{ent.id}: no dates in force")
        if not parties:
            problems.append(f"{ent.id}: no parties")
        if not text:
            problems.append(f"{ent.id}: no source with a url")
    assert problems == []


# Words a note meant for curators would use; a reader should never see them.
CURATION = re.compile(r"\b(?:[Ss]uggested for|bundled|TODO|FIXME|owners? of [a-z-]+:|"
                      r"replaces the (?:bundled )?entry|this part\b|[Cc]orrected entry|"
                      r"earlier (?:version|summary))")


def test_no_curation_text_reaches_a_reader() -> None:
    chron, _ = bundled()
    texts = [(e.id, e.note) for e in chron.entities.values()]
    texts += [(e.id, e.summary) for e in chron.entities.values()]
    texts += [(e.id, e.note) for e in chron.events] + [(e.id, e.summary) for e in chron.events]
    texts += [(f"{c.subject}/{c.property}", c.note) for c in chron.claims]
    texts += [(s.id, s.note) for s in chron.sources.values()]
    assert [i for i, t in texts if t and CURATION.search(t)] == []
    assert CURATION.search("Suggested for the owner of soviet-union: {type: annexed}")


def test_every_url_is_web_and_every_locator_says_something() -> None:
    chron, _ = bundled()
    refs = [r for e in chron.events for r in e.sources]
    refs += [r for e in chron.entities.values() for r in e.sources]
    refs += [c.source for c in chron.claims]
    urls = [r.url for r in refs if r.url] + [s.url for s in chron.sources.values() if s.url]
    assert all(re.match(r"https?://[^\s/]+\.[^\s]+$", u) for u in urls)
    assert all(r.locator.strip() for r in refs if r.locator is not None)


def test_half_of_the_events_cite_something_a_reader_can_open() -> None:
    chron, _ = bundled()

    def checkable(e: object) -> bool:
        return any(r.locator or r.url or (chron.sources.get(r.source) and
                                          chron.sources[r.source].url)
                   for r in e.sources)  # type: ignore[attr-defined]

    assert sum(map(checkable, chron.events)) >= len(chron.events) / 2
