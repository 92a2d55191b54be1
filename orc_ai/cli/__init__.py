"""The ``orc-ai`` command: retrieval, questions and events for the agent, and decision review.

Every command reads the graph the assets built under ``ORC_AI_HOME`` and runs the same code as the assets."""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """ORC AI: an operations copilot over the knowledge graph built under $ORC_AI_HOME."""


def _register() -> None:
    from orc_ai.cli import commands  # noqa: F401  (each module adds its command to ``main``)


_register()
