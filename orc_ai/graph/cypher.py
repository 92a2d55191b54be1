"""Every Cypher statement of the Neo4j store, named and parameterised.

Values always travel as parameters. Only labels, relationship types, index names, batch column names and the
vector dimension are put into query text, and only after ``validate_graph_name`` / ``is_graph_name`` / ``int()``
(Cypher cannot parameterise them); property names come from the constants of ``schema``.
"""

from __future__ import annotations

from collections.abc import Sequence

from orc_ai.graph.schema import (
    CORE_LABELS,
    DECISION_LINKS,
    DECISION_REL_TYPES,
    HIDDEN_PROPERTIES,
    NODE_KEYS,
    NODE_PROPERTIES,
    RELATION_PROPERTIES,
)
from orc_ai.graph.store import is_graph_name, validate_graph_name

ROWS_HEADER = "UNWIND $rows AS row"


def columnar(query: str, columns: Sequence[str]) -> str:
    """``query``, written over rows (it starts with ``UNWIND $rows AS row``), reading ``$rows`` as a map of equally
    long lists, one per column: a batch encodes and decodes in about half the time of a map per row. Column names
    become query text, so they are checked first."""
    head, header, body = query.partition(ROWS_HEADER)
    if not header or head.strip():
        raise ValueError(f"a batch query starts with {ROWS_HEADER!r}")
    bad = [name for name in columns if not is_graph_name(name)]
    if bad or not columns:
        raise ValueError(f"column names must be identifiers: {bad or 'none given'}")
    fields = ", ".join(f"{name}: $rows.{name}[i]" for name in columns)
    return f"UNWIND range(0, size($rows.{columns[0]}) - 1) AS i WITH {{{fields}}} AS row{body}"


CONSTRAINTS = [
    "CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.doc_id IS UNIQUE",
    "CREATE CONSTRAINT chunk_id IF NOT EXISTS FOR (n:Chunk) REQUIRE n.chunk_id IS UNIQUE",
    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.entity_id IS UNIQUE",
    "CREATE CONSTRAINT community_id IF NOT EXISTS FOR (n:Community) REQUIRE n.community_id IS UNIQUE",
    "CREATE CONSTRAINT decision_id IF NOT EXISTS FOR (n:Decision) REQUIRE n.decision_id IS UNIQUE",
    "CREATE CONSTRAINT dag_id IF NOT EXISTS FOR (n:Dag) REQUIRE n.dag_id IS UNIQUE",
    "CREATE CONSTRAINT task_key IF NOT EXISTS FOR (n:Task) REQUIRE n.task_key IS UNIQUE",
    "CREATE CONSTRAINT run_key IF NOT EXISTS FOR (n:Run) REQUIRE n.run_key IS UNIQUE",
    "CREATE FULLTEXT INDEX entity_text IF NOT EXISTS FOR (n:Entity) ON EACH [n.name, n.aliases_text, n.description]",
    "CREATE FULLTEXT INDEX chunk_text IF NOT EXISTS FOR (n:Chunk) ON EACH [n.text]",
]
VECTOR_INDEXES = {"chunk": ("chunk_embedding", "Chunk"), "entity": ("entity_embedding", "Entity")}
FULLTEXT_INDEXES = {"chunk": ("chunk_text", "chunk_id"), "entity": ("entity_text", "entity_id")}


# a vector is rewritten only when its hash changed: rewriting an unchanged vector makes the node briefly
# invisible to the HNSW index, and costs an index update for nothing
def create_vector_index(kind: str, dimension: int) -> str:
    name, label = VECTOR_INDEXES[kind]
    return (
        f"CREATE VECTOR INDEX {name} IF NOT EXISTS FOR (n:{label}) ON n.embedding "
        f"OPTIONS {{indexConfig: {{`vector.dimensions`: {int(dimension)}, `vector.similarity_function`: 'cosine', "
        "`vector.quantization.enabled`: false}}"
    )


VECTOR_INDEX_DIMENSION = """
SHOW VECTOR INDEXES YIELD name, options WHERE name = $name
RETURN options.indexConfig.`vector.dimensions` AS dimension
"""


def drop_index(name: str) -> str:
    return f"DROP INDEX {validate_graph_name(name)} IF EXISTS"


