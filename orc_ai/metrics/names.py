"""Every metric family the exporter exposes, by name (the Grafana dashboard's test holds its queries to these)."""

from __future__ import annotations

# from the Dagster event log
STEP_DURATION = "orc_ai_asset_step_duration_seconds"  # summary: _count and _sum
STEP_LAST_DURATION = "orc_ai_asset_step_last_duration_seconds"
STEP_FAILURES = "orc_ai_asset_step_failures_total"
MATERIALIZATIONS = "orc_ai_asset_materializations_total"
RUNS = "orc_ai_runs_total"
CHECK_PASSED = "orc_ai_asset_check_passed"
CHECK_EVALUATIONS = "orc_ai_asset_check_evaluations_total"
CHECKS_FAILING = "orc_ai_asset_checks_failing"
LLM_PROMPT_TOKENS = "orc_ai_llm_prompt_tokens_total"
LLM_COMPLETION_TOKENS = "orc_ai_llm_completion_tokens_total"
LLM_REQUESTS = "orc_ai_llm_requests_total"
LLM_LATENCY = "orc_ai_llm_latency_seconds_total"
LLM_COST = "orc_ai_llm_cost_usd_total"
SENSOR_RUNNING = "orc_ai_sensor_running"
SENSOR_TICK_AGE = "orc_ai_sensor_last_tick_age_seconds"
SENSOR_TICK_FAILED = "orc_ai_sensor_last_tick_failed"
AIRFLOW_WATERMARK_LAG = "orc_ai_airflow_sync_watermark_lag_seconds"
# from the tables under ORC_AI_HOME
FORECAST_MAX_RISK = "orc_ai_forecast_max_risk"
FORECAST_AT_RISK = "orc_ai_forecast_at_risk_targets"
FORECAST_TARGETS = "orc_ai_forecast_targets"
FORECAST_DAG_MAX_RISK = "orc_ai_forecast_dag_max_risk"
# pipeline_kpis column -> metric name (one gauge each, labelled by dag_id; "" is the overall row)
KPI_METRICS = {
    "finished_runs": "orc_ai_pipeline_finished_runs",
    "successful_runs": "orc_ai_pipeline_successful_runs",
    "run_success_rate": "orc_ai_pipeline_run_success_ratio",
    "tries": "orc_ai_pipeline_tries",
    "successful_tries": "orc_ai_pipeline_successful_tries",
    "try_success_rate": "orc_ai_pipeline_try_success_ratio",
    "incidents": "orc_ai_pipeline_incidents",
    "open_incidents": "orc_ai_pipeline_open_incidents",
    "mttr_s": "orc_ai_pipeline_mttr_seconds",
    "cv_tasks": "orc_ai_pipeline_cv_tasks",
    "duration_cv": "orc_ai_pipeline_duration_cv",
    "judged_windows": "orc_ai_pipeline_forecast_judged_windows",
    "alerts": "orc_ai_pipeline_forecast_alerts",
    "alert_hits": "orc_ai_pipeline_forecast_alert_hits",
    "failed_windows": "orc_ai_pipeline_forecast_failed_windows",
    "alert_precision": "orc_ai_pipeline_forecast_alert_precision_ratio",
    "alert_recall": "orc_ai_pipeline_forecast_alert_recall_ratio",
}

ALL = frozenset(v for k, v in globals().items() if k.isupper() and isinstance(v, str)) | frozenset(
    KPI_METRICS.values()
)
