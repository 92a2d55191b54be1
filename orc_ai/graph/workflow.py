"""The workflow graph, the same for every store: Airflow's DAGs, tasks and task tries as graph rows.

``(:Dag)-[:CONTAINS]->(:Task)``; ``(:Task)-[:DEPENDS_ON]->(:Task)`` points from the downstream task to the
upstream task it waits for (Airflow's ``a >> b`` is ``(b)-[:DEPENDS_ON]->(a)``); ``(:Task)-[:HAS_RUN]->(:Run)``,
one Run per try of ``airflow_task_runs``; ``(:Dag|Task)-[:NAMED_IN]->(:Entity)`` to the document graph's entities
that name the same DAG or task.

Naming rule: a name is normalised to its lower-case letter/digit words joined by one space (``kg_build_dag``,
``KG-Build DAG`` and ``kg build dag`` are the same). A DAG links to every entity whose name or an alias normalises
to its ``dag_id``. A task links to every entity whose name or alias normalises to ``<dag_id>.<task_id>`` and, when
no other DAG has a task of that id, to its bare ``task_id`` (a bare ``load`` in three DAGs names none of them).

Keys: a Task is ``<dag_id>/<task_id>`` and a Run its TRY_KEY joined by ``/`` (Airflow allows no ``/`` in dag, task or
run ids, so keys are unambiguous). Rows that cannot become nodes (an id Airflow would refuse, a downstream id that
names no task of the DAG, a try of a task not in the DAG structure) are skipped, each with its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

import polars as pl
from pydantic import TypeAdapter, ValidationError

from orc_ai import defaults
from orc_ai.errors import GraphStoreError, WorkflowInputError
from orc_ai.graph.models import WorkflowWrite
from orc_ai.graph.schema import NODE_PROPERTIES
from orc_ai.taskruns.schema import TRY_KEY, conform_task_runs, run_key_expr
from orc_ai.tools.ids import AirflowKey, AirflowRunId

DAG_TASK_COLUMNS = ("dag_id", "task_id", "operator", "downstream_task_ids")
# a workflow node's links: relationship type -> (source label, target label)
WORKFLOW_LINKS = {
    "CONTAINS": ("Dag", "Task"),
    "DEPENDS_ON": ("Task", "Task"),
    "HAS_RUN": ("Task", "Run"),
    "NAMED_IN": ("Dag|Task", "Entity"),
}
_SKIPPED_KINDS = {"task": "tasks", "dependency": "dependencies", "run": "runs"}
_SKIPPED_SCHEMA = {"kind": pl.String, "key": pl.String, "reason": pl.String}
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%.6fZ"
_KEY = TypeAdapter(AirflowKey)
_RUN_ID = TypeAdapter(AirflowRunId)


@dataclass
class WorkflowGraph:
    """Node rows with their outgoing links as id lists, and what was skipped.

    ``dags``: dag_id, entity_ids (NAMED_IN). ``tasks``: the Task properties, upstream_keys (DEPENDS_ON),
    entity_ids (NAMED_IN); its dag_id gives CONTAINS. ``runs``: the Run properties and task_key (HAS_RUN).
    ``skipped``: kind (task, dependency, run), key, reason."""

    dags: pl.DataFrame
    tasks: pl.DataFrame
    runs: pl.DataFrame
    skipped: pl.DataFrame

    def counts(self) -> dict[str, int]:
        """Nodes, links and skipped rows (by kind: task, dependency, run), for metadata."""
        kinds = dict(self.skipped.group_by("kind").len().iter_rows())
        named_in = sum(int(frame["entity_ids"].list.len().sum() or 0) for frame in (self.dags, self.tasks))
        return {
            "dags": self.dags.height,
            "tasks": self.tasks.height,
            "runs": self.runs.height,
            "depends_on": int(self.tasks["upstream_keys"].list.len().sum() or 0),
            "named_in": named_in,
            "skipped": self.skipped.height,
        } | {f"skipped_{plural}": kinds.get(kind, 0) for kind, plural in _SKIPPED_KINDS.items()}


def normalise_name(name: str | None) -> str:
    """Lower-case letter/digit words joined by single spaces: the form names are matched in."""
    return " ".join(re.findall(r"[^\W_]+", (name or "").casefold()))


def task_key(dag_id: str, task_id: str) -> str:
    return f"{dag_id}/{task_id}"


def _invalid(adapter: TypeAdapter, value: object) -> str | None:
    """Why ``value`` is not an id Airflow accepts, or None."""
    if not isinstance(value, str):
        return "missing"
    try:
        adapter.validate_python(value)
    except ValidationError as exc:
        return exc.errors()[0]["msg"].removeprefix("Value error, ")
    return None


def _skipped(rows: list[tuple[str, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=_SKIPPED_SCHEMA, orient="row")


def _structure(dag_tasks: pl.DataFrame) -> tuple[pl.DataFrame, list[tuple[str, str, str]]]:
    """Valid task rows, first of a repeated (dag_id, task_id), with upstream_keys; and the skipped rows."""
    missing = [c for c in ("dag_id", "task_id", "downstream_task_ids") if c not in dag_tasks.columns]
    if missing:
        raise ValueError(f"airflow_dag_tasks rows lack columns {missing}; expected {list(DAG_TASK_COLUMNS)}")
    skipped, seen, rows = [], set(), []
    operator = (
        dag_tasks["operator"] if "operator" in dag_tasks.columns else pl.repeat(None, dag_tasks.height, eager=True)
    )
    for (dag_id, task_id, downstream), op in zip(
        dag_tasks.select("dag_id", "task_id", "downstream_task_ids").iter_rows(), operator, strict=True
    ):
        label = f"{dag_id}/{task_id}"
        reason = (f"invalid dag_id: {r}" if (r := _invalid(_KEY, dag_id)) else None) or (
            f"invalid task_id: {r}" if (r := _invalid(_KEY, task_id)) else None
        )
        if reason is None and (dag_id, task_id) in seen:
            reason = "repeated task row: the first is kept"
        if reason:
            skipped.append(("task", label, reason))
            continue
        seen.add((dag_id, task_id))
        rows.append((dag_id, task_id, None if op is None else str(op), list(downstream or [])))
    upstream: dict[tuple[str, str], set[str]] = {}
    for dag_id, task_id, _, downstream in rows:
        for child in downstream:
            if child == task_id or (dag_id, child) not in seen:
                why = "a task cannot depend on itself" if child == task_id else "downstream id names no task"
                skipped.append(("dependency", f"{task_key(dag_id, task_id)} -> {child}", f"{why} of {dag_id}"))
                continue
            upstream.setdefault((dag_id, child), set()).add(task_key(dag_id, task_id))
    tasks = pl.DataFrame(
        [
            {
                "task_key": task_key(dag_id, task_id),
                "dag_id": dag_id,
                "task_id": task_id,
                "operator": op,
                "upstream_keys": sorted(upstream.get((dag_id, task_id), ())),
            }
            for dag_id, task_id, op, _ in rows
        ],
        schema={**dict.fromkeys(NODE_PROPERTIES["Task"], pl.String), "upstream_keys": pl.List(pl.String)},
    )
    return tasks.sort("task_key"), skipped


def _runs(task_runs: pl.DataFrame, task_keys: pl.Series, error_chars: int) -> tuple[pl.DataFrame, list]:
    """One row per try of a known task, with Run properties and task_key; and the skipped tries."""
    tries = conform_task_runs(task_runs)
    keyed = tries.with_columns(
        run_key_expr().alias("run_key"),
        pl.concat_str(["dag_id", "task_id"], separator="/").alias("task_key"),
    )
    bad = []
    for dag_id, run_id, task_id, map_index, try_number in keyed.select(TRY_KEY).iter_rows():
        reason = next(
            (
                f"invalid {name}: {r}"
                for name, adapter, value in (
                    ("dag_id", _KEY, dag_id),
                    ("task_id", _KEY, task_id),
                    ("run_id", _RUN_ID, run_id),
                )
                if (r := _invalid(adapter, value))
            ),
            "missing map_index or try_number" if map_index is None or try_number is None else None,
        )
        if reason:
            bad.append(("run", f"{dag_id}/{run_id}/{task_id}/{map_index}/{try_number}", reason))
    invalid_keys = {key for _, key, _ in bad}
    keyed = keyed.filter(pl.col("run_key").is_not_null() & ~pl.col("run_key").is_in(list(invalid_keys)))
    orphans = keyed.filter(~pl.col("task_key").is_in(task_keys.implode()))
    bad += [("run", key, "task not in airflow_dag_tasks") for key in orphans["run_key"].to_list()]
    times = [c for c in ("logical_date", "start_date", "end_date")]
    runs = keyed.filter(pl.col("task_key").is_in(task_keys.implode())).with_columns(
        *(pl.col(c).dt.convert_time_zone("UTC").dt.strftime(_TIME_FORMAT) for c in times),
        pl.col("error_message").str.slice(0, error_chars),
    )
    return runs.select(*NODE_PROPERTIES["Run"], "task_key").sort("run_key"), bad


def _names(entities: pl.DataFrame) -> pl.DataFrame:
    """(entity_id, normalised name) for every entity name and alias."""
    aliases = (
        entities["aliases"]
        if "aliases" in entities.columns
        else pl.repeat([], entities.height, dtype=pl.List(pl.String), eager=True)
    )
    frame = entities.select("entity_id", "name").with_columns(
        pl.concat_list(pl.col("name"), aliases.cast(pl.List(pl.String)).fill_null([])).alias("names")
    )
    exploded = frame.select("entity_id", pl.col("names").alias("raw")).explode("raw").drop_nulls("raw")
    normalised = exploded.with_columns(pl.col("raw").map_elements(normalise_name, return_dtype=pl.String).alias("n"))
    return normalised.filter(pl.col("n") != "").select("entity_id", "n").unique()


def _linked(rows: pl.DataFrame, key: str, names: pl.DataFrame, forms: pl.DataFrame) -> pl.DataFrame:
    """``rows`` with ``entity_ids``: the entities whose normalised name is one of ``forms`` (key, n) of that row."""
    hits = forms.join(names, on="n").group_by(key).agg(pl.col("entity_id").unique().sort().alias("entity_ids"))
    out = rows.join(hits, on=key, how="left")
    return out.with_columns(pl.col("entity_ids").fill_null(pl.lit([], dtype=pl.List(pl.String))))


def build_workflow_graph(
    dag_tasks: pl.DataFrame,
    task_runs: pl.DataFrame,
    entities: pl.DataFrame,
    *,
    error_chars: int = defaults.WORKFLOW_ERROR_MESSAGE_CHARS,
) -> WorkflowGraph:
    """The workflow graph of ``airflow_dag_tasks`` (dag_id, task_id, operator, downstream_task_ids),
    ``airflow_task_runs`` (TASK_RUNS_SCHEMA) and ``entities`` (entity_id, name, aliases). Raises ``ValueError``
    for a table missing its key columns; bad rows are skipped with their reason."""
    tasks, skipped = _structure(dag_tasks)
    runs, bad_runs = _runs(task_runs, tasks["task_key"], error_chars)
    names = _names(entities)
    dags = tasks.select("dag_id").unique().sort("dag_id")
    norm = {name: normalise_name(name) for name in [*tasks["dag_id"].unique(), *tasks["task_id"].unique()]}
    dag_forms = dags.select("dag_id", pl.col("dag_id").replace_strict(norm).alias("n"))
    unique_ids = tasks.group_by("task_id").agg(pl.col("dag_id").n_unique().alias("dags")).filter(pl.col("dags") == 1)
    qualified = tasks.select("task_key", pl.format("{}.{}", "dag_id", "task_id").alias("raw"))
    bare = tasks.filter(pl.col("task_id").is_in(unique_ids["task_id"].implode())).select(
        "task_key", pl.col("task_id").alias("raw")
    )
    task_forms = (
        pl.concat([qualified, bare])
        .with_columns(pl.col("raw").map_elements(normalise_name, return_dtype=pl.String).alias("n"))
        .select("task_key", "n")
    )
    return WorkflowGraph(
        dags=_linked(dags, "dag_id", names, dag_forms).sort("dag_id"),
        tasks=_linked(tasks, "task_key", names, task_forms).sort("task_key"),
        runs=runs,
        skipped=_skipped(skipped + bad_runs).sort("kind", "key"),
    )


def workflow_rows(graph: WorkflowGraph) -> dict[str, pl.DataFrame]:
    """``dags``, ``tasks`` and ``runs`` reduced to the store's columns; a key given twice or null raises
    ``GraphStoreError``."""
    columns = {
        "dags": ("dag_id", "entity_ids"),
        "tasks": (*NODE_PROPERTIES["Task"], "upstream_keys", "entity_ids"),
        "runs": (*NODE_PROPERTIES["Run"], "task_key"),
    }
    rows = {}
    for table, names in columns.items():
        frame = getattr(graph, table)
        missing = [c for c in names if c not in frame.columns]
        if missing:
            raise GraphStoreError(f"workflow {table} rows lack columns {missing}")
        key = names[0]
        if frame[key].null_count() or frame[key].is_duplicated().any():
            raise GraphStoreError(f"workflow {table} with duplicate or null {key}, e.g. {frame[key].head(3).to_list()}")
        rows[table] = frame.select(names)
    return rows


def skipped_share(graph: WorkflowGraph, dag_tasks: pl.DataFrame, task_runs: pl.DataFrame) -> float:
    """Share of input rows (task rows and tries) skipped for an invalid id: a try of a task the DAG no longer
    has is history, not bad input, and does not count."""
    invalid = graph.skipped.filter(pl.col("reason").str.starts_with("invalid")).height
    return invalid / max(1, dag_tasks.height + task_runs.height)


def load_workflow_graph(
    store: WorkflowStore,
    dag_tasks: pl.DataFrame,
    task_runs: pl.DataFrame,
    entities: pl.DataFrame,
    *,
    error_chars: int = defaults.WORKFLOW_ERROR_MESSAGE_CHARS,
    max_invalid_share: float = defaults.WORKFLOW_MAX_INVALID_SHARE,
) -> tuple[WorkflowGraph, WorkflowWrite]:
    """Build the workflow graph and replace the store's with it. Raises ``WorkflowInputError`` (nothing written)
    when more than ``max_invalid_share`` of the input rows carry ids Airflow would refuse."""
    graph = build_workflow_graph(dag_tasks, task_runs, entities, error_chars=error_chars)
    share = skipped_share(graph, dag_tasks, task_runs)
    if share > max_invalid_share:
        examples = graph.skipped.filter(pl.col("reason").str.starts_with("invalid")).head(3).to_dicts()
        raise WorkflowInputError(
            f"{share:.1%} of airflow_dag_tasks/airflow_task_runs rows have invalid ids (most allowed "
            f"{max_invalid_share:.1%}), e.g. {examples}; the stored workflow graph is unchanged"
        )
    store.ensure_schema()
    return graph, store.write_workflow(graph)


class WorkflowStore(Protocol):
    """The part of a GraphStore the workflow graph uses."""

    def ensure_schema(self) -> None: ...

    def write_workflow(self, graph: WorkflowGraph) -> WorkflowWrite:
        """Replace the stored workflow graph with ``graph`` (see the module docstring)."""
        ...
