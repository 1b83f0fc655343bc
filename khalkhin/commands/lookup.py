"""Commands: lookup (registered on khalkhin.cli.app)."""

from __future__ import annotations
