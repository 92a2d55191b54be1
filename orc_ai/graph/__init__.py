"""The knowledge graph: store interface, embedded store, loading and communities."""
