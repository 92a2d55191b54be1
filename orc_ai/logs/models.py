"""The result of clustering log lines: a cluster id per line and a template per cluster."""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, Field

WILDCARD = "<*>"


def template_id(template: str) -> str:
    """A cluster id derived from its template alone, so it is the same on every run that finds that template."""
    return hashlib.sha256(template.encode("utf-8")).hexdigest()[:12]


class LogClusters(BaseModel):
    """Clusters of a batch of lines: ``clusters[i]`` is the id of line ``i``'s cluster (``None`` for a blank line,
    which belongs to no cluster); ``templates`` maps each id to its template (variables as ``<*>``)."""

    clusters: list[str | None] = Field(description="Cluster id per input line, in order; None for blank lines.")
    templates: dict[str, str] = Field(description="Template per cluster id; variable parts are <*>.")

    def counts(self) -> dict[str, int]:
        """Lines per cluster id."""
        out: dict[str, int] = {}
        for cid in self.clusters:
            if cid is not None:
                out[cid] = out.get(cid, 0) + 1
        return out
