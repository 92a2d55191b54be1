"""Progress of long stages: counts and rates logged at intervals through a callback (Dagster's ``context.log.info``
from an asset, ``print`` or a bar on the command line), so the domain code reporting it stays free of Dagster.

A domain function takes ``progress: Progress | None`` and calls :meth:`Progress.start` once it knows how many
items it will process, :meth:`Progress.advance` as they complete and :meth:`Progress.finish` at the end."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TextIO

from orc_ai import defaults


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class Progress:
    """Logs ``"<stage>: <done>/<total> <unit> (<pct>), <rate>/s, ETA <t>"`` at most every ``every_s`` seconds.

    ``clock`` is injectable for tests; ``advance`` may be called from several threads."""

    def __init__(
        self,
        stage: str,
        *,
        log: Callable[[str], None],
        every_s: float = defaults.PROGRESS_EVERY_S,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.stage, self.log, self.every_s, self.clock = stage, log, every_s, clock
        self.total, self.done, self.unit = 0, 0, "items"
        self._started = self._last = 0.0
        self._lock = threading.Lock()

    def start(self, total: int, unit: str = "items") -> None:
        """Begin counting ``total`` items (logged once)."""
        with self._lock:
            self.total, self.done, self.unit = total, 0, unit
            self._started = self._last = self.clock()
        self.log(f"{self.stage}: {total} {unit} to process")

    def advance(self, n: int = 1) -> None:
        """``n`` more items done; logs when ``every_s`` has passed since the last line."""
        with self._lock:
            self.done += n
            now = self.clock()
            if now - self._last < self.every_s:
                return
            self._last = now
            line = self._line(now)
        self.log(line)

    def finish(self) -> None:
        """The closing line: how many items, how long, the mean rate."""
        with self._lock:
            now = self.clock()
            elapsed = now - self._started
            rate = self.done / elapsed if elapsed > 0 else 0.0
            line = f"{self.stage}: done, {self.done} {self.unit} in {_duration(elapsed)} ({rate:.1f}/s)"
        self.log(line)

    def _line(self, now: float) -> str:
        elapsed = now - self._started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        share = f" ({self.done / self.total:.0%})" if self.total else ""
        eta = f", ETA {_duration((self.total - self.done) / rate)}" if rate > 0 and self.total > self.done else ""
        return f"{self.stage}: {self.done}/{self.total} {self.unit}{share}, {rate:.1f}/s{eta}"


class BarProgress(Progress):
    """A :class:`Progress` drawn as a tqdm bar on stderr (for the command line; none when stderr is not a
    terminal, so pipes and logs stay clean); logs nothing."""

    def __init__(self, stage: str, file: TextIO | None = None):
        super().__init__(stage, log=lambda _line: None)
        self._file, self._bar = file, None

    def start(self, total: int, unit: str = "items") -> None:
        from tqdm import tqdm

        self.total, self.done, self.unit = total, 0, unit
        self._bar = tqdm(
            total=total, unit=f" {unit}", desc=self.stage, file=self._file,
            disable=None if self._file is None else False,  # None: no bar unless stderr is a terminal
        )

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def or_silent(progress: Progress | None) -> Progress:
    """``progress``, or one that reports nothing (the default of every domain function taking one)."""
    return progress if progress is not None else Progress("", log=lambda _line: None, every_s=float("inf"))
