"""The keeper: one child's confinement, set up before the child exists, then the child, waited for.

Forked by the zygote per request. In this order (each step needs the
privilege the next one gives up):

1. its own pids cgroup (root only may write the cgroup files);
2. :func:`prepare`: the planned namespaces and mounts, becoming the
   sandbox user on the way (see :mod:`namespaces`, :mod:`mounts`);
3. the Landlock ruleset, built now so that it names the work folder this
   child sees (the tmpfs, where there is one);
4. the child: PID 1 of the new PID namespace. It gives up its capabilities,
   enters Landlock, then loads seccomp (:func:`child.run`): nothing it does
   afterwards can mount, unshare or change user.

The keeper sends the child's pid, as the grader sees it, as the first frame on
the child's channel, and exits when the child does. Imports only the standard
library and the sandbox's own modules (it runs in the zygote's process).
"""

import os
import signal
import socket

import child
import confine
import mounts
import namespaces
import privileges
import wire


def keep(channel_fd, request, plan, rulesets, syscalls, cgroups) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    if cgroups is not None:  # before giving up root
        cgroups.enter()
    confine.die_with_parent()
    prepare(plan, request["work"], request["disk_bytes"], request["disk_entries"])
    confine.die_with_parent()  # a change of user clears it
    ruleset = rulesets.build(request["work"], request["shared"])
    _run_child(channel_fd, request, ruleset, syscalls)


def prepare(plan: dict, work: str, disk_bytes: int, disk_entries: int) -> None:
    """Enter ``plan``'s namespaces and mounts, as ``plan``'s user (see :mod:`detect`)."""
    mode, user = plan.get("namespaces"), plan.get("user")
    if mode == "root" or plan.get("expose"):  # root's own mount namespace, before becoming the user
        namespaces.enter_as_root() if mode == "root" else namespaces.enter_mount_namespace()
        mounts.make_private()
        mounts.expose(plan.get("expose") or {})
        if mode == "root" and plan.get("tmpfs"):
            mounts.work_tmpfs(work, disk_bytes, disk_entries, owner=user)
    if user:
        privileges.become(*user)
    if mode == "user":
        namespaces.enter_as_user()
        mounts.make_private()
        if plan.get("tmpfs"):
            mounts.work_tmpfs(work, disk_bytes, disk_entries)


def _run_child(channel_fd, request, ruleset, syscalls) -> None:
    """Fork the child, tell the grader its pid, then let it run; wait for it."""
    go_read, go_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(go_write)
        said = os.read(go_read, 1)  # speak only after the keeper has said who we are
        os.close(go_read)
        if said != b"g":  # the keeper died first: nobody knows this child, so it must not run
            os._exit(0)
        try:
            child.run(socket.socket(fileno=channel_fd), request, ruleset, syscalls)
        finally:
            os._exit(0)
    if ruleset is not None:
        ruleset.close()
    channel = socket.socket(fileno=channel_fd)
    wire.send(channel, {"pid": pid})
    os.write(go_write, b"g")
    os.close(go_write)
    os.close(go_read)
    channel.detach()
    os.close(channel_fd)
    os.waitpid(pid, 0)  # the namespace ends with its PID 1
