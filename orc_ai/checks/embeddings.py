"""Gates on embeddings."""

import dagster as dg
import numpy as np
import polars as pl
from pydantic import Field

from orc_ai import defaults


class NormConfig(dg.Config):
    tolerance: float = Field(default=defaults.NORM_TOLERANCE, description="Allowed |norm - 1|.")


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
