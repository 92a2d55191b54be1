"""``orc-ai detect-anomalies``: the streaming detector over a ``timestamp,value`` CSV, with the fixed threshold."""

from __future__ import annotations

import json
from pathlib import Path

import click

from orc_ai.cli import main


@main.command("detect-anomalies")
@click.argument("series", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help='Print {"anomalies": [{"timestamp", "score"}, ...]}.')
def detect_anomalies_command(series: Path, as_json: bool) -> None:
    """Flag the points of SERIES (CSV with timestamp,value) that are anomalous given only the points before them."""
    from orc_ai.anomaly.detector import detect_anomalies
    from orc_ai.anomaly.series import SeriesError, read_series

    try:
        data = read_series(series)
    except SeriesError as exc:
        raise click.ClickException(str(exc)) from exc
    flagged = detect_anomalies(data.timestamps, data.values)
    if as_json:
        click.echo(json.dumps({"anomalies": [{"timestamp": t, "score": round(s, 6)} for t, s in flagged]}))
        return
    for timestamp, score in flagged:
        click.echo(f"{timestamp}\t{score:.3f}")
    click.echo(f"{len(flagged)} of {len(data.timestamps)} points flagged", err=True)
