"""agent_inbox_sensor: refresh agent_events when the inbox changes or the set of failing asset checks does."""

import json
from pathlib import Path

import dagster as dg

from orc_ai import defaults, settings
from orc_ai.assets.events import failed_checks, platform_check_keys
from orc_ai.hashing import stable_hash
from orc_ai.ingest.fingerprint import folder_fingerprint
from orc_ai.resources.local_state import LocalStateResource

agent_events_job = dg.define_asset_job(
    "agent_events_job", selection=dg.AssetSelection.assets("agent_events", "quarantined_events")
)
_NOTHING = {"inbox": "", "checks": stable_hash()}  # no inbox folder, no failing check: nothing to run for


def _read_cursor(cursor: str | None) -> tuple[dict[str, str], int]:
    if not cursor:
        return dict(_NOTHING), 0
    try:
        state = json.loads(cursor)
        return {"inbox": str(state["inbox"]), "checks": str(state["checks"])}, int(state["requests"])
    except (ValueError, KeyError, TypeError):
        return dict(_NOTHING), 0


@dg.sensor(
    job=agent_events_job,
    minimum_interval_seconds=defaults.INBOX_SENSOR_INTERVAL_S,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def agent_inbox_sensor(
    context: dg.SensorEvaluationContext, state: LocalStateResource
) -> dg.SensorResult | dg.SkipReason:
    """Requests an agent_events run when an inbox file is added, changed or removed, or when a check starts or
    stops failing (a new failed execution of a check counts as a change: its run id is part of the state)."""
    failing = failed_checks(context.instance, platform_check_keys())
    seen = {
        "inbox": folder_fingerprint(settings.inbox_dir(Path(state.home))),
        "checks": stable_hash(*sorted(f"{f.asset_key}:{f.check_name}:{f.run_id}" for f in failing)),
    }
    last, requests = _read_cursor(context.cursor)
    if seen == last:
        return dg.SkipReason("no change in the inbox or the failing checks")
    # the run key counts requests: a state seen before (a file added, then removed) is still a new change
    run_key = f"{requests + 1}:{seen['inbox']}:{seen['checks']}"
    cursor = json.dumps({**seen, "requests": requests + 1})
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=run_key)], cursor=cursor)
