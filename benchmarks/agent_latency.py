"""Offline decision latency on a ~10k-chunk graph: the whole runner per event (retrieval, offline planning,
in-process policy, the tools, SQLite checkpoints), p50/p95 over question and task-failure events.

The graph is the chain's output (ingest, chunking, NLP extraction, MiniLM embeddings, embedded store, communities)
over 2WikiMultiHopQA + MuSiQue + HotpotQA passages from ../shared/data (cached under .cache/retrieval_qa).

Usage: .venv/bin/python benchmarks/agent_latency.py [--events 200]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from qa_corpus import QA, build_from_files  # benchmarks/ is on sys.path when run as a script

from orc_ai.agent.offline_planner import OfflinePlanner
from orc_ai.agent.runner import AgentRunner
from orc_ai.agent.service import agent_retrieval_config
from orc_ai.agent.store import DecisionStore
from orc_ai.embed.embedders import SentenceTransformerEmbedder
from orc_ai.events.models import AgentEvent, EventSubject, event_id
from orc_ai.policy.inprocess import InProcessEvaluator
from orc_ai.retrieve.config import RetrievalTables
from orc_ai.retrieve.retriever import Retriever
from orc_ai.tools.builtin import default_registry
from orc_ai.tools.context import ToolContext

CORPORA = QA.parent / "corpora"
DAGS = ["orders_daily_etl", "billing_invoice_export", "fx_rates_hourly", "clickstream_sessionize"]


def events(n: int) -> list[AgentEvent]:
    questions = [json.loads(line)["question"] for name in ("musique", "hotpotqa")
                 for line in (QA / f"{name}_dev_questions.jsonl").read_text().splitlines()]
    rng = random.Random(7)
    out = []
    for i in range(n):
        now = datetime.now(UTC)
        if i % 4 == 3:
            dag = DAGS[i % len(DAGS)]
            out.append(AgentEvent(id=event_id("airflow_task_failure", str(i)), type="airflow_task_failure",
                                  source="bench", occurred_at=now,
                                  subject=EventSubject(dag_id=dag, task_id=f"task_{i}", run_id=f"manual__{i}"),
                                  payload={"error": "RuntimeError: upstream data is late"}))
        else:
            out.append(AgentEvent(id=event_id("question", str(i)), type="question", source="bench",
                                  occurred_at=now, payload={"question": rng.choice(questions)}))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200)
    args = parser.parse_args()
    embedder = SentenceTransformerEmbedder()
    files = {"2wiki.json": CORPORA / "2wikimultihopqa_corpus.json",
             "musique.json": QA / "musique_dev_corpus.json", "hotpotqa.json": QA / "hotpotqa_dev_corpus.json"}
    corpus = build_from_files("agent_latency", files, embedder)
    tables = RetrievalTables(**corpus.tables)
    started = time.perf_counter()
    retriever = Retriever.build(corpus.store, embedder, tables, agent_retrieval_config())
    build_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        context = ToolContext(retriever=retriever, store=corpus.store, entities=tables.entities,
                              tickets_path=Path(tmp) / "tickets.parquet")
        runner = AgentRunner(
            planner=OfflinePlanner(), tools=default_registry(), pdp=InProcessEvaluator(), tool_context=context,
            store=DecisionStore(Path(tmp) / "agent.sqlite"),
            retrieve=lambda e: retriever.retrieve(e.query, k=8, token_budget=1500),
        )
        runner.decide(events(1)[0])  # warm-up: model and indexes in memory
        timings = {"question": [], "airflow_task_failure": []}
        for event in events(args.events):
            start = time.perf_counter()
            runner.decide(event)
            timings[event.type].append((time.perf_counter() - start) * 1000)
    every = sorted(timings["question"] + timings["airflow_task_failure"])

    def pct(values: list[float], q: float) -> float:
        return round(statistics.quantiles(values, n=100)[q - 1], 1)

    print(json.dumps({
        "chunks": corpus.tables["chunks"].height, "entities": corpus.tables["entities"].height,
        "relations": corpus.tables["relations"].height, "retriever_build_s": round(build_s, 1),
        "events": len(every), "p50_ms": pct(every, 50), "p95_ms": pct(every, 95),
        **{f"{kind}_p50_ms": pct(v, 50) for kind, v in timings.items()},
        **{f"{kind}_p95_ms": pct(v, 95) for kind, v in timings.items()},
    }))


if __name__ == "__main__":
    main()
