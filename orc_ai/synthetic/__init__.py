"""Synthetic task-run histories: an SDV synthesizer fitted on the real airflow_task_runs, scored by SDMetrics."""
