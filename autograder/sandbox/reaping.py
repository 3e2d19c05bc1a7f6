"""Collecting the children that have exited, without waiting for the others."""

from __future__ import annotations

import os
from collections.abc import Iterator


def exited_children() -> Iterator[int]:
    """Reap each child that has exited and yield its PID; stop as soon as none is left to reap now."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        yield pid
