"""Airflow task-run history as a table: one row per try (the ``airflow_task_runs`` asset)."""
