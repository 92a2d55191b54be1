"""Tests of the deployment: the Dagster instance on Postgres, the run queue, automation end to end."""
