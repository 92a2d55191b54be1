"""Software-defined assets of the knowledge-graph chain: thin adapters over the domain packages."""

import dagster as dg

KNOWLEDGE_GRAPH = "knowledge_graph"
AGENT = "agent"
OPERATIONS = "operations"


def downstream_automation() -> dg.AutomationCondition:
    """Eager, but only once every upstream blocking check passed: a failed gate holds everything after it."""
    return dg.AutomationCondition.eager() & dg.AutomationCondition.all_deps_blocking_checks_passed()