def _set(var: str, names: Sequence[str], key: str) -> str:
    """``SET`` of every listed property from ``row`` but the key: a null or absent column removes the property."""
    return "SET " + ", ".join(f"{var}.{name} = row.{name}" for name in names if name != key)


def _set_node(var: str, label: str) -> str:
    return _set(var, NODE_PROPERTIES[label], NODE_KEYS[label])


UPSERT_DOCUMENTS = f"""
UNWIND $rows AS row
MERGE (d:Document {{doc_id: row.doc_id}})
{_set_node("d", "Document")}
"""

# for node `n` and input `row`: write the vector only when its hash changed (see create_vector_index)
SET_CHANGED_VECTOR = """CALL (n, row) {
  WITH n, row WHERE n.vector_hash IS NULL OR n.vector_hash <> row.vector_hash
  CALL db.create.setNodeVectorProperty(n, 'embedding', row.vector)
  SET n.vector_hash = row.vector_hash
}"""

# a chunk's HAS_CHUNK from any other document goes: the chunk belongs to the document its row names
UPSERT_CHUNKS = f"""
UNWIND $rows AS row
MERGE (c:Chunk {{chunk_id: row.chunk_id}})
{_set_node("c", "Chunk")}
WITH c AS n, row
{SET_CHANGED_VECTOR}
WITH n AS c, row
CALL (c, row) {{
  MATCH (other:Document)-[old:HAS_CHUNK]->(c) WHERE other.doc_id <> row.doc_id
  DELETE old
}}
WITH c, row
MATCH (d:Document {{doc_id: row.doc_id}})
MERGE (d)-[:HAS_CHUNK]->(c)
"""

# every chunk's one outgoing NEXT_CHUNK is replaced: to ``row.target``, or none for a document's last chunk
LINK_NEXT_CHUNKS = """
UNWIND $rows AS row
MATCH (a:Chunk {chunk_id: row.source})
CALL (a, row) {
  MATCH (a)-[old:NEXT_CHUNK]->(b) WHERE row.target IS NULL OR b.chunk_id <> row.target
  DELETE old
}
WITH a, row WHERE row.target IS NOT NULL
MATCH (b:Chunk {chunk_id: row.target})
MERGE (a)-[:NEXT_CHUNK]->(b)
"""


def upsert_entities(type_label: str | None) -> str:
    """Entities of one type: the :Entity label plus the validated type label (none for a core-label type)."""
    add_label = f"SET e:{validate_graph_name(type_label)}\n" if type_label is not None else ""
    return f"""
UNWIND $rows AS row
MERGE (e:Entity {{entity_id: row.entity_id}})
{add_label}{_set_node("e", "Entity")}, e.aliases_text = row.aliases_text
WITH e AS n, row
{SET_CHANGED_VECTOR}
RETURN count(n) AS n
"""


ENTITY_TYPE_LABELS = "CALL db.labels() YIELD label RETURN label"


def remove_stale_type_label(type_label: str) -> str:
    """Drop a type label from entities whose ``type`` is no longer ``$type`` (changed since an earlier load)."""
    label = validate_graph_name(type_label)
    return f"MATCH (e:Entity:{label}) WHERE e.type IS NULL OR e.type <> $type REMOVE e:{label} RETURN count(e) AS n"


# an entity typed like a core label once got it as a label (and was counted, pruned or replaced as one)
REMOVE_CORE_LABELS_FROM_ENTITIES = [
    f"MATCH (e:Entity:{label}) REMOVE e:{label} RETURN count(e) AS n" for label in CORE_LABELS if label != "Entity"
]

# an entity's MENTIONS are exactly its row's chunk_ids: links from other chunks go first
UNLINK_STALE_MENTIONS = """
UNWIND $rows AS row
MATCH (c:Chunk)-[old:MENTIONS]->(:Entity {entity_id: row.entity_id})
WHERE NOT c.chunk_id IN coalesce(row.chunk_ids, [])
DELETE old
"""
LINK_MENTIONS = """
UNWIND $rows AS row
MATCH (c:Chunk {chunk_id: row.chunk_id}), (e:Entity {entity_id: row.entity_id})
MERGE (c)-[:MENTIONS]->(e)
"""


