"""Test DAG (parsed by the real Airflow, never imported by pytest): two tasks that succeed, extract >> load."""

from airflow.sdk import dag, task


@dag(dag_id="orc_test_ok", schedule=None, catchup=False, tags=["orc_ai_test"])
def orc_test_ok():
    @task
    def extract() -> int:
        return 1

    @task
    def load(rows: int) -> None:
        print(f"orc-test: loaded {rows} row(s)")

    load(extract())


orc_test_ok()
