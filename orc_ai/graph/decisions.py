"""The agent's decisions as graph rows, the same for every store: ``(:Decision)-[:CITES]->(:Chunk)``,
``(:Decision)-[:ABOUT]->(:Entity)`` and ``(:Decision)-[:CITES]->(:Run)``.

A decision links only to chunks and entities in the graph when it is written (as a Cypher ``MATCH ... MERGE``
does); a link is removed with its chunk or entity and is not restored when that id comes back, until the
decision is written again. Its cited run keys stay on the decision: it links to every cited try whose Run node
exists, whichever of the decisions and the workflow graph was written last. An upsert replaces a decision's
properties and links.
"""

from __future__ import annotations

import polars as pl

from orc_ai.errors import GraphStoreError
from orc_ai.graph.schema import DECISION_LINKS, NODE_PROPERTIES

DECISION_COLUMNS = (*NODE_PROPERTIES["Decision"], *(link.column for link in DECISION_LINKS))
# decisions written before the agent cited tries have no run column: they cite none
_OPTIONAL_COLUMNS = {link.column for link in DECISION_LINKS if link.remembered}
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%.6fZ"


def decision_rows(decisions: pl.DataFrame) -> pl.DataFrame:
    """``decisions`` reduced to the graph's columns: ``created_at`` as ISO-8601 UTC text, link lists without
    nulls or repeats, sorted. Missing columns or a decision id given twice raise ``GraphStoreError``."""
    absent = [c for c in _OPTIONAL_COLUMNS if c not in decisions.columns]
    decisions = decisions.with_columns(pl.lit(None, dtype=pl.List(pl.String)).alias(c) for c in absent)
    missing = [c for c in DECISION_COLUMNS if c not in decisions.columns]
    if missing:
        raise GraphStoreError(f"decision rows lack columns {missing}; expected {list(DECISION_COLUMNS)}")
    duplicated = decisions.filter(pl.col("decision_id").is_duplicated())["decision_id"].unique()
    if duplicated.len() or decisions["decision_id"].null_count():
        raise GraphStoreError(f"decisions with duplicate or null ids, e.g. {duplicated.head(3).to_list()}")
    rows = decisions.select(DECISION_COLUMNS)
    created = rows.schema["created_at"]
    if isinstance(created, pl.Datetime):
        utc = pl.col("created_at").dt.replace_time_zone("UTC") if created.time_zone is None else pl.col("created_at")
        rows = rows.with_columns(utc.dt.convert_time_zone("UTC").dt.strftime(_TIME_FORMAT).alias("created_at"))
    text = [c for c in NODE_PROPERTIES["Decision"] if c != "created_at"]
    return rows.with_columns(
        pl.col(text).cast(pl.String),
        pl.col("created_at").cast(pl.String),
        *(
            pl.col(column).cast(pl.List(pl.String)).list.drop_nulls().list.unique().list.sort().fill_null([])
            for column in dict.fromkeys(link.column for link in DECISION_LINKS)
        ),
    ).sort("decision_id")


def decision_links(decisions: pl.DataFrame, column: str) -> pl.DataFrame:
    """(``decision_id``, ``target``) pairs of one link column of ``decision_rows``."""
    return (
        decisions.select("decision_id", pl.col(column).alias("target"))
        .explode("target")
        .drop_nulls("target")
        .unique()
        .sort("decision_id", "target")
    )
