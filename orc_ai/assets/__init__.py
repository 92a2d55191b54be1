"""Software-defined assets of the knowledge-graph chain: thin adapters over the domain packages."""

KNOWLEDGE_GRAPH = "knowledge_graph"
