"""The Neo4j store's Cypher for the workflow graph (see ``graph.workflow``), named and parameterised.

Kept beside ``cypher`` (the knowledge graph's statements) so that neither module outgrows one concept. Values
travel as parameters; labels and relationship types are constants of this module or checked by
``validate_graph_name`` before they become query text.
"""

from __future__ import annotations

from orc_ai.graph.schema import NODE_KEYS, NODE_PROPERTIES
from orc_ai.graph.store import validate_graph_name

WORKFLOW_LABELS = ("Dag", "Task", "Run")


def _set(var: str, label: str) -> str:
    """``SET`` of the label's properties but its key from ``row``: a null removes the property."""
    names = [n for n in NODE_PROPERTIES[label] if n != NODE_KEYS[label]]
    return ("SET " + ", ".join(f"{var}.{n} = row.{n}" for n in names)) if names else ""


UPSERT_DAGS = """
UNWIND $rows AS row
MERGE (d:Dag {dag_id: row.dag_id})
"""

# a task belongs to the one DAG its row names: CONTAINS from any other goes
UPSERT_TASKS = f"""
UNWIND $rows AS row
MERGE (t:Task {{task_key: row.task_key}})
{_set("t", "Task")}
WITH t, row
CALL (t, row) {{
  MATCH (other:Dag)-[old:CONTAINS]->(t) WHERE other.dag_id <> row.dag_id
  DELETE old
}}
WITH t, row
MATCH (d:Dag {{dag_id: row.dag_id}})
MERGE (d)-[:CONTAINS]->(t)
"""

# every DEPENDS_ON and NAMED_IN of the workflow graph is rewritten by the same transaction that drops them
UNLINK_DEPENDS_AND_NAMES = "MATCH (:Dag|Task)-[r:DEPENDS_ON|NAMED_IN]->() DELETE r"
LINK_DEPENDS_ON = """
UNWIND $rows AS row
MATCH (a:Task {task_key: row.source}), (b:Task {task_key: row.target})
MERGE (a)-[:DEPENDS_ON]->(b)
"""


def link_named_in(label: str) -> str:
    """NAMED_IN from Dags or Tasks (``row.source``) to the entities (``row.target``) that exist."""
    if label not in ("Dag", "Task"):
        raise ValueError(f"NAMED_IN starts at a Dag or a Task, not {label!r}")
    return f"""
UNWIND $rows AS row
MATCH (n:{validate_graph_name(label)} {{{NODE_KEYS[label]}: row.source}}), (e:Entity {{entity_id: row.target}})
MERGE (n)-[:NAMED_IN]->(e)
"""


# a try belongs to the one task its row names: HAS_RUN from any other goes
UPSERT_RUNS = f"""
UNWIND $rows AS row
MERGE (r:Run {{run_key: row.run_key}})
{_set("r", "Run")}
WITH r, row
CALL (r, row) {{
  MATCH (other:Task)-[old:HAS_RUN]->(r) WHERE other.task_key <> row.task_key
  DELETE old
}}
WITH r, row
MATCH (t:Task {{task_key: row.task_key}})
MERGE (t)-[:HAS_RUN]->(r)
"""


def prune_missing(label: str) -> str:
    """Delete the label's nodes (and their links) whose key is not in ``$keys``; returns how many."""
    if label not in WORKFLOW_LABELS:
        raise ValueError(f"{label!r} is not a workflow label")
    return f"MATCH (n:{label}) WHERE NOT n.{NODE_KEYS[label]} IN $keys DETACH DELETE n RETURN count(n) AS n"


COUNTS = """
CALL () { MATCH (n:Dag) RETURN count(n) AS dags }
CALL () { MATCH (n:Task) RETURN count(n) AS tasks }
CALL () { MATCH (n:Run) RETURN count(n) AS runs }
CALL () { MATCH (:Dag)-[r:CONTAINS]->(:Task) RETURN count(r) AS contains }
CALL () { MATCH (:Task)-[r:DEPENDS_ON]->(:Task) RETURN count(r) AS depends_on }
CALL () { MATCH (:Task)-[r:HAS_RUN]->(:Run) RETURN count(r) AS has_run }
CALL () { MATCH (:Dag|Task)-[r:NAMED_IN]->(:Entity) RETURN count(r) AS named_in }
RETURN dags, tasks, runs, contains, depends_on, has_run, named_in
"""

TASK = """
MATCH (t:Task {task_key: $key})
OPTIONAL MATCH (t)-[:DEPENDS_ON]->(up:Task)
WITH t, collect(DISTINCT up.task_id) AS upstream
OPTIONAL MATCH (down:Task)-[:DEPENDS_ON]->(t)
RETURN t.operator AS operator, upstream, collect(DISTINCT down.task_id) AS downstream
"""
# most recent start first, never-started tries last (ISO-8601 UTC text sorts in time order)
TASK_RUNS = """
MATCH (:Task {task_key: $key})-[:HAS_RUN]->(r:Run)
RETURN properties(r) AS run
ORDER BY r.start_date IS NULL, r.start_date DESC, r.run_key DESC
LIMIT $limit
"""
TASK_ENTITIES = """
CALL () {
  MATCH (:Task {task_key: $key})-[:NAMED_IN]->(e:Entity) RETURN e, 'Task' AS by
  UNION
  MATCH (:Dag {dag_id: $dag_id})-[:NAMED_IN]->(e:Entity) RETURN e, 'Dag' AS by
}
WITH e, collect(DISTINCT by) AS named_by
CALL (e) {
  OPTIONAL MATCH (c:Chunk)-[:MENTIONS]->(e)
  WITH c ORDER BY c.doc_id, c.chunk_index LIMIT $chunks
  RETURN collect(CASE WHEN c IS NULL THEN NULL ELSE {chunk_id: c.chunk_id, doc_id: c.doc_id, text: c.text} END)
         AS chunks
}
RETURN e.entity_id AS entity_id, e.name AS name, e.type AS type, named_by, chunks
ORDER BY entity_id
"""
