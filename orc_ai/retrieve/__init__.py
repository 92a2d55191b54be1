"""Graph retrieval: dense, lexical, entity-linked Personalized PageRank and community summaries, fused."""
