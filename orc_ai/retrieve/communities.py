"""Community summaries for global questions: BM25 over each community's title and summary, fused with how
many of the query's linked entities the community holds."""

from __future__ import annotations

import polars as pl

from orc_ai.retrieve.fusion import reciprocal_rank_fusion
from orc_ai.retrieve.lexical import Bm25Index
from orc_ai.retrieve.models import CommunityContext


class CommunityIndex:
    """Built once from the ``communities`` table (``community_id``, ``entity_ids``, ``title``, ``summary``)."""

    def __init__(self, communities: pl.DataFrame):
        needed = {"community_id", "entity_ids", "title", "summary"}
        rows = communities.sort("community_id").to_dicts() if needed <= set(communities.columns) else []
        self.rows = rows
        self.members = [set(r["entity_ids"] or []) for r in rows]
        self.bm25 = Bm25Index([f"{r['title'] or ''}\n{r['summary'] or ''}" for r in rows])

    def search(self, query: str, linked: set[str], n: int) -> list[CommunityContext]:
        if not self.rows or n <= 0:
            return []
        lexical = [self.rows[i]["community_id"] for i, _ in self.bm25.search(query, 50)]
        overlap = sorted(
            ((len(m & linked), i) for i, m in enumerate(self.members) if m & linked),
            key=lambda t: (-t[0], len(self.members[t[1]]), self.rows[t[1]]["community_id"]),
        )
        rankings = {"bm25": lexical, "entities": [self.rows[i]["community_id"] for _, i in overlap[:50]]}
        by_id = {r["community_id"]: r for r in self.rows}
        return [
            CommunityContext(
                community_id=cid, title=by_id[cid]["title"] or "", summary=by_id[cid]["summary"] or "", score=score
            )
            for cid, score, _ in reciprocal_rank_fusion(rankings)[:n]
        ]
