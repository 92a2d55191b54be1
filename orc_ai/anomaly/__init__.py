"""Anomaly detection: a streaming detector for univariate series and the task-run anomaly scorer."""
