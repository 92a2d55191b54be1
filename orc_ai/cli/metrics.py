"""``orc-ai metrics serve``: the Prometheus exporter, run beside Dagster (the UI and the daemon)."""

from __future__ import annotations

import time

import click

from orc_ai import defaults, settings
from orc_ai.cli import main


@main.group("metrics")
def metrics() -> None:
    """Prometheus metrics of the pipeline, read from the Dagster instance and the tables under $ORC_AI_HOME."""


@metrics.command("serve")
@click.option("--port", type=click.IntRange(0, 65535), default=defaults.METRICS_PORT, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every one).")
def serve_command(port: int, host: str) -> None:
    """Serve /metrics until interrupted: the instance of $DAGSTER_HOME, the tables under $ORC_AI_HOME."""
    from orc_ai.metrics.collector import PipelineCollector, serve
    from orc_ai.resources.instance_metrics import open_instance_reader

    collector = PipelineCollector(open_instance_reader(), settings.asset_dir())
    server, thread = serve(collector, host=host, port=port)
    click.echo(f"serving Prometheus metrics at http://{host}:{server.server_port}/metrics (Ctrl-C stops)", err=True)
    try:
        while thread.is_alive():
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
