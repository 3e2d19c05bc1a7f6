"""The keeper: one submission's confinement, set up before any of its children exists.

Forked by the zygote once per submission. In this order (each step needs the
privilege the next one gives up):

1. the submission's pids cgroup, a slot per child (root only may write the
   cgroup files; see :mod:`cgroups`);
2. :func:`prepare`: the planned namespaces and mounts, becoming the sandbox
   user on the way (see :mod:`namespaces`, :mod:`mounts`): one user,
   network, IPC and mount namespace for the whole submission;
3. the host (:mod:`host`): PID 1 of the submission's PID namespace, which
   forks one child per exercise, each confined by the Landlock ruleset and
   the seccomp filter the zygote built once.

The keeper exits when the host does. Imports only the standard library and
the sandbox's own modules (it runs in the zygote's process).
"""

import os
import signal

from . import confine, host, mounts, namespaces, privileges


def keep(channel_fd, request, plan, ruleset, syscalls, cgroups, zygote=None) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    slots = cgroups.submission(request.children, plan.get("user")) if cgroups is not None else None
    confine.die_with_parent(zygote)
    sources = mounts.read_exercises(request.work) if plan.get("tmpfs") else {}
    prepare(plan, os.path.dirname(request.work))
    confine.die_with_parent(zygote)  # a change of user clears it
    keeper = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            host.serve(channel_fd, request, plan, (ruleset, syscalls), sources, slots, keeper)
        finally:
            os._exit(0)
    os.close(channel_fd)
    os.waitpid(pid, 0)  # the namespace ends with its PID 1


def prepare(plan: dict, box: str) -> None:
    """Enter ``plan``'s namespaces and mounts, as ``plan``'s user (see :mod:`detect`); ``box`` holds the
    work folder each child mounts its tmpfs over, and becomes read-only here.

    Where root makes the namespaces, the host stays root: each child mounts its tmpfs, then becomes the
    user (:func:`host.child_mounts`).
    """
    mode, user = plan.get("namespaces"), plan.get("user")
    if mode == "root" or plan.get("expose"):  # root's own mount namespace, before becoming the user
        namespaces.enter_as_root() if mode == "root" else namespaces.enter_mount_namespace()
        mounts.make_private()
        mounts.expose(plan.get("expose") or {})
    if user and mode != "root":
        privileges.become(*user)
    if mode == "user":
        namespaces.enter_as_user()
        mounts.make_private()
    if mode and plan.get("tmpfs"):
        mounts.read_only(box)
