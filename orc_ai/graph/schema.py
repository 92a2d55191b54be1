"""What the knowledge graph holds, for every store: node labels, each kind's properties, type labels.

A store writes exactly these properties (an absent or null value removes the property), so a re-load converges
to what a fresh load of the same tables holds; ``GraphStore.dump`` compares them.
"""

from __future__ import annotations

from typing import NamedTuple

# Dag, Task and Run are the workflow graph (see ``graph.workflow``); an entity typed "Task" keeps only its property
CORE_LABELS = ("Document", "Chunk", "Entity", "Community", "Decision", "Dag", "Task", "Run")
NODE_KEYS = {
    "Document": "doc_id",
    "Chunk": "chunk_id",
    "Entity": "entity_id",
    "Community": "community_id",
    "Decision": "decision_id",
    "Dag": "dag_id",
    "Task": "task_key",
    "Run": "run_key",
}
NODE_PROPERTIES = {
    "Document": ("doc_id", "name", "title", "source_path", "format", "content_hash"),
    "Chunk": ("chunk_id", "doc_id", "chunk_index", "text", "start_char", "end_char", "n_tokens"),
    "Entity": ("entity_id", "name", "type", "aliases", "description", "mention_count", "doc_count"),
    "Community": ("community_id", "level", "parent_id", "size", "title", "summary", "summary_source"),
    # the agent's decisions; ``created_at`` is ISO-8601 UTC text, so both stores hold and dump the same value
    "Decision": ("decision_id", "event_id", "event_type", "status", "decision", "planner_version", "created_at"),
    # the workflow graph: a task is keyed "<dag_id>/<task_id>", a run (one try) by its TRY_KEY joined by "/";
    # times are ISO-8601 UTC text, as for decisions
    "Dag": ("dag_id",),
    "Task": ("task_key", "dag_id", "task_id", "operator"),
    "Run": (
        "run_key",
        "dag_id",
        "run_id",
        "task_id",
        "map_index",
        "try_number",
        "state",
        "logical_date",
        "start_date",
        "end_date",
        "duration_s",
        "error_class",
        "error_message",
    ),
}


class DecisionLink(NamedTuple):
    """One kind of a decision's links: its relationship type, target label and the decisions column listing the
    target ids. A ``remembered`` link's ids stay on the decision, so the link exists whenever its target does
    (Run nodes are replaced by every workflow write, in no set order with the decisions); any other link is made
    only to targets present when the decision is written."""

    rel_type: str
    label: str
    column: str
    remembered: bool = False


# CITES has two target labels: a link is told apart by (type, label), never by its type alone
DECISION_LINKS = (
    DecisionLink("CITES", "Chunk", "cited_chunk_ids"),
    DecisionLink("ABOUT", "Entity", "about_entity_ids"),
    DecisionLink("CITES", "Run", "cited_run_keys", remembered=True),
)
DECISION_REL_TYPES = tuple(dict.fromkeys(link.rel_type for link in DECISION_LINKS))
RELATION_PROPERTIES = ("relation_id", "description", "cooccurrences", "weight", "strength", "evidence_chunk_ids")
# kept out of dumps: vectors, their hashes and index text derived from other properties,
# and the run keys a decision remembers (its CITES links to Run nodes show them)
HIDDEN_PROPERTIES = ("vector", "embedding", "vector_hash", "aliases_text", "cited_run_keys")


def type_label(entity_type: str) -> str | None:
    """The extra label of an entity of ``entity_type``: the type itself, except for a core label (an entity typed
    ``Community`` must not be counted, pruned or replaced as a community), which keeps only its ``type`` property."""
    return None if entity_type in CORE_LABELS else entity_type
