"""Imports every command module so each registers itself on ``orc_ai.cli.main``."""

import orc_ai.cli.logs  # noqa: F401
from orc_ai.cli import agent, events, retrieve  # noqa: F401
