"""A content-addressed key/value cache on SQLite, so re-runs only process what changed."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path


class ContentCache:
    """Bytes by key in one SQLite file; one instance per namespace (e.g. ``embeddings``).

    One connection, shared by the threads that use the instance under a lock (so writes are serialised).
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        self._conn.commit()

    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        """Values for the keys that are present."""
        keys = list(dict.fromkeys(keys))
        found: dict[str, bytes] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                batch = keys[start : start + 500]
                marks = ",".join("?" * len(batch))
                rows = self._conn.execute(f"SELECT key, value FROM entries WHERE key IN ({marks})", batch)
                found.update(rows.fetchall())
        return found

    def get(self, key: str) -> bytes | None:
        """The value for ``key``, or ``None``."""
        return self.get_many([key]).get(key)

    def put_many(self, items: Mapping[str, bytes]) -> None:
        """Insert or replace values in one transaction."""
        with self._lock, self._conn:
            self._conn.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", list(items.items()))

    def put(self, key: str, value: bytes) -> None:
        """Insert or replace one value, committed at once (a paid-for answer survives a crash right after)."""
        self.put_many({key: value})

    def __len__(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0]

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> ContentCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
