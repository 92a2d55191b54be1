"""The Prometheus collector: every family computed at scrape time, and the HTTP endpoint serving it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, start_http_server
from prometheus_client.core import Metric
from prometheus_client.registry import Collector

from orc_ai.metrics.instance import TokenPrices, check_families, llm_families, sensor_families, step_families
from orc_ai.metrics.tables import AGENT_DECISIONS_TABLE, agent_llm_usage, forecast_families, kpi_families
from orc_ai.metrics.totals import InstanceTotals, SensorState


class InstanceSource(Protocol):
    """What the exporter reads from the Dagster instance (``orc_ai.resources.instance_metrics`` implements it)."""

    def read(self) -> tuple[InstanceTotals, list[SensorState]]:
        """Totals over every finished run so far, and the sensors' states."""
        ...


class PipelineCollector(Collector):
    """Reads the instance and the tables under ``asset_dir`` on every scrape; every family is always exposed
    (without samples while there is nothing to report)."""

    def __init__(
        self,
        source: InstanceSource,
        asset_dir: Path,
        *,
        prices: TokenPrices | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.source, self.asset_dir, self.prices, self.clock = source, asset_dir, prices or TokenPrices(), clock
        self._lock = threading.Lock()  # the HTTP server answers scrapes on threads; the source is incremental

    def collect(self) -> Iterator[Metric]:
        with self._lock:
            totals, sensors = self.source.read()
        usage = {asset: (t, self.prices.cost(t)) for asset, t in totals.llm.items()}
        agent = agent_llm_usage(self.asset_dir)
        if agent is not None:
            usage[AGENT_DECISIONS_TABLE] = agent
        yield from step_families(totals)
        yield from check_families(totals)
        yield from llm_families(usage)
        yield from sensor_families(sensors, self.clock())
        yield from forecast_families(self.asset_dir)
        yield from kpi_families(self.asset_dir)


def serve(collector: Collector, *, host: str, port: int) -> tuple[WSGIServer, threading.Thread]:
    """Serve ``collector`` alone at ``http://host:port/metrics`` on a daemon thread (port 0: any free port)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(collector)
    return start_http_server(port, addr=host, registry=registry)
