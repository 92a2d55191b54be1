"""docs_folder_sensor: re-ingest when files in the documents folder change; automation does the rest."""

import json

import dagster as dg

from orc_ai.ingest.fingerprint import folder_fingerprint
from orc_ai.resources.documents_folder import DocumentsFolderResource

ingest_job = dg.define_asset_job(
    "ingest_documents", selection=dg.AssetSelection.assets("raw_docs", "quarantined_docs")
)


def _read_cursor(cursor: str | None) -> tuple[str, int]:
    """(last fingerprint, number of runs requested so far); a bare fingerprint is an earlier cursor format."""
    if not cursor:
        return "", 0
    try:
        state = json.loads(cursor)
        return str(state["fingerprint"]), int(state["requests"])
    except (ValueError, KeyError, TypeError):
        return cursor, 0


@dg.sensor(job=ingest_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING)
def docs_folder_sensor(
    context: dg.SensorEvaluationContext, docs: DocumentsFolderResource
) -> dg.SensorResult | dg.SkipReason:
    """Requests a raw_docs run whenever the folder's fingerprint differs from the last one seen."""
    fingerprint = folder_fingerprint(docs.root)
    if not fingerprint:
        return dg.SkipReason(f"documents folder {docs.root} does not exist")
    last, requests = _read_cursor(context.cursor)
    if fingerprint == last:
        return dg.SkipReason("no change in the documents folder")
    # The run key counts requests: a folder that returns to an earlier state (add then delete a file) is a new
    # change and must run again, which a key made of the fingerprint alone would suppress.
    run_key = f"{requests + 1}:{fingerprint}"
    cursor = json.dumps({"fingerprint": fingerprint, "requests": requests + 1})
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=run_key)], cursor=cursor)
