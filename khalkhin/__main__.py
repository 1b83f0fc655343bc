"""Run the CLI as ``python -m khalkhin``."""

from khalkhin.cli import main

main()
