"""Fit an SDV single-table synthesizer on a real task-run history, sample a larger one, and score it with SDMetrics.

Seeding: SDV's transformers (RDT) use fixed per-method random states, and a fitted synthesizer samples from a fixed
seed (``FIXED_RNG_SEED``) until told otherwise, so SDV alone gives the same sample every time whatever the seed.
Here the fit runs under numpy's and torch's global generators seeded with ``seed`` (CTGAN/TVAE draw from them while
training; the global states are restored afterwards), and sampling is seeded through the synthesizer's
``_set_random_state(seed)``, the hook SDV's own ``reset_sampling`` uses. Same history + seed → the same rows.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from pydantic import BaseModel

from orc_ai import defaults
from orc_ai.errors import OrcAIError
from orc_ai.synthetic.features import (
    EVALUATED_SDTYPES,
    MODELLED_SDTYPES,
    evaluated_view,
    modelled_view,
    rebuild_task_runs,
)
from orc_ai.taskruns.schema import conform_task_runs

TABLE = "task_runs"
SYNTHESIZERS = {  # config name -> sdv.single_table class name
    "gaussian_copula": "GaussianCopulaSynthesizer",
    "ctgan": "CTGANSynthesizer",
    "tvae": "TVAESynthesizer",
    "copula_gan": "CopulaGANSynthesizer",
}


class SyntheticHistoryError(OrcAIError):
    """A synthetic history cannot be made (unknown synthesizer, a history too small to fit); says how to fix it."""


class QualityScores(BaseModel):
    """SDMetrics QualityReport scores (0..1): the overall score and one per property."""

    overall: float
    column_shapes: float
    column_pair_trends: float


@dataclass(frozen=True)
class SyntheticHistory:
    """The synthetic tries (TASK_RUNS_SCHEMA), their quality, and the params/metrics to log to MLflow."""

    task_runs: pl.DataFrame
    quality: QualityScores
    params: dict[str, Any]
    metrics: dict[str, float]


def _sdv_metadata(sdtypes: dict[str, str]) -> dict[str, Any]:
    return {"tables": {TABLE: {"columns": {c: {"sdtype": t} for c, t in sdtypes.items()}}}}


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """numpy's (and torch's, if loaded) global generators seeded for the block, restored after it."""
    state = np.random.get_state()
    np.random.seed(seed)
    torch = sys.modules.get("torch")
    try:
        if torch is None:
            yield
        else:
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(seed)
                yield
    finally:
        np.random.set_state(state)


def _synthesizer(name: str, epochs: int | None, distribution: str) -> Any:
    if name not in SYNTHESIZERS:
        raise SyntheticHistoryError(f"unknown synthesizer {name!r}: use one of {sorted(SYNTHESIZERS)}")
    import sdv.single_table
    from sdv.metadata import Metadata

    metadata = Metadata.load_from_dict(_sdv_metadata(MODELLED_SDTYPES))
    cls = getattr(sdv.single_table, SYNTHESIZERS[name])
    kwargs: dict[str, Any] = {"enforce_min_max_values": True, "enforce_rounding": True}
    if name == "gaussian_copula":
        kwargs["default_distribution"] = distribution
    elif epochs is not None:
        kwargs["epochs"] = epochs
    return cls(metadata, **kwargs)


def score_quality(real: pl.DataFrame, synthetic: pl.DataFrame) -> QualityScores:
    """SDMetrics QualityReport of two task-run tables, on the columns the synthesizer models (dag_id and task_id
    apart): Column Shapes (KS / TV complement per column) and Column Pair Trends (correlation / contingency)."""
    from sdmetrics.reports import QualityReport

    report = QualityReport()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # constant columns and small tables warn; the scores still stand
        report.generate(
            {TABLE: evaluated_view(real).to_pandas()},
            {TABLE: evaluated_view(synthetic).to_pandas()},
            _sdv_metadata(EVALUATED_SDTYPES),
            verbose=False,
        )
    scores = dict(zip(*report.get_properties()[["Property", "Score"]].to_dict("list").values(), strict=True))
    return QualityScores(
        overall=_finite(report.get_score()),
        column_shapes=_finite(scores.get("Column Shapes")),
        column_pair_trends=_finite(scores.get("Column Pair Trends")),
    )


def _finite(value: float | None) -> float:
    """A score SDMetrics could not compute (NaN: nothing to compare) counts as 0, so a gate on it fails."""
    return float(value) if value is not None and np.isfinite(value) else 0.0


def synthesize_task_runs(
    real: pl.DataFrame,
    *,
    rows: int = defaults.SYNTHETIC_ROWS,
    synthesizer: str = defaults.SYNTHETIC_SYNTHESIZER,
    seed: int = defaults.SYNTHETIC_SEED,
    distribution: str = defaults.SYNTHETIC_DISTRIBUTION,
    epochs: int | None = None,
) -> SyntheticHistory:
    """Fit ``synthesizer`` on the real tries, sample ``rows`` of them, rebuild conforming task runs and score them.

    ``distribution`` is the Gaussian copula's marginal family (SDV's ``default_distribution``); ``epochs`` the
    neural synthesizers' training epochs (None: SDV's default)."""
    real = conform_task_runs(real)
    if real.height < defaults.SYNTHETIC_MIN_REAL_TRIES:
        raise SyntheticHistoryError(
            f"{real.height} real tries; a synthesizer needs at least {defaults.SYNTHETIC_MIN_REAL_TRIES}: "
            "wait for more history"
        )
    if rows < 1:
        raise SyntheticHistoryError(f"rows={rows}: ask for at least one synthetic try")
    model = _synthesizer(synthesizer, epochs, distribution)
    with _seeded(seed), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SDV warns about its own defaults (e.g. enforce_rounding on floats)
        model.fit({TABLE: modelled_view(real).to_pandas()})
        model._set_random_state(seed)  # noqa: SLF001  see the module docstring
        sampled = pl.from_pandas(model.sample(num_rows=rows)[TABLE])
    sampled = sampled.cast({c: pl.String for c in ("task", "state", "run_type")}, strict=False)
    task_runs = rebuild_task_runs(sampled, real, seed=seed)
    quality = score_quality(real, task_runs)
    params = {
        "synthesizer": synthesizer, "seed": seed, "rows": rows, "real_tries": real.height,
        "distribution": distribution if synthesizer == "gaussian_copula" else None, "epochs": epochs,
    }
    metrics = {
        "quality_score": quality.overall,
        "column_shapes": quality.column_shapes,
        "column_pair_trends": quality.column_pair_trends,
        "synthetic_tries": float(task_runs.height),
        "synthetic_failed_share": _failed_share(task_runs),
        "real_failed_share": _failed_share(real),
    }
    return SyntheticHistory(task_runs=task_runs, quality=quality, params=params, metrics=metrics)


def _failed_share(task_runs: pl.DataFrame) -> float:
    return float(task_runs["state"].is_in(["failed", "up_for_retry"]).mean() or 0.0) if task_runs.height else 0.0
