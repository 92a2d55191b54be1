"""Community titles and summaries: extractive offline, or from an LLM (validated) when one is configured."""

from __future__ import annotations

import json
import logging
from typing import Any

import polars as pl
from pydantic import BaseModel, Field, ValidationError

from orc_ai.text.sentences import sentence_spans

log = logging.getLogger(__name__)


class CommunityReport(BaseModel):
    title: str = Field(min_length=3, max_length=200)
    summary: str = Field(min_length=20, max_length=4000)


# lengths are checked by CommunityReport after the answer; long bounds in a grammar blow up llama.cpp
_ANSWER_SCHEMA = {
    "type": "object",
    "properties": {"title": {"type": "string"}, "summary": {"type": "string"}},
    "required": ["title", "summary"],
}


def _community_contexts(
    communities: pl.DataFrame, entities: pl.DataFrame, relations: pl.DataFrame, max_evidence: int = 30
) -> dict[str, tuple[list[str], list[str]]]:
    """Per community: member ids ranked by weighted degree inside the community, and evidence chunk ids
    (of relations inside the community, else of the members' mentions). One set of joins for all communities."""
    members = communities.select("community_id", pl.col("entity_ids").alias("entity_id")).explode("entity_id")
    inner = (
        relations.select("source_id", "target_id", pl.col("weight").clip(lower_bound=0) + 1e-6, "evidence_chunk_ids")
        .join(members.rename({"entity_id": "source_id"}), on="source_id")
        .join(members.rename({"entity_id": "target_id", "community_id": "target_community"}), on="target_id")
        .filter(pl.col("community_id") == pl.col("target_community"))
    )
    degree = (
        pl.concat(
            [
                inner.select("community_id", pl.col("source_id").alias("entity_id"), "weight"),
                inner.select("community_id", pl.col("target_id").alias("entity_id"), "weight"),
            ]
        )
        .group_by("community_id", "entity_id")
        .agg(pl.col("weight").sum().alias("degree"))
    )
    ranked = (
        members.join(degree, on=["community_id", "entity_id"], how="left")
        .join(entities.select("entity_id", "name", "mention_count"), on="entity_id")
        .with_columns(pl.col("degree").fill_null(0.0))
        .sort(["community_id", "degree", "mention_count", "name"], descending=[False, True, True, False])
        .group_by("community_id", maintain_order=True)
        .agg("entity_id")
    )
    evidence = (
        inner.select("community_id", pl.col("evidence_chunk_ids").alias("chunk_id"))
        .explode("chunk_id")
        .unique()
        .sort("community_id", "chunk_id")
        .group_by("community_id", maintain_order=True)
        .agg(pl.col("chunk_id").head(max_evidence))
    )
    mentioned = (
        members.join(entities.select("entity_id", pl.col("chunk_ids").alias("chunk_id")), on="entity_id")
        .explode("chunk_id")
        .unique(["community_id", "chunk_id"])
        .sort("community_id", "chunk_id")
        .group_by("community_id", maintain_order=True)
        .agg(pl.col("chunk_id").head(max_evidence).alias("mentioned"))
    )
    table = ranked.join(evidence, on="community_id", how="left").join(mentioned, on="community_id", how="left")
    return {cid: (ids, ev if ev else (mention or [])) for cid, ids, ev, mention in table.iter_rows()}


def extractive_report(ranked_names: list[str], texts: list[str], max_sentences: int = 3) -> CommunityReport:
    """Title from the most central entities; summary from the evidence sentences naming most of them."""
    title = ", ".join(ranked_names[:3]) + (f" and {len(ranked_names) - 3} more" if len(ranked_names) > 3 else "")
    folded = [(n, n.casefold()) for n in ranked_names[:25]]
    scored: dict[str, float] = {}
    for text in texts:
        for start, end in sentence_spans(text):
            sentence = text[start:end]
            if len(sentence) < 20:
                continue
            low = sentence.casefold()
            score = sum(1.0 / (rank + 1) for rank, (_, f) in enumerate(folded) if f in low)
            if score:
                scored[sentence] = max(scored.get(sentence, 0.0), score)
    best = sorted(scored, key=lambda s: (-scored[s], s))[:max_sentences]
    summary = " ".join(best) if best else f"Entities: {', '.join(ranked_names[:10])}."
    return CommunityReport(title=title[:200], summary=f"{summary} Members: {', '.join(ranked_names[:10])}."[:4000])


def llm_report(client: Any, model: str, ranked_names: list[str], texts: list[str]) -> CommunityReport | None:
    """Ask the model for a JSON {title, summary}; ``None`` when the answer fails validation."""
    prompt = (
        "Write a short report about this group of related entities from operations documentation.\n"
        f"Entities (most central first): {', '.join(ranked_names[:20])}\n\nEvidence:\n"
        + "\n---\n".join(t[:800] for t in texts[:6])
        + '\n\nReturn JSON: {"title": "<few words>", "summary": "<2-4 sentences grounded in the evidence>"}'
    )
    response = client.chat.completions.create(
        model=model,
        messages=[{"role": "user", "content": prompt}],
        temperature=0.0,
        max_tokens=400,
        response_format={"type": "json_object", "schema": _ANSWER_SCHEMA},
    )
    try:
        return CommunityReport.model_validate(json.loads(response.choices[0].message.content or ""))
    except (json.JSONDecodeError, ValidationError) as exc:
        log.info("community summary rejected: %s", str(exc)[:200])
        return None


def summarise_communities(
    communities: pl.DataFrame,
    entities: pl.DataFrame,
    relations: pl.DataFrame,
    chunks: pl.DataFrame,
    llm_client: Any | None = None,
    llm_model: str | None = None,
) -> tuple[pl.DataFrame, int]:
    """Add ``title``, ``summary`` and ``summary_source`` columns; returns the table and rejected LLM answers."""
    names = dict(entities.select("entity_id", "name").iter_rows())
    chunk_text = dict(chunks.select("chunk_id", "text").iter_rows())
    contexts = _community_contexts(communities, entities, relations)
    titles, summaries, sources, rejected = [], [], [], 0
    for community_id in communities["community_id"].to_list():
        ranked_ids, evidence = contexts[community_id]
        ranked = [names[e] for e in ranked_ids]
        texts = [chunk_text[c] for c in evidence if c in chunk_text]
        report, source = None, "extractive"
        if llm_client is not None and llm_model:
            report = llm_report(llm_client, llm_model, ranked, texts)
            rejected += report is None
            source = "llm" if report is not None else "extractive"
        report = report or extractive_report(ranked, texts)
        titles.append(report.title)
        summaries.append(report.summary)
        sources.append(source)
    table = communities.with_columns(
        title=pl.Series(titles, dtype=pl.String),
        summary=pl.Series(summaries, dtype=pl.String),
        summary_source=pl.Series(sources, dtype=pl.String),
    )
    return table, rejected
