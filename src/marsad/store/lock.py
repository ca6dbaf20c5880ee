"""One writer per store: an advisory lock on a file beside it (``marsad.db.lock``).

The operating system frees the lock when its process ends, however it ends (crash, kill -9),
so a stale lock cannot block the next run; the file itself stays and only says who held it
last. Readers (``serve``, ``report``, ``export``) take no lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

POLL_SECONDS = 0.2


class StoreBusy(Exception):
    """Another process is writing to the store."""


@dataclass
class WriterLock:
    path: Path
    handle: IO[str]

    @classmethod
    def acquire(cls, store_path: Path, command: str, wait: float = 0.0) -> WriterLock:
        """Take the lock of ``store_path``, waiting up to ``wait`` seconds for it."""
        path = store_path.with_name(store_path.name + ".lock")
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _holder(handle)
                    handle.close()
                    raise StoreBusy(
                        f"{store_path} is being written by another Marsad process ({holder}); "
                        "wait for it to finish (or stop it), or give --wait SECONDS"
                    ) from None
                time.sleep(POLL_SECONDS)
        handle.seek(0)
        handle.truncate()
        handle.write(
            json.dumps(
                {
                    "pid": os.getpid(),
                    "command": command[:200],
                    "since": datetime.now(UTC).isoformat(timespec="seconds"),
                },
                ensure_ascii=False,
            )
        )
        handle.flush()
        return cls(path, handle)

    def release(self) -> None:
        fcntl.flock(self.handle.fileno(), fcntl.LOCK_UN)
        self.handle.close()


def _holder(handle: IO[str]) -> str:
    try:
        handle.seek(0)
        info = json.loads(handle.read() or "{}")
        return f"pid {info['pid']}, `{info['command']}`, since {info['since']}"
    except (ValueError, KeyError, TypeError, OSError):
        return "unknown process"
