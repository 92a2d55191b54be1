"""Imports every command module so each registers itself on ``orc_ai.cli.main``."""
from orc_ai.cli import retrieve  # noqa: E402,F401
