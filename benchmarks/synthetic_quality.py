"""SDMetrics quality of synthetic task runs on the bundled sample history: in sample and on held-out DAG runs.

Run: .venv/bin/python -m benchmarks.synthetic_quality [--rows 10000] [--seed 42] [--synthesizer gaussian_copula]
"""

from __future__ import annotations

import argparse
import json
import time

import polars as pl

from orc_ai import defaults
from orc_ai.settings import BUNDLED_CORPUS_DIR
from orc_ai.synthetic.synthesize import score_quality, synthesize_task_runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=defaults.SYNTHETIC_ROWS)
    parser.add_argument("--seed", type=int, default=defaults.SYNTHETIC_SEED)
    parser.add_argument("--synthesizer", default=defaults.SYNTHETIC_SYNTHESIZER)
    parser.add_argument("--distribution", default=defaults.SYNTHETIC_DISTRIBUTION)
    args = parser.parse_args()
    sample = BUNDLED_CORPUS_DIR.parent / "sample_airflow" / "task_runs.parquet"
    real = pl.read_parquet(sample).sort("start_date", nulls_last=True)
    kwargs = {"rows": args.rows, "seed": args.seed, "synthesizer": args.synthesizer, "distribution": args.distribution}
    started = time.perf_counter()
    made = synthesize_task_runs(real, **kwargs)
    seconds = time.perf_counter() - started
    # fit on a random 70 % of the DAG runs, score against the other 30 % (and against the later 30 % by start time)
    runs = real.select("dag_id", "run_id").unique().sort("dag_id", "run_id").sample(fraction=0.3, seed=args.seed)
    test = real.join(runs, on=["dag_id", "run_id"], how="semi")
    train = real.join(runs, on=["dag_id", "run_id"], how="anti")
    held_out = score_quality(test, synthesize_task_runs(train, **kwargs).task_runs)
    cut = int(real.height * 0.7)
    later = score_quality(real.slice(cut), synthesize_task_runs(real.head(cut), **kwargs).task_runs)
    print(json.dumps({
        "real_tries": real.height, **kwargs, "seconds": round(seconds, 1),
        "in_sample": made.quality.model_dump(), "held_out_runs_30pct": held_out.model_dump(),
        "later_30pct_by_time": later.model_dump(),
    }, indent=2))


if __name__ == "__main__":
    main()
