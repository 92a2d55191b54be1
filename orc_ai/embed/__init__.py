"""Sentence embeddings for chunks and entities, cached by content hash."""
