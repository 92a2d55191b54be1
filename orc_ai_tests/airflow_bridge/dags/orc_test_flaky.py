"""Test DAG (parsed by the real Airflow, never imported by pytest): tries that fail and then succeed.

``retried`` fails its first try and succeeds on the automatic retry; ``needs_clear`` has no retries, so the
run fails until that task is cleared, and its second try (after the clear) succeeds.
"""

from datetime import timedelta

from airflow.sdk import dag, get_current_context, task


def _fail_on_first_try() -> str:
    ti = get_current_context()["ti"]
    if ti.try_number == 1:
        raise RuntimeError(f"orc-test: planned failure of {ti.task_id} on try 1")
    return f"{ti.task_id} ok on try {ti.try_number}"


@dag(dag_id="orc_test_flaky", schedule=None, catchup=False, tags=["orc_ai_test"])
def orc_test_flaky():
    @task(retries=1, retry_delay=timedelta(seconds=1))
    def retried() -> str:
        return _fail_on_first_try()

    @task(retries=0)
    def needs_clear() -> str:
        return _fail_on_first_try()

    retried()
    needs_clear()


orc_test_flaky()
