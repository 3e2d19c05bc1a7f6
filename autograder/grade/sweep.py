"""Every process a batch started is gone when the batch ends, however it ends.

While it grades, the parent is a child subreaper (Linux): a process whose
parent died (a keeper killed with its zygote, a child that somehow outlived
its keeper) is re-parented to it instead of to init, so it can still be
found. When the batch ends (finished, Ctrl-C, SIGTERM, SIGHUP), the parent
kills each worker and everything below it, then every orphan that reached it,
then whatever is left in the pids cgroups of zygotes that no longer run
(``cgroup.kill``), and removes the folder the workers made their workspaces
in. None of this depends on a worker being alive to clean up after itself;
the children's own death signals (which their seccomp filter keeps them from
clearing) end them even when the parent is killed with SIGKILL.
"""

from __future__ import annotations

import os
import tempfile
import time

import psutil

from ..sandbox import confine, tree

ROUNDS = 20  # orphans found and killed, again and again, until none is left
REAP_SECONDS = 1.0  # orphans collected while the batch runs at most this often (a scan reads every /proc entry)


class Sweep:
    """Started when a batch starts (:meth:`open`), run when it ends (:meth:`close`)."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="autograder-batch-")
        os.chmod(self.folder, 0o711)  # the sandbox user passes through to its own work folder
        self.own = psutil.Process()
        self.before = {p.pid for p in self._children()}  # not the batch's (a test's own grader, say)
        self._reaped = 0.0  # time.monotonic() of the last scan for orphans
        confine.become_subreaper()

    def _children(self) -> list[psutil.Process]:
        try:
            return self.own.children()
        except psutil.Error:
            return []

    def reap(self, workers=()) -> None:
        """Collect orphans that died while the batch runs (they are our children now, and zombies), once a
        :data:`REAP_SECONDS` at most: a zombie holds nothing but its process-table entry until then."""
        if time.monotonic() - self._reaped < REAP_SECONDS:
            return
        self._reaped = time.monotonic()
        keep = self.before | set(workers)
        for proc in self._children():
            if proc.pid not in keep:
                _reap(proc.pid, block=False)

    def close(self, workers) -> None:
        """Kill ``workers`` (psutil processes or pids) and everything the batch left, then remove its folder."""
        below = [d for w in workers for d in _descendants(w)]
        for proc in [_process(w) for w in workers] + below:
            _kill(proc)
        for _ in range(ROUNDS):
            orphans = [p for p in self._children() if p.pid not in self.before and p.pid not in workers]
            if not orphans:
                break
            for proc in orphans + [d for o in orphans for d in _descendants(o.pid)]:
                _kill(proc)
            for proc in orphans:
                _reap(proc.pid, block=True)
        confine.PidsCgroups.remove_stale()
        confine.become_subreaper(False)
        tree.remove(self.folder)


def _process(pid) -> psutil.Process | None:
    try:
        return pid if isinstance(pid, psutil.Process) else psutil.Process(pid)
    except psutil.Error:
        return None


def _descendants(pid) -> list[psutil.Process]:
    proc = _process(pid)
    try:
        return proc.children(recursive=True) if proc is not None else []
    except psutil.Error:
        return []


def _kill(proc) -> None:
    try:
        if proc is not None:
            proc.kill()
    except psutil.Error:
        pass


def _reap(pid: int, block: bool) -> None:
    try:
        os.waitpid(pid, 0 if block else os.WNOHANG)
    except ChildProcessError:
        pass
