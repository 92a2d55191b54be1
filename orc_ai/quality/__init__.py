"""Data-quality measures the asset checks gate on: plain functions over tables, no Dagster."""
