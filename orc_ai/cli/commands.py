"""Imports every command module so each registers itself on ``orc_ai.cli.main``."""

from orc_ai.cli import agent, anomalies, events, logs, metrics, retrieve  # noqa: F401
