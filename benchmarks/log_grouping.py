"""Log grouping accuracy on the 8 LogHub-2k systems: ORC AI's template miner against drain3 with its defaults.

A line is right when the set of lines in its predicted group is exactly the set of lines of its true EventId
(the grouping accuracy of Zhu et al., ICSE-SEIP 2019). Both methods see the Content column only;
``orc_ai_raw_lines`` is our miner on the raw ``.log`` lines, headers stripped by its own detector (a check of
header stripping, not part of the comparison). drain3 runs in its own venv (``scripts/setup-drain3``; it pins
cachetools 4, which breaks mlflow here) through a subprocess.

    scripts/setup-drain3 && .venv/bin/python benchmarks/log_grouping.py
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from any directory: import this checkout's package
    sys.path.insert(0, str(ROOT))

from orc_ai.logs.miner import MinerParams, cluster_messages  # noqa: E402

DATA = ROOT.parent.parent / "shared" / "data" / "loghub"
SYSTEMS = ["Apache", "BGL", "HDFS", "Hadoop", "Linux", "OpenSSH", "Spark", "Zookeeper"]
DRAIN3_PYTHON = ROOT / ".cache" / "venvs" / "drain3" / "bin" / "python"
# run inside the drain3 venv: stdin a JSON list of batches of messages, stdout the cluster ids of each batch
# (a fresh miner with its defaults per batch)
_DRAIN3 = """
import json, sys
from drain3 import TemplateMiner
out = []
for batch in json.load(sys.stdin):
    miner = TemplateMiner()
    out.append([miner.add_log_message(m)["cluster_id"] for m in batch])
json.dump(out, sys.stdout)
"""


def grouping_accuracy(truth: list[str], predicted: list[object]) -> float:
    """Share of lines whose predicted group is exactly the set of lines of their true event."""
    true_groups: dict[str, set[int]] = defaultdict(set)
    predicted_groups: dict[object, set[int]] = defaultdict(set)
    for i, (t, p) in enumerate(zip(truth, predicted, strict=True)):
        true_groups[t].add(i)
        predicted_groups[p].add(i)
    right = sum(len(members) for members in predicted_groups.values()
                if len({truth[i] for i in members}) == 1 and members == true_groups[truth[next(iter(members))]])
    return right / len(truth)


def load(system: str, data: Path) -> tuple[list[str], list[str]]:
    with open(data / system / f"{system}_2k.log_structured.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["Content"] for r in rows], [r["EventId"] for r in rows]


def run_drain3(batches: list[list[str]]) -> list[list[int]]:
    """drain3's cluster ids for each batch, each batch mined from scratch."""
    if not DRAIN3_PYTHON.exists():
        sys.exit(f"drain3 venv missing at {DRAIN3_PYTHON}: run scripts/setup-drain3")
    out = subprocess.run([str(DRAIN3_PYTHON), "-c", _DRAIN3], input=json.dumps(batches),
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def batched_accuracy(truth: list[str], predicted: list[list[object]], size: int) -> float:
    """Mean grouping accuracy over consecutive batches of ``size`` lines, each clustered on its own."""
    scores = [grouping_accuracy(truth[i:i + size], p) for i, p in zip(range(0, len(truth), size), predicted,
                                                                     strict=True)]
    return sum(scores) / len(scores)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--systems", nargs="*", default=SYSTEMS)
    parser.add_argument("--no-drain3", action="store_true", help="Skip the drain3 baseline.")
    parser.add_argument("--max-constant-values", type=int, default=MinerParams().max_constant_values,
                        help="The miner's one parameter (the default is what the project ships).")
    parser.add_argument("--batch-size", type=int, default=100,
                        help="Also score batches of this many lines, each clustered alone (small inputs).")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results_log_grouping.json")
    args = parser.parse_args()
    params = MinerParams(max_constant_values=args.max_constant_values)
    results: dict[str, dict[str, float]] = {}
    for system in args.systems:
        messages, truth = load(system, args.data)
        started = time.perf_counter()
        ours = grouping_accuracy(truth, cluster_messages(messages, params).clusters)
        seconds = time.perf_counter() - started
        # the same miner on the raw .log lines: headers (timestamp, level, component) stripped by its own detector
        raw = (args.data / system / f"{system}_2k.log").read_text(encoding="utf-8", errors="replace").splitlines()
        on_raw = grouping_accuracy(truth, cluster_messages(raw, params).clusters) if len(raw) == len(truth) else None
        results[system] = {"orc_ai": round(ours, 4), "orc_ai_seconds": round(seconds, 2),
                           "orc_ai_raw_lines": None if on_raw is None else round(on_raw, 4)}
        batches = [messages[i:i + args.batch_size] for i in range(0, len(messages), args.batch_size)]
        results[system][f"orc_ai_batches_of_{args.batch_size}"] = round(batched_accuracy(
            truth, [cluster_messages(b, params).clusters for b in batches], args.batch_size), 4)
        if not args.no_drain3:
            whole, *parts = run_drain3([messages, *batches])
            results[system]["drain3"] = round(grouping_accuracy(truth, whole), 4)
            results[system][f"drain3_batches_of_{args.batch_size}"] = round(
                batched_accuracy(truth, parts, args.batch_size), 4)
        print(system, results[system], flush=True)
    methods = [m for m in next(iter(results.values())) if not m.endswith("seconds")]
    mean = {m: round(sum(r[m] or 0.0 for r in results.values()) / len(results), 4) for m in methods}
    print("mean", mean)
    if set(args.systems) == set(SYSTEMS) and not args.no_drain3:
        args.out.write_text(json.dumps({"date": date.today().isoformat(), "params": params.model_dump(),
                                        "batch_size": args.batch_size,
                                        "systems": results, "mean": mean}, indent=2) + "\n")


if __name__ == "__main__":
    main()
