"""Scratch folders inside the store (`<home>/tmp/`), for files that hold patient data while in flight:
an upload being received, the page images Tesseract reads. They never go to the system's temp folder,
and a folder left behind by a process that died (killed worker, crash, power cut) is removed by the
next process that cleans the store's scratch space (`clean_stale`, called when an ingest or the server starts).

Each folder is named `<prefix>-<pid>-<random>`: the pid says whether its owner is still alive.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

SCRATCH = "tmp"
STALE_SECONDS = 24 * 3600  # a folder this old is stale even if its pid is alive again (pid reuse)


def scratch_root(home: Path) -> Path:
    root = Path(home) / SCRATCH
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


@contextmanager
def scratch_dir(home: Path, prefix: str) -> Iterator[Path]:
    """A fresh folder under the store's scratch space, removed on exit (by `clean_stale` after a crash)."""
    path = Path(tempfile.mkdtemp(prefix=f"{prefix}-{os.getpid()}-", dir=scratch_root(home)))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def owner_pid(path: Path) -> int | None:
    parts = path.name.split("-")
    return int(parts[1]) if len(parts) >= 3 and parts[1].isdigit() else None


def clean_stale(home: Path, *, dead_pids: set[int] = frozenset()) -> int:
    """Remove scratch folders whose process is gone (or listed in `dead_pids`, e.g. a worker just killed),
    or that are older than a day. Returns how many were removed."""
    root = Path(home) / SCRATCH
    if not root.is_dir():
        return 0
    removed = 0
    now = time.time()
    for entry in root.iterdir():
        pid = owner_pid(entry)
        try:
            old = now - entry.lstat().st_mtime > STALE_SECONDS
        except OSError:
            continue
        if pid is None or pid in dead_pids or not _alive(pid) or old:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed += 1
    return removed
