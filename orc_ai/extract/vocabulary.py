"""The entity and relation types both extractors use: one home, imported by the NLP and LLM extractors."""

CO_OCCURS = "CO_OCCURS"  # untyped: two entities named in the same sentence (NLP extractor only)
DEFAULT_ENTITY_TYPES = (
    "DAG",
    "Task",
    "Team",
    "System",
    "Person",
    "Table",
    "Topic",
    "Error",
    "Incident",
    "Host",  # a named server, replica, cluster, deployment or compute warehouse
    "Pool",  # an Airflow / worker pool
    "Concept",
)
# direction: source -> target, e.g. "X depends on Y" is X DEPENDS_ON Y; "Y triggers X" is X DEPENDS_ON Y too
TYPED_RELATION_TYPES = (
    "DEPENDS_ON",  # source needs target (upstream/downstream, waits on, after, triggers, blocks)
    "OWNED_BY",  # thing -> owning team or person
    "PART_OF",  # task -> its DAG
    "READS_FROM",  # job/task -> table, topic, host or system it reads
    "WRITES_TO",  # job/task -> table, topic, host or system it writes
    "RUNS_ON",  # job/task/system -> host, cluster, warehouse or pool
    "FAILED_WITH",  # job/task/system -> error
    "ESCALATES_TO",  # thing -> team/person in its escalation chain or on-call assignment
)
DEFAULT_RELATION_TYPES = (*TYPED_RELATION_TYPES, "USES", "CAUSED", "RESOLVED_BY", "RELATED_TO")
