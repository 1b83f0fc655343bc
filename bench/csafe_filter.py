"""Peer: a plain Python script that loads chronologies with yaml.CSafeLoader and filters them.

    python csafe_filter.py FILE... START
"""

from __future__ import annotations

import sys

import yaml  # noqa: TID253 - a standalone benchmark script, not part of the package


def main(paths: list[str], start: str) -> None:
    write = sys.stdout.write
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=yaml.CSafeLoader)
        for ev in data.get("events") or []:
            if str(ev["date"]) >= start:
                write(f"{ev['date']}  {ev['title']}\n")


if __name__ == "__main__":
    main(sys.argv[1:-1], sys.argv[-1])
