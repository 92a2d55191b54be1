"""Community titles and summaries: extractive offline, or from an LLM (validated) when one is configured."""

from __future__ import annotations

import json
import logging
from typing import Any

import polars as pl
from pydantic import BaseModel, Field, ValidationError

from orc_ai.text.sentences import sentence_spans

log = logging.getLogger(__name__)
SUMMARY_PROMPT_VERSION = "community_summary_v1"


class CommunityReport(BaseModel):
    title: str = Field(min_length=3, max_length=200)
    summary: str = Field(min_length=20, max_length=4000)


# lengths are checked by CommunityReport after the answer; long bounds in a grammar blow up llama.cpp
_ANSWER_SCHEMA = {
    "type": "object",
    "properties": {"title": {"type": "string"}, "summary": {"type": "string"}},
    "required": ["title", "summary"],
}


def _context(members: list[str], entities: dict[str, dict], relations: pl.DataFrame, chunk_text: dict[str, str]):
    member_set = set(members)
    inner = relations.filter(pl.col("source_id").is_in(members) & pl.col("target_id").is_in(members))
    degree: dict[str, float] = dict.fromkeys(members, 0.0)
    for src, tgt, weight in inner.select("source_id", "target_id", "weight").iter_rows():
        degree[src] += max(weight, 0.0) + 1e-6
        degree[tgt] += max(weight, 0.0) + 1e-6
    ranked = sorted(member_set, key=lambda e: (-degree[e], -entities[e]["mention_count"], entities[e]["name"]))
    evidence = sorted({c for ids in inner["evidence_chunk_ids"].to_list() for c in ids})
    if not evidence:
        evidence = sorted({c for e in members for c in entities[e]["chunk_ids"]})
    return ranked, [chunk_text[c] for c in evidence[:50] if c in chunk_text]


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
    entity_rows = {row["entity_id"]: row for row in entities.iter_rows(named=True)}
    chunk_text = dict(chunks.select("chunk_id", "text").iter_rows())
    titles, summaries, sources, rejected = [], [], [], 0
    for members in communities["entity_ids"].to_list():
        ranked, texts = _context(members, entity_rows, relations, chunk_text)
        names = [entity_rows[e]["name"] for e in ranked]
        report, source = None, "extractive"
        if llm_client is not None and llm_model:
            report = llm_report(llm_client, llm_model, names, texts)
            rejected += report is None
            source = "llm" if report is not None else "extractive"
        report = report or extractive_report(names, texts)
        titles.append(report.title)
        summaries.append(report.summary)
        sources.append(source)
    table = communities.with_columns(
        title=pl.Series(titles, dtype=pl.String),
        summary=pl.Series(summaries, dtype=pl.String),
        summary_source=pl.Series(sources, dtype=pl.String),
    )
    return table, rejected
