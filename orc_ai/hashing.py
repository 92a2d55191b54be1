"""Stable content hashes used as ids and cache keys."""

from __future__ import annotations

import hashlib


def stable_hash(*parts: str, length: int = 16) -> str:
    """Hex sha256 of the parts joined by a unit separator, cut to ``length`` characters."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]
