"""Everything that talks to Airflow: the REST API v2 client (and, later, Airflow-side DAGs).

Imports without Airflow installed (a test enforces it): it speaks HTTP with httpx.
"""

from airflow_bridge.client import AirflowClient
from airflow_bridge.errors import (
    AirflowAuthError,
    AirflowConflictError,
    AirflowError,
    AirflowNotFoundError,
    AirflowPermissionError,
    AirflowRequestError,
    AirflowTimeoutError,
    AirflowUnavailableError,
)

__all__ = [
    "AirflowAuthError",
    "AirflowClient",
    "AirflowConflictError",
    "AirflowError",
    "AirflowNotFoundError",
    "AirflowPermissionError",
    "AirflowRequestError",
    "AirflowTimeoutError",
    "AirflowUnavailableError",
]
