"""Benchmark the knowledge-graph chain on the 2WikiMultiHopQA corpus (6,119 passages in ../shared).

Measures, each phase in its own process (peak RSS per phase):
  full      raw_docs -> communities from empty state (no caches)
  embed     the embedding model alone on the same chunk texts (the floor the chain is compared with)
  base      the chain on 99% of the passages, then
  plus1     the chain again after adding the remaining 1% (incremental)

Usage: .venv/bin/python benchmarks/pipeline_2wiki.py [--limit N] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "data" / "corpora" / "2wikimultihopqa_corpus.json"

MATERIALIZE = """
import os, sys, dagster as dg
os.environ["ORC_AI_DOCS_DIR"] = sys.argv[1]
from orc_ai.definitions import all_assets, all_checks, build_resources
# encyclopedic passages hold no operations vocabulary: the offline extractor finds only CO_OCCURS relations
# there (measured: 100 %), so the typed-relations gate is opened for this corpus
typed_gate = {"relations_relations_typed_share": {"config": {"max_share": 1.0}}}
result = dg.materialize([*all_assets, *all_checks], resources=build_resources(), run_config={"ops": typed_gate})
meta = {}
for e in result.get_asset_materialization_events():
    meta[e.materialization.asset_key.to_user_string()] = {
        k: getattr(v, "value", None) for k, v in e.materialization.metadata.items()
        if isinstance(getattr(v, "value", None), (int, float, str))}
steps = {e.step_key: round(e.event_specific_data.duration_ms / 1000, 1)
         for e in result.all_events if e.event_type_value == "STEP_SUCCESS"}
print("RESULT" + __import__("json").dumps({"success": result.success, "steps_s": steps, "meta": meta}))
"""

EMBED_ALONE = """
import sys, time, polars as pl
from orc_ai.embed.embedders import SentenceTransformerEmbedder
texts = pl.read_parquet(sys.argv[1])["text"].to_list()
embedder = SentenceTransformerEmbedder()
embedder.embed(texts[:8])  # load the model outside the timed part, as the chain loads it once too
start = time.perf_counter()
embedder.embed(texts)
print("RESULT" + __import__("json").dumps({"seconds": time.perf_counter() - start, "texts": len(texts)}))
"""


def run_phase(code: str, *args: str, env: dict[str, str]) -> dict:
    """Run a phase in a child process; returns its JSON result, wall seconds and peak RSS (MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"phase failed with status {status}:\n{out[-3000:]}")
    payload = json.loads(next(line for line in out.splitlines() if line.startswith("RESULT"))[6:])
    return {**payload, "wall_s": round(wall, 1), "peak_rss_mib": round(usage.ru_maxrss / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=0, help="use only the first N passages")
    parser.add_argument("--out", type=Path, default=None, help="keep the work folder here")
    args = parser.parse_args()
    if not CORPUS.exists():
        raise SystemExit(f"{CORPUS} not found: the benchmark needs ../shared/data")
    passages = json.loads(CORPUS.read_text())
    if args.limit:
        passages = passages[: args.limit]
    work = args.out or Path(tempfile.mkdtemp(prefix="orc_bench_"))
    split = len(passages) - max(1, len(passages) // 100)
    full_docs, inc_docs = work / "docs_full", work / "docs_incremental"
    for folder in (full_docs, inc_docs):
        folder.mkdir(parents=True, exist_ok=True)
    (full_docs / "part1.json").write_text(json.dumps(passages[:split]))
    (full_docs / "part2.json").write_text(json.dumps(passages[split:]))
    (inc_docs / "part1.json").write_text(json.dumps(passages[:split]))

    results = {"passages": len(passages), "added_passages": len(passages) - split}
    results["full"] = run_phase(MATERIALIZE, str(full_docs), env={"ORC_AI_HOME": str(work / "home_full")})
    results["embed"] = run_phase(EMBED_ALONE, str(work / "home_full" / "assets" / "chunks.parquet"), env={})
    results["base"] = run_phase(MATERIALIZE, str(inc_docs), env={"ORC_AI_HOME": str(work / "home_inc")})
    (inc_docs / "part2.json").write_text(json.dumps(passages[split:]))
    results["plus1"] = run_phase(MATERIALIZE, str(inc_docs), env={"ORC_AI_HOME": str(work / "home_inc")})
    full_s, embed_s, plus1_s = results["full"]["wall_s"], results["embed"]["seconds"], results["plus1"]["wall_s"]
    results["chain_over_embedding"] = round(full_s / embed_s, 2)
    results["incremental_over_full"] = round(plus1_s / full_s, 3)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
