"""Text processing: sentence splitting and token-aware chunking."""
