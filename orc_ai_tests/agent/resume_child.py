"""Run in a child process by the kill-and-resume test: decide one event; the test kills this process mid-call.

Usage: python -m orc_ai_tests.agent.resume_child HOME ENDPOINT_URL"""

import sys
from pathlib import Path

from orc_ai_tests.agent.agent_parts import runner
from orc_ai_tests.agent.corpus_context import context, known_error, task_failure

SNOWFLAKE_000606 = "ProgrammingError: 000606 (57P03): No active warehouse selected in the current session."
EVENT = task_failure("orders_daily_etl", "load_to_snowflake", SNOWFLAKE_000606)
CONTEXT = context(known_error("KE-001"))

if __name__ == "__main__":
    runner(Path(sys.argv[1]), CONTEXT, sys.argv[2]).decide(EVENT)
