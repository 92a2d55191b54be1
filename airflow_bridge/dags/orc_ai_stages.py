"""The five ORC AI stage DAGs for Airflow 3 (data_ingestion_dag, kg_build_dag, agent_execution_dag,
output_delivery_dag, monitoring_alerting_dag), each launching its Dagster assets through the GraphQL API.

Point Airflow's DAGs folder here (``ORC_AI_AIRFLOW_DAGS=airflow_bridge/dags scripts/airflow-server`` puts the
repository on the Airflow processes' path) and set the Airflow Variable ``orc_ai_dagster_url`` (or the
environment variable ``ORC_AI_DAGSTER_URL``; default http://127.0.0.1:3000). The stage → asset mapping is
``airflow_bridge/stages.py``.
"""

from airflow_bridge.dag_factory import build_stage_dag
from airflow_bridge.stages import STAGES

for _stage in STAGES:
    globals()[_stage.dag_id] = build_stage_dag(_stage)
