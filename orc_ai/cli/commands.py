"""Imports every command module so each registers itself on ``orc_ai.cli.main``."""
