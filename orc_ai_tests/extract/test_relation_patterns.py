"""Typed relations from operations phrasing: one small real sentence per pattern, direction checked both ways."""

import pytest

from orc_ai.extract.clauses import clause_spans
from orc_ai.extract.nlp import NlpExtractor
from orc_ai.extract.vocabulary import CO_OCCURS, DEFAULT_RELATION_TYPES, TYPED_RELATION_TYPES


def _typed(text: str) -> set[tuple[str, str, str]]:
    return {(r.source, r.type, r.target) for r in NlpExtractor().extract(text).relations if r.type != CO_OCCURS}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The DAG `sales_daily_etl` depends on `crm_nightly_sync`.", ("sales_daily_etl", "crm_nightly_sync")),
        ("`crm_nightly_sync` is upstream of `sales_daily_etl`.", ("sales_daily_etl", "crm_nightly_sync")),
        ("`crm_nightly_sync` triggers `sales_daily_etl` when it succeeds.", ("sales_daily_etl", "crm_nightly_sync")),
        ("The DAG `sales_daily_etl` runs after `crm_nightly_sync`.", ("sales_daily_etl", "crm_nightly_sync")),
        (
            "The DAG `crm_nightly_sync` has one consumer.\nDownstream: `sales_daily_etl`.",
            ("sales_daily_etl", "crm_nightly_sync"),
        ),
    ],
)
def test_depends_on_points_from_the_dependent_to_what_it_needs(text: str, expected: tuple[str, str]) -> None:
    dependent, needed = expected
    typed = _typed(text)
    assert (dependent, "DEPENDS_ON", needed) in typed
    assert (needed, "DEPENDS_ON", dependent) not in typed


def test_owned_by_from_prose_reverse_prose_and_records() -> None:
    assert ("invoices_daily_export", "OWNED_BY", "Billing team") in _typed(
        "The DAG `invoices_daily_export` is owned by the Billing team."
    )
    assert ("Redis", "OWNED_BY", "SRE team") in _typed("The SRE team owns Redis and the cache nodes.")
    record = 'Stripe: {"owner_team": "Finance Data team", "owner": "Ana Silva", "backup": "Jon Park"}'
    assert {
        ("Stripe", "OWNED_BY", "Finance Data team"),
        ("Stripe", "OWNED_BY", "Ana Silva"),
        ("Stripe", "OWNED_BY", "Jon Park"),
    } <= _typed(record)
    owners_map = 'Snowflake: {"warehouse_owners": {"REPORTING_WH": "Ana Silva", "ML_WH": "Jon Park"}}'
    assert {("REPORTING_WH", "OWNED_BY", "Ana Silva"), ("ML_WH", "OWNED_BY", "Jon Park")} <= _typed(owners_map)


def test_reads_from_and_writes_to_tables_and_topics() -> None:
    typed = _typed("Task `load_orders` reads from table `staging.orders` and writes to table `analytics.orders`.")
    assert ("load_orders", "READS_FROM", "staging.orders") in typed
    assert ("load_orders", "WRITES_TO", "analytics.orders") in typed
    assert ("load_orders", "READS_FROM", "analytics.orders") not in typed
    assert ("clicks_hourly_ingest", "READS_FROM", "web.clicks.v1") in _typed(
        "The DAG `clicks_hourly_ingest` consumes `web.clicks.v1` from Kafka."
    )


def test_a_pronoun_subject_is_the_dag_of_the_earlier_sentence() -> None:
    typed = _typed("The DAG `sales_daily_etl` copies orders. It reads from the Postgres read replica `crm-db-02`.")
    assert ("sales_daily_etl", "READS_FROM", "crm-db-02") in typed
    assert not any(s == "Postgres" for s, _, _ in typed)  # "read replica" is not a read, Postgres qualifies the host


def test_runs_on_hosts_and_pools() -> None:
    assert ("train_model", "RUNS_ON", "gpu-node-03") in _typed("Task `train_model` runs on host `gpu-node-03`.")
    row = "| `extract_invoices` | PythonOperator | Copies invoices. Pool `postgres_extract_pool`. |"
    assert ("extract_invoices", "RUNS_ON", "postgres_extract_pool") in _typed(row)


def test_failed_with_errors_also_across_a_line_break() -> None:
    assert ("load_orders", "FAILED_WITH", "ProgrammingError") in _typed(
        "Symptom: `load_orders` fails with\n`snowflake.connector.errors.ProgrammingError: 000606 (57P03)`"
    )
    assert ("extract_orders", "FAILED_WITH", "DiskFull") in _typed(
        "`extract_orders` fails with `psycopg2.errors.DiskFull: could not write to file`."
    )


def test_escalates_to_from_prose_and_records() -> None:
    assert ("invoices_daily_export", "ESCALATES_TO", "Finance Data team") in _typed(
        "`invoices_daily_export` escalates to the Finance Data on-call."
    )
    record = 'Vault: {"owner": "Ana Silva", "escalation": ["SRE on-call", "Ana Silva", "Jon Park"]}'
    assert {
        ("Vault", "ESCALATES_TO", "SRE team"),
        ("Vault", "ESCALATES_TO", "Ana Silva"),
        ("Vault", "ESCALATES_TO", "Jon Park"),
    } <= _typed(record)


def test_part_of_links_a_task_to_the_dag_it_is_named_with() -> None:
    assert ("extract_orders", "PART_OF", "orders_daily_etl") in _typed(
        "Task `extract_orders` of DAG `orders_daily_etl` timed out."
    )
    listed = _typed("The DAG `orders_daily_etl` runs at 01:00. Tasks: `extract_orders`, `load_orders`.")
    assert {("extract_orders", "PART_OF", "orders_daily_etl"), ("load_orders", "PART_OF", "orders_daily_etl")} <= listed


def test_a_cue_inside_a_hyphenated_value_is_no_cue() -> None:
    typed = _typed("dag_id: sales_daily_etl; pager_policy: page-24x7; owner: Ana Silva")
    assert ("sales_daily_etl", "OWNED_BY", "Ana Silva") in typed
    assert not any(r == "ESCALATES_TO" for _, r, _ in typed)


def test_clauses_join_html_text_nodes_but_keep_table_rows_and_fields_apart() -> None:
    text = "The deployment\nairflow-prod\nis owned by the\nData Platform team\n.\n| a | b |\n| c | d |\nOwner: X"
    spans = [text[s:e] for s, e in clause_spans(text)]
    assert spans[0].startswith("The deployment") and "Data Platform team" in spans[0]
    assert "| a | b |" in spans and "| c | d |" in spans and "Owner: X" in spans
    assert ("airflow-prod", "OWNED_BY", "Data Platform team") in _typed(text)


def test_llm_relation_vocabulary_includes_every_typed_relation() -> None:
    assert set(TYPED_RELATION_TYPES) <= set(DEFAULT_RELATION_TYPES)
    assert CO_OCCURS not in DEFAULT_RELATION_TYPES


def test_table_columns_name_the_relation_of_a_row_to_its_first_cell() -> None:
    text = (
        "| Host | Role | Used by | Owner |\n|---|---|---|---|\n"
        "| `crm-db-02` | replica | `sales_daily_etl`, `crm_nightly_sync` | Data Platform team |\n"
    )
    typed = _typed(text)
    assert {
        ("sales_daily_etl", "DEPENDS_ON", "crm-db-02"),
        ("crm_nightly_sync", "DEPENDS_ON", "crm-db-02"),
        ("crm-db-02", "OWNED_BY", "Data Platform team"),
    } <= typed
