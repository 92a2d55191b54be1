"""The non-forecast models log one figure each with their MLflow version: failure-category sizes, run anomalies
over the history, and the synthetic history's columns beside the real ones."""

from __future__ import annotations

import io
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from matplotlib.image import imread

from orc_ai import defaults
from orc_ai.anomaly.params import DetectorParams
from orc_ai.anomaly.runs import run_anomalies as find_run_anomalies
from orc_ai.assets import OPERATIONS
from orc_ai.assets.anomalies import run_anomalies
from orc_ai.assets.log_clusters import failure_log_clusters
from orc_ai.assets.synthetic import synthetic_task_runs
from orc_ai.logs.failures import cluster_failures
from orc_ai.logs.miner import MinerParams
from orc_ai.mlops.model_plots import anomaly_scores_figure, cluster_sizes_figure, synthetic_columns_figure, to_png
from orc_ai.resources.io_manager import TableIOManager
from orc_ai.resources.mlflow import MlflowResource
from orc_ai.taskruns.schema import conform_task_runs
from orc_ai_tests.anomaly.task_runs_data import task_runs as anomaly_history
from orc_ai_tests.logs.conftest import task_run_rows
from orc_ai_tests.synthetic.histories import daily_history


def failure_history() -> pl.DataFrame:
    return conform_task_runs(pl.DataFrame(task_run_rows()))


def _upstream(history: pl.DataFrame) -> dg.AssetsDefinition:
    @dg.asset(name="airflow_task_runs", group_name=OPERATIONS)
    def airflow_task_runs() -> pl.DataFrame:
        return history

    return airflow_task_runs


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One MLflow store for the module's runs (creating its database is most of a test's time)."""
    return tmp_path_factory.mktemp("mlflow_home")


@dg.asset(name="task_duration_forecast")
def _unselected_forecast() -> pl.DataFrame:
    """run_anomalies' optional input, never materialised here (it reads None)."""
    raise AssertionError("not selected")


def _logged_plot(home: Path, asset: dg.AssetsDefinition, history: pl.DataFrame, run_config: dict | None = None):
    """Materialise ``asset`` over ``history``; the PNG files its MLflow run logged under plots/, as arrays."""
    mlflow = MlflowResource(home=str(home))
    result = dg.materialize(
        [_upstream(history), _unselected_forecast, asset],
        resources={"io_manager": TableIOManager(base_dir=str(home / "assets")), "mlflow": mlflow},
        run_config=run_config,
        selection=["airflow_task_runs", asset.key.to_user_string()],
    )
    assert result.success
    (event,) = [e for e in result.get_asset_materialization_events() if e.asset_key == asset.key]
    run_id = event.materialization.metadata["mlflow_run_id"].value
    with dg.build_resources({"mlflow": mlflow}) as opened:
        client = opened.mlflow.client()
        logged = [a.path for a in client.list_artifacts(run_id, "plots")]
        images = {}
        for path in logged:
            local = client.download_artifacts(run_id, path, str(home / "downloaded" / run_id))
            images[path] = imread(local)
    return images


def test_failure_log_clusters_logs_the_category_sizes(home: Path) -> None:
    images = _logged_plot(home, failure_log_clusters, failure_history())
    assert list(images) == ["plots/cluster_sizes.png"]
    height, width, _ = images["plots/cluster_sizes.png"].shape
    assert width == 900 and height > 100


def test_run_anomalies_logs_the_scores_with_the_flagged_tries(home: Path) -> None:
    images = _logged_plot(home, run_anomalies, anomaly_history())
    assert list(images) == ["plots/anomaly_scores.png"]
    assert images["plots/anomaly_scores.png"].shape[:2] == (400, 900)


@pytest.mark.slow
def test_synthetic_task_runs_logs_real_against_synthetic_columns(home: Path) -> None:
    config = {"ops": {"synthetic_task_runs": {"config": {"rows": 400}}}}
    images = _logged_plot(home, synthetic_task_runs, daily_history(days=30), config)
    assert list(images) == ["plots/real_vs_synthetic.png"]
    assert images["plots/real_vs_synthetic.png"].shape[:2] == (380, 1200)


def test_the_cluster_figure_has_a_bar_per_category_largest_first() -> None:
    categories = cluster_failures(
        failure_history(), params=MinerParams(max_constant_values=defaults.LOG_MAX_CONSTANT_VALUES), max_examples=2
    ).categories
    axes = cluster_sizes_figure(categories).axes[0]
    widths = [bar.get_width() for bar in axes.patches]
    assert widths == sorted(categories["count"].to_list(), reverse=True) and sum(widths) == categories["count"].sum()
    few = cluster_sizes_figure(categories, top=2).axes[0]
    assert [b.get_width() for b in few.patches][-1] == sum(widths[2:])  # the rest in one bar
    assert "other categories" in few.get_yticklabels()[-1].get_text()


def test_the_anomaly_figure_marks_every_flagged_try_with_its_score() -> None:
    history = anomaly_history()
    found = find_run_anomalies(
        history, detector=DetectorParams(**defaults.RUN_ANOMALY_DETECTOR), contamination=0.02, min_tries=50, seed=0
    )
    figure = anomaly_scores_figure(history, found.table)
    everything, flagged = figure.axes[0].collections
    assert len(everything.get_offsets()) == history.filter(pl.col("duration_s") > 0).height
    assert len(flagged.get_offsets()) == found.table.height > 0
    assert sorted(flagged.get_array().tolist()) == sorted(found.table["score"].to_list())
    assert to_png(figure) == to_png(anomaly_scores_figure(history, found.table))  # the same bytes


def test_the_synthetic_figure_puts_each_column_beside_the_real_one() -> None:
    real = daily_history(days=10)
    fake = real.with_columns(pl.col("duration_s") * 3, pl.lit("success").alias("state"))  # a poor synthesizer
    duration, state, try_number = synthetic_columns_figure(real, fake).axes
    assert [t.get_text() for t in duration.get_legend().get_texts()] == ["real", "synthetic"]
    shares = dict(zip([t.get_text() for t in state.get_xticklabels()], state.patches, strict=False))
    real_success = real.filter(pl.col("state") == "success").height / real.height
    assert shares["success"].get_height() == pytest.approx(real_success)  # the first bars are the real shares
    synthetic_bars = state.patches[len(state.get_xticks()):]
    assert [b.get_height() for b in synthetic_bars].count(1.0) == 1  # every synthetic try succeeded
    assert try_number.get_title() == "try_number"
    assert io.BytesIO(to_png(synthetic_columns_figure(real, fake))).getvalue()[:8] == b"\x89PNG\r\n\x1a\n"
