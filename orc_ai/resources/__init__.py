"""Dagster resources: one per external system (plus local state and the asset IO manager)."""
