"""The host: PID 1 of a submission's namespaces, forking one confined child per exercise.

Forked by the keeper once per submission; it runs no student code. Per
request on the submission's socket (one byte carrying the child's socket,
then ``{"exercise", "standins"}``), it forks a child that is PID 1 of a PID
namespace of its own (killing it kills everything the student started
there) and:

1. sends its first frame at once: the kernel attaches its pid, as the grader
   sees it (see :class:`channels.SocketChannel`);
2. moves into its own pids cgroup slot;
3. :func:`child_mounts`: in a mount namespace of its own, mounts the tmpfs
   work folder holding the submission's files (another exercise's child never
   sees what this one writes), and becomes the sandbox user where root made
   the namespaces;
4. gives up its capabilities, enters Landlock and seccomp, and serves its
   exercise (:func:`child.run`).

When the grader closes the socket the host exits, and with PID 1 everything
in the submission's namespaces ends. Imports only the standard library and
the sandbox's own modules (it runs in the zygote's process).
"""

import os
import socket

from ..protocol import wire
from . import child, confine, mounts, namespaces, privileges
from .reaping import exited_children


def serve(channel_fd, request, plan, confinement, sources, slots, keeper=None) -> None:
    """``confinement``: the zygote's (Landlock ruleset, seccomp filter); ``slots``: the submission's
    :class:`cgroups.Slots` (None without cgroups); ``keeper``: the pid of the process that forked it."""
    confine.die_with_parent(keeper)
    privileges.drop_bounding()  # it never runs a program: its children have none to drop
    channel = socket.socket(fileno=channel_fd)
    own = namespaces.own_pid_namespace() if plan.get("namespaces") else None
    children: dict[int, int | None] = {}  # pid -> cgroup slot
    while True:
        try:
            _, fds, _, _ = socket.recv_fds(channel, 1, 1)
        except InterruptedError:
            continue
        if not fds:
            return  # the grader closed the socket: the submission is done
        message = wire.recv(channel)
        _reap(children)
        slot = next((i for i in range(slots.count) if i not in children.values()), None) if slots else None
        # popped: the child forked next inherits this frame, and drops the stand-ins' source before student code
        exercise = request.for_exercise(str(message["exercise"]), dict(message.pop("standins")))
        children[_fork_child(fds[0], exercise, plan, confinement, sources, (slots, slot), own)] = slot
        os.close(fds[0])


def _reap(children: dict) -> None:
    """Forget the children that are gone (their cgroup slots are free again)."""
    for pid in exited_children():
        children.pop(pid, None)


def _fork_child(fd, request, plan, confinement, sources, slot, own) -> int:
    if own is not None:
        namespaces.new_pid_namespace(own)
    host = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            channel = socket.socket(fileno=fd)
            wire.send(channel, {"child": True})  # first: the kernel tells the grader who sent it
            confine.die_with_parent(host)
            if slot[0] is not None:
                slot[0].enter(slot[1])
            child_mounts(plan, request.work, request.disk_bytes, request.disk_entries, sources)
            child.run(channel, request, *confinement)
        finally:
            os._exit(0)
    return pid


def child_mounts(plan: dict, work: str, disk_bytes: int, disk_entries: int, sources: dict) -> None:
    """The child's own mount namespace and tmpfs work folder (where the plan has them), then its user
    (where root made the namespaces)."""
    root = plan.get("namespaces") == "root"
    if plan.get("tmpfs"):
        namespaces.enter_mount_namespace()
        mounts.work_tmpfs(work, disk_bytes, disk_entries, sources, owner=plan.get("user") if root else None)
    if root and plan.get("user"):
        privileges.become(*plan["user"])
        confine.die_with_parent()  # a change of user clears it
