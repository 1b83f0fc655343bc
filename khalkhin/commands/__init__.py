"""CLI commands beyond ``timeline``, one module per area, registered on import by cli.py."""
