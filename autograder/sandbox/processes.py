"""Killing what student code started: a process, its group and everything below it.

Used where no PID namespace ends them all at once (see :class:`children.Child`)
and by the fork backend to clear what is left below its zygote.
"""

from __future__ import annotations

import os
import signal

import psutil


def stop_and_kill(proc: psutil.Process) -> None:
    """SIGSTOP first (a stopped process cannot fork while its siblings are killed), then SIGKILL."""
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        try:
            proc.send_signal(sig)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            return


def kill_tree(pid: int) -> None:
    """Kill ``pid``, its process group and its descendants."""
    try:
        procs = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        procs = []
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for proc in procs:
        stop_and_kill(proc)
