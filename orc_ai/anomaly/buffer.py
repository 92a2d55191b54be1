"""A fixed-capacity numeric history: append one value at a time, read the newest ``k`` as a contiguous array."""

from __future__ import annotations

import numpy as np


class RingHistory:
    """The newest ``capacity`` values appended, oldest first, readable without copying."""

    def __init__(self, capacity: int):
        if capacity < 1:
            raise ValueError(f"capacity must be >= 1, got {capacity}")
        self.capacity = capacity
        self._data = np.empty(2 * capacity, dtype=np.float64)
        self._end = 0  # one past the newest value in _data
        self.count = 0  # values appended so far (may exceed capacity)

    def append(self, value: float) -> None:
        """Add the newest value (the oldest beyond ``capacity`` is forgotten)."""
        if self._end == self._data.size:  # slide the newest capacity-1 values to the front
            keep = self.capacity - 1
            self._data[:keep] = self._data[self._end - keep : self._end]
            self._end = keep
        self._data[self._end] = value
        self._end += 1
        self.count += 1

    def __len__(self) -> int:
        return min(self.count, self.capacity)

    def last(self, k: int) -> np.ndarray:
        """The newest ``min(k, len(self))`` values, oldest first (a view: do not keep it across appends)."""
        k = min(k, len(self))
        return self._data[self._end - k : self._end]

    def ago(self, lag: int) -> float | None:
        """The value appended ``lag`` appends ago (1 = the newest), or None if not held."""
        if lag < 1 or lag > len(self):
            return None
        return float(self._data[self._end - lag])
