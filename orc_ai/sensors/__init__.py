"""Sensors: watch external state and request runs."""
