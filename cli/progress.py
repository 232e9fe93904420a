"""Progress of long work for a log file: one line per tenth done, with the time spent and the time left.

A terminal gets rich's live bar instead; a redirected output (`make run > log`, a service manager) used
to stay silent for the whole ingest.
"""

from __future__ import annotations

import time
from typing import Callable


class TenthsReporter:
    def __init__(self, total: int, write: Callable[[str], None], what: str = "files"):
        self.total = total
        self.write = write
        self.what = what
        self.done = 0
        self.started = time.monotonic()
        self._next_tenth = 1

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.total <= 0:
            return
        reached = False
        while self._next_tenth <= 10 and self.done * 10 >= self._next_tenth * self.total:
            self._next_tenth += 1
            reached = True
        if reached:  # one line, even when one step crosses several tenths
            self.write(self.line())

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        left = elapsed / self.done * (self.total - self.done) if self.done else 0.0
        share = 100 * self.done // self.total
        return (f"{share:3d} % ({self.done}/{self.total} {self.what}) in {_duration(elapsed)}"
                + (f", about {_duration(left)} left" if self.done < self.total else ""))


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"
