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
