"""Argument types for ids: Airflow dag/task/run ids (one concrete id each, in the characters Airflow allows),
chunk ids and Slack channels."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema

from orc_ai import defaults

# (matched whole with fullmatch: "$" would let a trailing newline through)
# airflow.utils.helpers.KEY_REGEX: dag and task ids (a task in a group is "group.task")
_KEY = re.compile(r"[\w.-]+")
# the default [scheduler] allowed_run_id_pattern: run ids such as "manual__2026-01-01T00:00:00+00:00"
_RUN_ID = re.compile(r"[A-Za-z0-9_.~:+-]+")
_CHUNK_ID = re.compile(r"[\w:.-]{1,128}")
_CHANNEL = re.compile(r"#?[\w-]{1,80}")  # a channel id (C0123ABCD) or name


def _checked(value: str, pattern: re.Pattern[str], allowed: str) -> str:
    if not value:
        raise ValueError("must be a concrete id, not empty")
    if len(value) > defaults.AIRFLOW_ID_MAX_LEN:
        raise ValueError(f"must be at most {defaults.AIRFLOW_ID_MAX_LEN} characters")
    if not pattern.fullmatch(value):
        raise ValueError(f"must be one concrete id of {allowed}; wildcards, spaces and slashes are not ids")
    if set(value) == {"."}:
        raise ValueError("must be a concrete id, not a path segment like '.' or '..'")
    return value


def _key(value: str) -> str:
    return _checked(value, _KEY, "letters, digits, '_', '.' and '-'")


def _run_id(value: str) -> str:
    return _checked(value, _RUN_ID, "letters, digits and '_.~:+-'")


def _schema(pattern: str, max_length: int) -> WithJsonSchema:
    """What a planner sees of the type (the validator above is the authority)."""
    return WithJsonSchema({"type": "string", "pattern": pattern, "minLength": 1, "maxLength": max_length})


AirflowKey = Annotated[str, AfterValidator(_key), _schema(r"^[A-Za-z0-9_.-]+$", defaults.AIRFLOW_ID_MAX_LEN)]
AirflowRunId = Annotated[str, AfterValidator(_run_id), _schema(r"^[A-Za-z0-9_.~:+-]+$", defaults.AIRFLOW_ID_MAX_LEN)]


def _chunk_id(value: str) -> str:
    if not _CHUNK_ID.fullmatch(value):
        raise ValueError("must be a chunk id from the retrieved context (letters, digits, '_', ':', '.', '-')")
    return value


def _channel(value: str) -> str:
    if not _CHANNEL.fullmatch(value):
        raise ValueError("must be a Slack channel id (C0123ABCD) or name (#ops-alerts): letters, digits, '_', '-'")
    return value


ChunkId = Annotated[str, AfterValidator(_chunk_id), _schema(r"^[A-Za-z0-9_:.-]+$", 128)]
SlackChannel = Annotated[str, AfterValidator(_channel), _schema(r"^#?[A-Za-z0-9_-]+$", 81)]
