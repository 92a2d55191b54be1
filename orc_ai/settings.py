"""Paths and defaults shared by every package; reads environment variables, never Dagster."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CORPUS_DIR = Path(__file__).resolve().parent / "sample_corpus"


def orc_home() -> Path:
    """Folder for all state and outputs: ``$ORC_AI_HOME``, default ``<repo>/.orc_ai_home``."""
    return Path(os.environ.get("ORC_AI_HOME") or REPO_ROOT / ".orc_ai_home").resolve()


def docs_dir() -> Path:
    """Input folder: ``$ORC_AI_DOCS_DIR``, default the bundled sample corpus."""
    return Path(os.environ.get("ORC_AI_DOCS_DIR") or BUNDLED_CORPUS_DIR).resolve()


def asset_dir(home: Path | None = None) -> Path:
    """Where the IO manager writes each asset's parquet/json output."""
    return (home or orc_home()) / "assets"


def cache_dir(home: Path | None = None) -> Path:
    """Content-hash caches (chunk spans, extractions, embeddings)."""
    return (home or orc_home()) / "cache"


def graph_dir(home: Path | None = None) -> Path:
    """Files of the embedded graph store."""
    return (home or orc_home()) / "graph"


def inbox_dir(home: Path | None = None) -> Path:
    """User questions for the agent: one file each (``orc-ai events add`` writes them)."""
    return (home or orc_home()) / "inbox"

def reports_dir(home: Path | None = None) -> Path:
    """Rendered reports: one folder per report content and ``latest/``."""
    return (home or orc_home()) / "reports"