def upsert_relations(rel_type: str) -> str:
    """Relations of one type between entities; the type is validated before it becomes query text."""
    type_ = validate_graph_name(rel_type)
    return f"""
UNWIND $rows AS row
MATCH (s:Entity {{entity_id: row.source_id}}), (t:Entity {{entity_id: row.target_id}})
MERGE (s)-[r:{type_} {{relation_id: row.relation_id}}]->(t)
{_set("r", RELATION_PROPERTIES, "relation_id")}
"""


ALL_IDS = {
    "documents": "MATCH (n:Document) RETURN n.doc_id AS id",
    "chunks": "MATCH (n:Chunk) RETURN n.chunk_id AS id",
    "entities": "MATCH (n:Entity) RETURN n.entity_id AS id",
    "decisions": "MATCH (n:Decision) RETURN n.decision_id AS id",
    "relations": "MATCH (s:Entity)-[r]->(t:Entity) WHERE r.relation_id IS NOT NULL "
    "RETURN r.relation_id AS id, s.entity_id AS source_id, t.entity_id AS target_id, type(r) AS type",
}
DELETE_BY_ID = {
    "documents": "UNWIND $rows AS row MATCH (n:Document {doc_id: row.id}) DETACH DELETE n",
    "chunks": "UNWIND $rows AS row MATCH (n:Chunk {chunk_id: row.id}) DETACH DELETE n",
    "entities": "UNWIND $rows AS row MATCH (n:Entity {entity_id: row.id}) DETACH DELETE n",
    "decisions": "UNWIND $rows AS row MATCH (n:Decision {decision_id: row.id}) DETACH DELETE n",
    "relations": "UNWIND $rows AS row MATCH (:Entity {entity_id: row.source_id})-[r {relation_id: row.id}]->"
    "(:Entity {entity_id: row.target_id}) WHERE type(r) = row.type DELETE r",
}

# run in one transaction with CREATE_COMMUNITIES and LINK_COMMUNITY_PARENTS: the old set stays until the new
# one commits
DELETE_COMMUNITIES = "MATCH (c:Community) WHERE NOT c:Entity DETACH DELETE c"
CREATE_COMMUNITIES = f"""
UNWIND $rows AS row
CREATE (c:Community {{community_id: row.community_id}})
{_set_node("c", "Community")}
WITH c, row
UNWIND row.entity_ids AS entity_id
MATCH (e:Entity {{entity_id: entity_id}})
MERGE (e)-[:IN_COMMUNITY]->(c)
"""
LINK_COMMUNITY_PARENTS = """
MATCH (child:Community) WHERE child.parent_id IS NOT NULL
MATCH (parent:Community {community_id: child.parent_id})
MERGE (child)-[:PARENT]->(parent)
"""

# the agent's decisions (see ``graph.decisions``): run in one transaction, so a failure leaves the old links.
# The run keys a decision cites stay on it (a hidden property), so a workflow write links tries written later.
_REMEMBERED = [link.column for link in DECISION_LINKS if link.remembered]
UPSERT_DECISIONS = f"""
UNWIND $rows AS row
MERGE (d:Decision {{decision_id: row.decision_id}})
{_set_node("d", "Decision")}, {", ".join(f"d.{column} = row.{column}" for column in _REMEMBERED)}
"""
_DECISION_TYPES = "|".join(validate_graph_name(t) for t in DECISION_REL_TYPES)
UNLINK_DECISIONS = f"""
UNWIND $rows AS row
MATCH (:Decision {{decision_id: row.decision_id}})-[old:{_DECISION_TYPES}]->()
DELETE old
"""


def _decision_link(rel_type: str, label: str):
    for link in DECISION_LINKS:
        if (link.rel_type, link.label) == (rel_type, label):
            return link
    raise ValueError(f"decisions have no {rel_type} links to {label} nodes")


def link_decisions(rel_type: str, label: str) -> str:
    """Link decisions (``row.decision_id``) to the targets (``row.target``) of one link kind that exist:
    ``CITES`` chunks or runs, ``ABOUT`` entities."""
    link = _decision_link(rel_type, label)
    target = f"{validate_graph_name(link.label)} {{{NODE_KEYS[link.label]}: row.target}}"
    return f"""
UNWIND $rows AS row
MATCH (d:Decision {{decision_id: row.decision_id}}), (t:{target})
MERGE (d)-[:{validate_graph_name(link.rel_type)}]->(t)
"""


