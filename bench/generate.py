"""Synthetic chronologies for the benchmarks: the same events as YAML, JSON and a jrnl journal.

Deterministic (a fixed seed): the same size gives the same files on every machine.
"""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

SYLLABLES = ("ba", "ka", "ra", "mo", "ni", "to", "shi", "gol", "han", "lin", "ov", "sk", "ar",
             "zu", "der", "tai", "yen", "bor", "chu", "mir", "kha", "vel", "ton", "ur")
KINDS = ("person", "place", "unit", "battle", "organization", "treaty")
VERBS = ("Skirmish near", "Conference at", "Offensive towards", "Withdrawal from",
         "Treaty signed at", "Raid on", "Border incident at", "Reinforcements reach")
TAGS = ("battle", "diplomacy", "border", "aviation", "logistics", "khasan", "khalkhin-gol",
        "manchukuo", "siberia", "treaty")
FIRST, LAST = date(1904, 1, 1).toordinal(), date(1946, 12, 31).toordinal()


def word(n: int) -> str:
    """A pronounceable word, different for every n."""
    out = []
    n += 1
    while n:
        n, r = divmod(n, len(SYLLABLES))
        out.append(SYLLABLES[r])
    return "".join(out).capitalize()


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _date(rng: random.Random) -> tuple[str, date]:
    d = date.fromordinal(rng.randint(FIRST, LAST))
    r = rng.random()
    if r < 0.70:
        return d.isoformat(), d
    if r < 0.85:
        return f"{d.year}-{d.month:02d}", d.replace(day=1)
    if r < 0.93:
        return f"{d.year}", d.replace(month=1, day=1)
    end = date.fromordinal(min(d.toordinal() + rng.randint(2, 60), LAST))
    return f"{d.isoformat()}/{end.isoformat()}", d


def chronology(n_events: int, seed: int = 1939) -> dict[str, list[dict[str, object]]]:
    """Sources, entities (with aliases) and events as plain data."""
    rng = random.Random(seed)
    n_sources = max(5, n_events // 1000)
    n_entities = max(40, n_events // 10)
    sources = [{"id": f"src-{i}", "title": f"The {word(i + 7)} Papers, volume {i + 1}",
                "author": f"{word(i + 3)} {word(i + 11)}", "date": f"{1950 + i % 70}"}
               for i in range(n_sources)]
    entities = []
    for i in range(n_entities):
        kind = KINDS[i % len(KINDS)]
        a, b = word(i), word(i * 7 + 5)
        name = f"{a} {b}" if kind == "person" else f"{a}{b.lower()} {kind.capitalize()}"
        aliases = [f"{a[0]}. {b}", f"{a}{b.lower()}"] if kind == "person" else \
            [f"{a}{b.lower()}", f"{a}-{b}"]
        entities.append({"id": f"{a}-{b}-{i}".lower(), "kind": kind, "name": name,
                         "aliases": aliases, "summary": f"A {kind} in the records of "
                         f"{sources[i % n_sources]['title']}.",
                         "sources": [sources[i % n_sources]["id"]]})
    events = []
    for i in range(n_events):
        text, _d = _date(rng)
        ents = rng.sample(range(n_entities), rng.randint(1, 3))
        place = entities[ents[0]]["name"]
        events.append({
            "id": f"ev-{i:06d}",
            "date": text,
            "title": f"{rng.choice(VERBS)} {place}",
            "summary": f"Forces of {entities[ents[-1]]['name']} meet near {place}; "
                       f"{rng.randint(2, 900)} men are reported in report {i}.",
            "tags": sorted(set(rng.sample(TAGS, rng.randint(1, 3)))),
            "entities": [entities[e]["id"] for e in ents],
            "sources": [{"source": sources[i % n_sources]["id"], "locator": f"p. {i % 400 + 1}"}],
        })
    return {"sources": sources, "entities": entities, "events": events}


def write_yaml(chron: dict[str, list[dict[str, object]]], path: Path) -> None:
    """The khalkhin format: block lists, quoted text, flow lists for ids."""
    out = ["sources:"]
    for s in chron["sources"]:
        out += [f"  - id: {s['id']}", f"    title: {_q(str(s['title']))}",
                f"    author: {_q(str(s['author']))}", f"    date: {s['date']}"]
    out.append("entities:")
    for e in chron["entities"]:
        aliases = ", ".join(_q(a) for a in e["aliases"])  # type: ignore[attr-defined]
        out += [f"  - id: {e['id']}", f"    kind: {e['kind']}", f"    name: {_q(str(e['name']))}",
                f"    aliases: [{aliases}]", f"    summary: {_q(str(e['summary']))}",
                f"    sources: [{', '.join(e['sources'])}]"]  # type: ignore[arg-type]
    out.append("events:")
    for ev in chron["events"]:
        ref = ev["sources"][0]  # type: ignore[index]
        out += [f"  - id: {ev['id']}", f"    date: {ev['date']}",
                f"    title: {_q(str(ev['title']))}", f"    summary: {_q(str(ev['summary']))}",
                f"    tags: [{', '.join(ev['tags'])}]",  # type: ignore[arg-type]
                f"    entities: [{', '.join(ev['entities'])}]",  # type: ignore[arg-type]
                "    sources:",
                f"      - {{source: {ref['source']}, locator: {_q(ref['locator'])}}}"]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def write_json(chron: dict[str, list[dict[str, object]]], path: Path) -> None:
    path.write_text(json.dumps(chron, ensure_ascii=False), encoding="utf-8")


def write_jrnl(chron: dict[str, list[dict[str, object]]], path: Path) -> None:
    """A plain-text jrnl journal: one entry per event, dated by its first day, in date order."""
    from khalkhin import dates

    rows = []
    for ev in chron["events"]:
        d = date.fromordinal(dates.parse(str(ev["date"])).lower)
        rows.append((d, ev["id"], f"[{d.isoformat()} 09:00] {ev['title']}.\n{ev['summary']}\n"))
    rows.sort()
    path.write_text("\n".join(r[2] for r in rows), encoding="utf-8")


def from_yaml_file(path: Path) -> dict[str, list[dict[str, object]]]:
    """Any khalkhin chronology (e.g. the bundled one) as plain data for the JSON and jrnl peers."""
    from khalkhin.chronology import load

    chron = load([str(path)], bundled=False, use_cache=False)
    return {"events": [{"id": e.id, "date": e.date.text, "title": e.title, "summary": e.summary,
                        "tags": list(e.tags), "entities": list(e.entities)}
                       for e in chron.events]}


def write_yaml_parts(chron: dict[str, list[dict[str, object]]], directory: Path,
                     per_file: int = 100_000) -> list[Path]:
    """The chronology as several YAML files of at most ``per_file`` events each (the first
    also holds the sources and entities), as a researcher's large data would come: one
    file is at most tens of MiB, and the loader's limit is per file."""
    directory.mkdir(parents=True, exist_ok=True)
    events = chron["events"]
    paths = []
    for n, start in enumerate(range(0, max(len(events), 1), per_file)):
        part: dict[str, list[dict[str, object]]] = {
            "sources": chron["sources"] if n == 0 else [],
            "entities": chron["entities"] if n == 0 else [],
            "events": events[start:start + per_file]}
        path = directory / f"part-{n:03d}.yaml"
        write_yaml(part, path)
        paths.append(path)
    return paths
