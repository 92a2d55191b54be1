"""A cheap fingerprint of a folder (paths, sizes, mtimes) to notice added, changed or removed files."""

from __future__ import annotations

from pathlib import Path

from orc_ai.hashing import stable_hash


def folder_fingerprint(root: Path) -> str:
    """Hash of every non-hidden file's relative path, size and mtime; '' when the folder is missing."""
    root = Path(root)
    if not root.is_dir():
        return ""
    parts = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if any(part.startswith(".") for part in Path(rel).parts):
            continue
        stat = path.stat()
        parts.append(f"{rel}:{stat.st_size}:{stat.st_mtime_ns}")
    return stable_hash(*parts, length=32)
