"""docs_folder_sensor: re-ingest when files in the documents folder change; eager automation does the rest."""

import dagster as dg

from orc_ai import settings
from orc_ai.ingest.fingerprint import folder_fingerprint

ingest_job = dg.define_asset_job(
    "ingest_documents", selection=dg.AssetSelection.assets("raw_docs").required_multi_asset_neighbors()
)


@dg.sensor(job=ingest_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.STOPPED)
def docs_folder_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    """Requests a raw_docs run when the folder's fingerprint differs from the last one seen."""
    fingerprint = folder_fingerprint(settings.docs_dir())
    if not fingerprint:
        return dg.SkipReason(f"documents folder {settings.docs_dir()} does not exist")
    if fingerprint == context.cursor:
        return dg.SkipReason("no change in the documents folder")
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=fingerprint)], cursor=fingerprint)