def link_remembered(rel_type: str, label: str) -> str:
    """Link every decision to the targets of one remembered link kind (``CITES`` runs) that exist now: run after
    those targets are written."""
    link = _decision_link(rel_type, label)
    if not link.remembered:
        raise ValueError(f"{rel_type} links to {label} are made only when a decision is written")
    return f"""
MATCH (d:Decision) WHERE size(coalesce(d.{link.column}, [])) > 0
UNWIND d.{link.column} AS key
MATCH (t:{validate_graph_name(link.label)} {{{NODE_KEYS[link.label]}: key}})
MERGE (d)-[:{validate_graph_name(link.rel_type)}]->(t)
"""


_DECISION_LABELS = sorted({link.label for link in DECISION_LINKS})
DECISION_LINK_COUNTS = f"""
MATCH (d:Decision)-[r:{_DECISION_TYPES}]->(t) WHERE d.decision_id IN $ids
UNWIND [l IN labels(t) WHERE l IN {_DECISION_LABELS!r}] AS label
RETURN type(r) AS type, label, count(r) AS n
"""

# the canonical dump: nodes of the core labels, links between them, properties but vectors and index text
_CORE_NODE = " OR ".join(f"{{v}}:{label}" for label in CORE_LABELS)
_NODE_KEY = (
    "CASE "
    + " ".join(
        f"WHEN {{v}}:{label} THEN '{label}:' + {{v}}.{NODE_KEYS[label]}"
        for label in ("Entity", *(c for c in CORE_LABELS if c not in ("Document", "Entity")))
    )
    + " ELSE 'Document:' + {v}.doc_id END"
)


def _visible(var: str) -> str:
    return f"[k IN keys({var}) WHERE NOT k IN $hidden | [k, {var}[k]]]"


HIDDEN = list(HIDDEN_PROPERTIES)
DUMP_NODES = f"""
MATCH (n) WHERE {_CORE_NODE.format(v="n")}
RETURN {_NODE_KEY.format(v="n")} AS key, labels(n) AS labels, {_visible("n")} AS properties
"""
DUMP_RELATIONSHIPS = f"""
MATCH (a)-[r]->(b) WHERE ({_CORE_NODE.format(v="a")}) AND ({_CORE_NODE.format(v="b")})
RETURN type(r) AS type, {_NODE_KEY.format(v="a")} AS source, {_NODE_KEY.format(v="b")} AS target,
       {_visible("r")} AS properties
"""

