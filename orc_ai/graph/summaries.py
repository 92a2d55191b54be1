"""Community titles and summaries: extractive offline, or from an LLM (validated) when one is configured."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import openai
import polars as pl
from pydantic import BaseModel, Field, ValidationError

from orc_ai.cache import ContentCache
from orc_ai.extract.llm import chat, transport_failure
from orc_ai.extract.models import TokenUsage
from orc_ai.extract.prompt import Prompt, load_prompt
from orc_ai.hashing import stable_hash
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


SUMMARY_PROMPT_VERSION = "community_summary_v1"


@dataclass
class LlmSummariser:
    """The chat model that writes community reports; valid reports are cached by request content."""

    client: Any
    model: str
    cache: ContentCache | None = None
    prompt: Prompt = field(default_factory=lambda: load_prompt(SUMMARY_PROMPT_VERSION, ("entities", "evidence")))
    max_tokens: int = 400


@dataclass
class SummaryStats:
    """What the LLM summaries of one run cost; ``rejected`` reports fell back to the extractive one."""

    requested: int = 0
    from_cache: int = 0
    rejected: int = 0
    usage: TokenUsage = field(default_factory=TokenUsage)
    latency_s: float = 0.0  # summed wall time of the requests sent

    def metadata(self) -> dict[str, int | float]:
        return {
            "llm_summaries_requested": self.requested,
            "llm_summaries_from_cache": self.from_cache,
            "llm_summaries_rejected": self.rejected,
            "llm_prompt_tokens": self.usage.prompt_tokens,
            "llm_completion_tokens": self.usage.completion_tokens,
            "llm_requests": self.requested,
            "llm_latency_s": self.latency_s,
        }


def llm_report(
    llm: LlmSummariser, ranked_names: list[str], texts: list[str], stats: SummaryStats | None = None
) -> CommunityReport | None:
    """Ask the model for a JSON {title, summary}; ``None`` when the request or the answer's validation fails.

    The cache key is the whole request (model, the filled prompt, whose file's hash is also named, settings), so
    the same community content under the same model and prompt is never paid for twice.
    """
    stats = stats if stats is not None else SummaryStats()
    request = {
        "model": llm.model,
        "messages": llm.prompt.messages(
            entities=", ".join(ranked_names[:20]), evidence="\n---\n".join(t[:800] for t in texts[:6])
        ),
        "temperature": 0.0,
        "max_tokens": llm.max_tokens,
        "response_format": {"type": "json_object", "schema": _ANSWER_SCHEMA},
    }
    key = stable_hash(llm.prompt.content_hash, json.dumps(request, sort_keys=True), length=32)
    cached = llm.cache.get(key) if llm.cache is not None else None
    if cached is not None:
        stats.from_cache += 1
        return CommunityReport.model_validate_json(cached)
    stats.requested += 1
    started = time.perf_counter()
    try:
        answer = chat(llm.client, **request)
    except openai.APIError as exc:
        stats.latency_s += time.perf_counter() - started
        log.warning("community summary request failed (%s): %s", transport_failure(exc), str(exc)[:200])
        stats.rejected += 1
        return None
    stats.latency_s += time.perf_counter() - started
    stats.usage += answer.usage
    try:
        report = CommunityReport.model_validate(json.loads(answer.content))
    except (json.JSONDecodeError, ValidationError) as exc:
        log.info("community summary rejected: %s", str(exc)[:200])
        stats.rejected += 1
        return None
    if llm.cache is not None:
        llm.cache.put(key, report.model_dump_json().encode())
    return report


def summarise_communities(
    communities: pl.DataFrame,
    entities: pl.DataFrame,
    relations: pl.DataFrame,
    chunks: pl.DataFrame,
    llm: LlmSummariser | None = None,
) -> tuple[pl.DataFrame, SummaryStats]:
    """Add ``title``, ``summary`` and ``summary_source`` columns; returns the table and what the LLM cost."""
    names = dict(entities.select("entity_id", "name").iter_rows())
    chunk_text = dict(chunks.select("chunk_id", "text").iter_rows())
    contexts = _community_contexts(communities, entities, relations)
    titles, summaries, sources, stats = [], [], [], SummaryStats()
    for community_id in communities["community_id"].to_list():
        ranked_ids, evidence = contexts[community_id]
        ranked = [names[e] for e in ranked_ids]
        texts = [chunk_text[c] for c in evidence if c in chunk_text]
        report = llm_report(llm, ranked, texts, stats) if llm is not None else None
        sources.append("llm" if report is not None else "extractive")
        report = report or extractive_report(ranked, texts)
        titles.append(report.title)
        summaries.append(report.summary)
    table = communities.with_columns(
        title=pl.Series(titles, dtype=pl.String),
        summary=pl.Series(summaries, dtype=pl.String),
        summary_source=pl.Series(sources, dtype=pl.String),
    )
    return table, stats
