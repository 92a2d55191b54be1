"""Prometheus metrics of the pipeline, computed when scraped from what the runs left behind (the Dagster
instance's event log and the tables under ``ORC_AI_HOME``): runs are short-lived processes, so nothing is
counted in process. This package imports no Dagster; ``orc_ai.resources.instance_metrics`` reads the instance."""