VECTOR_SEARCH = """
CALL db.index.vector.queryNodes($index, $k, $vector) YIELD node, score
RETURN coalesce(node.chunk_id, node.entity_id) AS id, score
"""
FULLTEXT_SEARCH = """
CALL db.index.fulltext.queryNodes($index, $text, {limit: $k}) YIELD node, score
RETURN coalesce(node.chunk_id, node.entity_id) AS id, score
"""
NEIGHBOURS = """
MATCH (e:Entity)-[r]-(n:Entity) WHERE e.entity_id IN $ids AND r.relation_id IS NOT NULL
RETURN DISTINCT n.entity_id AS id
"""
RELATIONS_AMONG = """
MATCH (s:Entity)-[r]->(t:Entity)
WHERE s.entity_id IN $ids AND t.entity_id IN $ids AND r.relation_id IS NOT NULL
RETURN r.relation_id AS relation_id, s.entity_id AS source_id, t.entity_id AS target_id, type(r) AS type,
       r.weight AS weight, r.evidence_chunk_ids AS evidence_chunk_ids
ORDER BY weight DESC, relation_id
LIMIT $limit
"""
COMMUNITIES_OF = """
MATCH (:Entity {entity_id: $id})-[:IN_COMMUNITY]->(c:Community)
RETURN c.community_id AS community_id, c.level AS level, c.parent_id AS parent_id, c.size AS size,
       c.title AS title, c.summary AS summary, c.summary_source AS summary_source
ORDER BY c.level, c.community_id
"""
ENTITY_EDGES = """
MATCH (s:Entity)-[r]->(t:Entity) WHERE r.relation_id IS NOT NULL
RETURN s.entity_id AS source_id, t.entity_id AS target_id, r.weight AS weight
"""
STATS = """
CALL () {
  MATCH (n:Document) RETURN count(n) AS documents
} CALL () {
  MATCH (n:Chunk) RETURN count(n) AS chunks
} CALL () {
  MATCH (n:Entity) RETURN count(n) AS entities
} CALL () {
  MATCH (n:Community) RETURN count(n) AS communities
} CALL () {
  MATCH (:Entity)-[r]->(:Entity) WHERE r.relation_id IS NOT NULL RETURN count(r) AS relations
} CALL () {
  MATCH (:Chunk)-[r:MENTIONS]->(:Entity) RETURN count(r) AS mentions
} CALL () {
  MATCH (:Chunk)-[r:NEXT_CHUNK]->(:Chunk) RETURN count(r) AS next_chunk
} CALL () {
  MATCH (:Entity)-[r:IN_COMMUNITY]->(:Community) RETURN count(r) AS in_community
} CALL () {
  MATCH (:Document)-[r:HAS_CHUNK]->(:Chunk) RETURN count(r) AS has_chunk
} CALL () {
  MATCH (:Community)-[r:PARENT]->(:Community) RETURN count(r) AS parent
} CALL () {
  MATCH (n:Decision) RETURN count(n) AS decisions
} CALL () {
  MATCH (:Decision)-[r:CITES]->(:Chunk) RETURN count(r) AS cites
} CALL () {
  MATCH (:Decision)-[r:ABOUT]->(:Entity) RETURN count(r) AS about
} CALL () {
  MATCH (:Decision)-[r:CITES]->(:Run) RETURN count(r) AS cites_runs
}
RETURN documents, chunks, entities, relations, communities, mentions, next_chunk, in_community, has_chunk, parent,
       decisions, cites, about, cites_runs
"""
RELATION_TYPE_COUNTS = """
MATCH (:Entity)-[r]->(:Entity) WHERE r.relation_id IS NOT NULL RETURN type(r) AS key, count(r) AS n
"""
TYPE_LABEL_COUNTS = """
MATCH (e:Entity) UNWIND [l IN labels(e) WHERE l <> 'Entity'] AS key RETURN key, count(*) AS n
"""

# Leiden in the database (Neo4j Graph Data Science): an undirected, weighted projection of the entity relations
# (both directions of a pair summed, as the in-process clustering does), streamed with every aggregation level.
# Rows are projected in id order by one thread, so a seeded run does not depend on the order nodes were written.
GDS_LEIDEN_AVAILABLE = "SHOW PROCEDURES YIELD name WHERE name = 'gds.leiden.stream' RETURN count(*) > 0 AS available"
GDS_PROJECT_ENTITY_GRAPH = """
MATCH (s:Entity)-[r]->(t:Entity) WHERE r.relation_id IS NOT NULL AND s <> t
WITH CASE WHEN s.entity_id < t.entity_id THEN [s, t] ELSE [t, s] END AS pair,
     CASE WHEN r.weight > $min_weight THEN r.weight ELSE $min_weight END AS weight
WITH pair[0] AS a, pair[1] AS b, sum(weight) AS weight
ORDER BY a.entity_id, b.entity_id
WITH gds.graph.project($graph, a, b, {relationshipProperties: {weight: weight}},
                       {undirectedRelationshipTypes: ['*'], readConcurrency: 1}) AS g
RETURN g.nodeCount AS nodes, g.relationshipCount AS relationships
"""
GDS_LEIDEN_STREAM = """
CALL gds.leiden.stream($graph, {relationshipWeightProperty: 'weight', gamma: $resolution, randomSeed: $seed,
                                concurrency: 1, includeIntermediateCommunities: true})
YIELD nodeId, intermediateCommunityIds
RETURN gds.util.asNode(nodeId).entity_id AS entity_id, intermediateCommunityIds AS community_ids
"""
GDS_DROP_GRAPH = "CALL gds.graph.drop($graph, false) YIELD graphName RETURN graphName"
