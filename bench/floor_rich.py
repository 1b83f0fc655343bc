"""Start-up floor with Rich: the minimal Typer app, importing rich.table and printing one row."""

from __future__ import annotations

import sys

from floor_typer import app

if __name__ == "__main__":
    if "--format" not in sys.argv:
        sys.argv += ["--format", "table"]
    app()
