"""Forecasts of task durations and failure rates from the task-run history (Prophet, with a fallback)."""
