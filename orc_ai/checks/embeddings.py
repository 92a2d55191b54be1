"""Gates on embeddings."""

import dagster as dg
import numpy as np
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.embed.tables import embedding_drift, embedding_inputs
from orc_ai.resources.embedder import EmbedderResource


class NormConfig(dg.Config):
    tolerance: float = Field(default=defaults.NORM_TOLERANCE, description="Allowed |norm - 1|.")


class DriftConfig(dg.Config):
    sample_size: int = Field(default=defaults.DRIFT_SAMPLE_SIZE, description="Rows re-embedded and compared.")
    tolerance: float = Field(default=defaults.DRIFT_TOLERANCE, description="A row drifts below cosine 1 - this.")


_INPUTS = {"raw_docs": dg.AssetIn(), "chunks": dg.AssetIn(), "entities": dg.AssetIn()}


@dg.asset_check(asset="embeddings", blocking=True, additional_ins={"chunks": dg.AssetIn(), "entities": dg.AssetIn()})
def embeddings_valid_vectors(
    config: NormConfig, embeddings: pl.DataFrame, chunks: pl.DataFrame, entities: pl.DataFrame
) -> dg.AssetCheckResult:
    """One finite unit vector of the model's dimension for every chunk and entity."""
    vectors = embeddings["vector"].to_numpy() if embeddings.height else np.zeros((0, 0))
    finite = bool(np.isfinite(vectors).all())
    norms = np.linalg.norm(vectors, axis=1) if vectors.size else np.zeros(0)
    off_norm = int((np.abs(norms - 1) > config.tolerance).sum())
    expected = set(chunks["chunk_id"].to_list()) | set(entities["entity_id"].to_list())
    missing = len(expected - set(embeddings["id"].to_list()))
    return dg.AssetCheckResult(
        passed=finite and off_norm == 0 and missing == 0 and embeddings.height == len(expected),
        metadata={
            "dimension": int(vectors.shape[1]) if vectors.ndim == 2 else 0,
            "finite": finite,
            "off_norm": off_norm,
            "missing": missing,
            "vectors": embeddings.height,
        },
    )


@dg.asset_check(asset="embeddings", blocking=True, additional_ins=_INPUTS)
def embeddings_no_drift(
    config: DriftConfig,
    embedder: EmbedderResource,
    embeddings: pl.DataFrame,
    raw_docs: pl.DataFrame,
    chunks: pl.DataFrame,
    entities: pl.DataFrame,
) -> dg.AssetCheckResult:
    """Vectors of unchanged ids (from the cache, i.e. earlier materialisations) still match what the model
    embeds now, and every row is of the configured model: old and new vector spaces never share one index."""
    model = embedder.get_embedder()
    inputs = embedding_inputs(raw_docs, chunks, entities)
    report = embedding_drift(model, embeddings, inputs, config.sample_size, config.tolerance)
    return dg.AssetCheckResult(
        passed=report.drifted == 0 and report.other_model_rows == 0,
        metadata={
            "model": model.model_id,
            "sampled": report.sampled,
            "drifted": report.drifted,
            "min_cosine": report.min_cosine,
            "rows_of_another_model": report.other_model_rows,
        },
    )
