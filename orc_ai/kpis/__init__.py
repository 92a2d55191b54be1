"""Pipeline KPIs from the task-run history and the failure forecasts: success rates, MTTR, execution-time variation,
alert precision and recall."""
