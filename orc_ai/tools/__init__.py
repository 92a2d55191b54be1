"""Typed tools the agent may call: a registry of pydantic argument models and effect classes, and the built-ins."""
