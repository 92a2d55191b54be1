"""The entity and relation types both extractors use: one home, imported by the NLP and LLM extractors."""

CO_OCCURS = "CO_OCCURS"  # untyped: two entities named in the same chunk (NLP extractor only)
DEFAULT_ENTITY_TYPES = ("DAG", "Task", "Team", "System", "Person", "Table", "Topic", "Error", "Concept")
DEFAULT_RELATION_TYPES = ("OWNED_BY", "PART_OF", "DEPENDS_ON", "USES", "CAUSED", "RESOLVED_BY", "RELATED_TO")
