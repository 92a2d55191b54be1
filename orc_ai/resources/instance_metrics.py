"""Reads the Dagster instance for the metrics exporter (``orc_ai.metrics``): finished runs' step, materialisation
and check events, and the sensors' stored states and ticks.

Each read looks only at runs that finished since the last read (runs are listed by update time; a run is read
once, after it finished), so a scrape costs what is new; a restarted exporter reads the whole history again and
reports the same totals."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import dagster as dg
from dagster._core.events import DagsterEventType
from dagster._core.scheduler.instigation import InstigatorStatus, InstigatorType
from dagster._core.storage.dagster_run import FINISHED_STATUSES, RunsFilter

from orc_ai.metrics.totals import InstanceTotals, SensorState

EVENT_TYPES = {
    DagsterEventType.STEP_SUCCESS,
    DagsterEventType.STEP_FAILURE,
    DagsterEventType.ASSET_MATERIALIZATION,
    DagsterEventType.ASSET_CHECK_EVALUATION,
}
PAGE = 1000
UPDATE_SLACK = timedelta(minutes=5)  # re-list runs updated this long before the last one read (clock steps, ties)


def _plain(metadata: dict[str, Any]) -> dict[str, Any]:
    return {k: getattr(v, "value", v) for k, v in metadata.items()}


class InstanceReader:
    """An ``orc_ai.metrics.collector.InstanceSource`` over one ``DagsterInstance``."""

    def __init__(self, instance: dg.DagsterInstance):
        self.instance = instance
        self.totals = InstanceTotals()
        self._read_runs: set[str] = set()
        self._updated_after: datetime | None = None

    def read(self) -> tuple[InstanceTotals, list[SensorState]]:
        """Totals over every finished run (the new ones read now), and every sensor's state."""
        since = self._updated_after - UPDATE_SLACK if self._updated_after else None
        records = self.instance.get_run_records(
            filters=RunsFilter(statuses=list(FINISHED_STATUSES), updated_after=since), order_by="update_timestamp",
            ascending=True,
        )
        for record in records:
            run = record.dagster_run
            if run.run_id in self._read_runs:
                continue
            self._read_run(run.run_id)
            self.totals.runs[run.status.value] += 1
            self._read_runs.add(run.run_id)
            self._updated_after = max(self._updated_after or record.update_timestamp, record.update_timestamp)
        return self.totals, self.sensors()

    def _events(self, run_id: str) -> list[dg.EventLogEntry]:
        entries, cursor = [], None
        while True:
            page = self.instance.get_records_for_run(run_id, cursor=cursor, of_type=EVENT_TYPES, limit=PAGE)
            entries += [r.event_log_entry for r in page.records]
            if not page.has_more:
                return entries
            cursor = page.cursor

    def _read_run(self, run_id: str) -> None:
        entries = self._events(run_id)
        totals = self.totals
        # materialisations and check evaluations first: they say which assets each step produced or checked
        for entry in entries:
            event = entry.dagster_event
            if event is None:
                continue
            if event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
                materialization = event.step_materialization_data.materialization
                totals.add_materialization(
                    materialization.asset_key.to_user_string(), event.step_key, _plain(materialization.metadata)
                )
            elif event.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
                evaluation = event.asset_check_evaluation_data
                totals.add_check(
                    evaluation.asset_key.to_user_string(), evaluation.check_name, passed=evaluation.passed,
                    severity=evaluation.severity.value, evaluated_at=entry.timestamp, step=event.step_key,
                )
        for entry in entries:
            event = entry.dagster_event
            if event is not None and event.event_type in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE):
                succeeded = event.event_type == DagsterEventType.STEP_SUCCESS
                duration_s = event.event_specific_data.duration_ms / 1000 if succeeded else None
                totals.add_step(
                    totals.assets_of(event.step_key), event.step_key, succeeded=succeeded, duration_s=duration_s,
                    finished_at=entry.timestamp,
                )

    def sensors(self) -> list[SensorState]:
        """Every sensor the instance has a state for: running or not, its cursor, its latest tick (none on an
        instance without schedule storage, e.g. an ephemeral one)."""
        if self.instance.schedule_storage is None:
            return []
        states = []
        for state in self.instance.all_instigator_state(instigator_type=InstigatorType.SENSOR):
            ticks = self.instance.get_ticks(state.instigator_origin_id, state.selector_id, limit=1)
            data = state.instigator_data
            states.append(
                SensorState(
                    name=state.instigator_name,
                    running=state.status in (InstigatorStatus.RUNNING, InstigatorStatus.DECLARED_IN_CODE),
                    last_tick_at=ticks[0].timestamp if ticks else getattr(data, "last_tick_timestamp", None),
                    last_tick_status=ticks[0].status.value if ticks else None,
                    cursor=getattr(data, "cursor", None),
                )
            )
        return states


def open_instance_reader() -> InstanceReader:
    """A reader over the instance ``$DAGSTER_HOME`` configures (the one the UI and the daemon use)."""
    return InstanceReader(dg.DagsterInstance.get())
