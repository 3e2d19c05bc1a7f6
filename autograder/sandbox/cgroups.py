"""Pids cgroups: each child's threads capped, so a thread bomb cannot take the machine's process table.

Where the grader may create cgroups (root, or a delegated cgroup), the zygote
makes a folder of its own (:meth:`PidsCgroups.create`). Each submission's
keeper, before it gives up root, makes the submission's group in it
(:meth:`PidsCgroups.submission`): ``host`` for the keeper and the host, and
one slot per child, each allowing :data:`MAX_TASKS` tasks and handed to the
sandbox user; a child moves itself into its slot before anything else runs
(:meth:`Slots.enter`). A thread bomb in one exercise fills its own slot only.
Works with cgroup v1's pids controller and with cgroup v2. Imports only the
standard library.
"""

from __future__ import annotations

import os
import signal
import time

MAX_TASKS = 64  # threads of one child (new processes are refused by seccomp)
HOST_TASKS = 8  # the keeper and the host of one submission
CGROUP_ROOTS = ("/sys/fs/cgroup/pids", "/sys/fs/cgroup")  # cgroup v1's pids controller, or cgroup v2
KILL_ROUNDS = 50  # cgroup v1: list and kill until the groups are empty


def _write(path: str, text: str) -> None:
    with open(path, "w") as fh:
        fh.write(text)


def _move_self(group: str) -> None:
    """Move this process into ``group``.

    A whole-process move (``cgroup.procs``) takes a global lock whose first writer after a quiet spell waits
    for an RCU grace period (~10 ms, once per submission). cgroup v1's ``tasks`` file moves the calling
    thread alone, without that lock; for a process of one thread, as the keeper and a child are when they
    move, that is the whole process. A process with more threads, or cgroup v2, uses ``cgroup.procs``.
    """
    tasks = os.path.join(group, "tasks")
    _write(tasks if os.path.isfile(tasks) and _single_threaded() else os.path.join(group, "cgroup.procs"), "0")


def _single_threaded() -> bool:
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def _delegate_pids(group: str) -> None:
    """cgroup v2: let the groups below ``group`` have a pids.max (v1 has no such switch)."""
    control = os.path.join(group, "cgroup.subtree_control")
    if os.path.isfile(control):
        _write(control, "+pids")


class Slots:
    """A submission's cgroup: the children's slots, entered by the children themselves."""

    def __init__(self, group: str, count: int):
        self.group, self.count = group, count

    def enter(self, index: int | None) -> None:
        """Move this process into slot ``index`` (None: stay in the host's group)."""
        if index is not None and 0 <= index < self.count:
            _move_self(os.path.join(self.group, str(index)))


class PidsCgroups:
    """The zygote's folder of pids cgroups (None where cgroups are not writable)."""

    def __init__(self, base: str):
        self.base = base

    @classmethod
    def create(cls):
        cls.remove_stale()
        for root in CGROUP_ROOTS:
            if os.path.isfile(os.path.join(root, "pids.max")) or os.path.isfile(os.path.join(root, "tasks")) \
                    and os.path.basename(root) == "pids":
                base = os.path.join(root, f"autograder-{os.getpid()}")
                try:
                    os.mkdir(base)
                    if os.path.isfile(os.path.join(base, "pids.max")):
                        _delegate_pids(base)
                        return cls(base)
                    os.rmdir(base)
                except OSError:
                    continue
        return None

    def submission(self, children: int, owner: tuple[int, int] | None = None) -> Slots:
        """Make this process's submission group with ``children`` slots, handed to ``owner`` (uid, gid),
        and move this process into its ``host`` group."""
        group = os.path.join(self.base, str(os.getpid()))
        os.mkdir(group)
        _delegate_pids(group)
        for name, limit in [("host", HOST_TASKS)] + [(str(i), MAX_TASKS) for i in range(children)]:
            os.mkdir(os.path.join(group, name))
            _write(os.path.join(group, name, "pids.max"), str(limit))
            if owner:
                for control in ("cgroup.procs", "tasks"):  # tasks: cgroup v1 only
                    if os.path.isfile(os.path.join(group, name, control)):
                        os.chown(os.path.join(group, name, control), *owner)
        if owner:
            os.chown(os.path.join(group, "cgroup.procs"), *owner)  # cgroup v2: the slots' common ancestor
        _move_self(os.path.join(group, "host"))
        return Slots(group, children)

    def release(self, pid: int) -> None:
        """Remove the (empty) group of keeper ``pid`` and its slots."""
        group = os.path.join(self.base, str(pid))
        try:
            for name in os.listdir(group):
                if os.path.isdir(os.path.join(group, name)):
                    os.rmdir(os.path.join(group, name))
            os.rmdir(group)
        except OSError:
            pass

    def kill(self) -> None:
        """SIGKILL every process in this zygote's cgroups: nothing a child does can keep it out of them.

        At once through ``cgroup.kill`` (cgroup v2, Linux >= 5.14); elsewhere (cgroup v1) each process the
        groups list, again until none is left (children cannot fork, so this ends).
        """
        try:
            _write(os.path.join(self.base, "cgroup.kill"), "1")
            return
        except OSError:
            pass
        for _ in range(KILL_ROUNDS):
            members = self.members()
            if not members:
                return
            for pid in members:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.01)

    def members(self) -> set[int]:
        """The processes in this zygote's cgroups (a tree this module made: a few levels, no student folders)."""
        found: set[int] = set()
        for folder, _, _ in os.walk(self.base):
            try:
                with open(os.path.join(folder, "cgroup.procs")) as fh:
                    found.update(int(line) for line in fh if line.strip())
            except (OSError, ValueError):
                continue
        return found

    def close(self) -> None:
        for name in os.listdir(self.base) if os.path.isdir(self.base) else []:
            if name.isdigit():
                self.release(int(name))
        try:
            os.rmdir(self.base)
        except OSError:
            pass

    @classmethod
    def remove_stale(cls, pid: int | None = None) -> None:
        """Kill what is left in the cgroups of zygote ``pid``, or of every zygote that no longer runs, and
        remove them (once empty)."""
        for root in CGROUP_ROOTS:
            try:
                names = [n for n in os.listdir(root) if n.startswith("autograder-")]
            except OSError:
                continue
            for name in names:
                owner = name.removeprefix("autograder-")
                if owner.isdigit() and (int(owner) == pid or (pid is None and not os.path.exists(f"/proc/{owner}"))):
                    groups = cls(os.path.join(root, name))
                    groups.kill()  # its zygote is gone: so must everything it started be
                    groups.close()
