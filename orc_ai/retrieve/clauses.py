"""A multi-hop question split into its clauses, without a model: "Who was the first president of the association
which published Journal of Psychotherapy Integration?" asks about two facts, each written in one passage. Each
clause is embedded on its own, so a passage that states one of the facts is near one clause even when it is far
from the question as a whole."""

from __future__ import annotations

import re

# relative pronouns always start a clause; a preposition or "and" does when a lowercase word follows, so
# "the island of Oahu" and "Journal of Psychotherapy Integration" stay whole
CLAUSE_BOUNDARY = re.compile(
    r"\b(?:which|that|who|whom|whose|where|when)\b|\b(?:of|in|by|from|for|with|on|at|and)\b(?= [a-z])"
)
MIN_CLAUSE_WORDS = 2


def query_clauses(query: str) -> list[str]:
    """The query's clauses of at least two words, in order; empty when it has fewer than two."""
    parts = [part.strip(" ?,.!;:") for part in CLAUSE_BOUNDARY.split(query)]
    clauses = [part for part in parts if len(part.split()) >= MIN_CLAUSE_WORDS]
    return clauses if len(clauses) > 1 else []
