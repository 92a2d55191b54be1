"""The agent for the command line: the resources opened as a run opens them, the tables under $ORC_AI_HOME."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from orc_ai.agent.runner import AgentRunner
from orc_ai.agent.service import AgentSettings
from orc_ai.retrieve.config import RetrievalTables
from orc_ai.settings import asset_dir, orc_home


@contextmanager
def agent_session(planner: str = "offline", with_retriever: bool = True) -> Iterator[AgentRunner]:
    """A runner like the ``agent_decisions`` asset's; ``with_retriever=False`` skips reading the graph (enough to
    run calls a person approved)."""
    from orc_ai.assets.agent_session import agent_runner
    from orc_ai.definitions import open_resources

    home = orc_home()
    tables = RetrievalTables.read(asset_dir(home)) if with_retriever else None
    with open_resources() as resources:
        with agent_runner(home=home, planner=planner, settings=AgentSettings(), resources=resources,
                          tables=tables) as runner:
            yield runner
