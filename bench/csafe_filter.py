"""Peer: a plain Python script that loads a chronology with yaml.CSafeLoader and filters it."""

from __future__ import annotations

import sys

import yaml  # noqa: TID253 - a standalone benchmark script, not part of the package


def main(path: str, start: str) -> None:
    with open(path, encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=yaml.CSafeLoader)
    write = sys.stdout.write
    for ev in data.get("events") or []:
        if str(ev["date"]) >= start:
            write(f"{ev['date']}  {ev['title']}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
