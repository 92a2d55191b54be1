"""Entity and relation extraction, validation and entity resolution."""
