"""Namespaces a keeper enters before forking its child (Linux).

Two ways in, the same namespaces either way (mount, PID, network, IPC):

- :func:`enter_as_user`, for any user where unprivileged user namespaces are
  allowed: a user namespace of its own maps only its own uid and gid, so
  the capabilities it holds in there reach nothing outside;
- :func:`enter_as_root`, for a grader running as root where user
  namespaces are refused (Ubuntu's AppArmor restriction, a seccomp
  profile): root needs no user namespace to make the others, and the keeper
  becomes the unprivileged sandbox user right after its mounts.

The next process the keeper forks, the submission's host, is PID 1 of the new
PID namespace: every process started inside dies with it. The host then gives
each child a PID namespace of its own (:func:`new_pid_namespace`): a child is
PID 1 of it, and killing the child kills everything the student started in it.
Imports only the standard library.
"""

import ctypes
import os

from .libc import libc

CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = (
    0x00020000, 0x08000000, 0x10000000, 0x20000000, 0x40000000)
OTHERS = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC




def _check(result: int) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, os.strerror(error))


def unshare(flags: int) -> None:
    _check(libc().unshare(flags))


def enter_as_user() -> None:
    """A user namespace mapping only our own uid and gid, with mount, PID, network and IPC ones."""
    uid, gid = os.geteuid(), os.getegid()
    unshare(CLONE_NEWUSER | OTHERS)
    with open("/proc/self/setgroups", "w") as fh:
        fh.write("deny")
    with open("/proc/self/uid_map", "w") as fh:
        fh.write(f"{uid} {uid} 1")
    with open("/proc/self/gid_map", "w") as fh:
        fh.write(f"{gid} {gid} 1")


def enter_as_root() -> None:
    """Mount, PID, network and IPC namespaces without a user namespace (root only)."""
    unshare(OTHERS)


def enter_mount_namespace() -> None:
    """A mount namespace only (root, before becoming the sandbox user inside a user namespace)."""
    unshare(CLONE_NEWNS)


def own_pid_namespace() -> int:
    """A descriptor of this process's own PID namespace (for :func:`new_pid_namespace`)."""
    return os.open("/proc/self/ns/pid", os.O_RDONLY | os.O_CLOEXEC)


def new_pid_namespace(own: int) -> None:
    """Make the next process this one forks PID 1 of a new PID namespace, a child of this one's.

    A process may unshare a PID namespace only while its children still go to its own: ``own`` (from
    :func:`own_pid_namespace`) sets that back first (setns needs CAP_SYS_ADMIN over it: the host has it
    in its user namespace, or is root).
    """
    _check(libc().setns(own, CLONE_NEWPID))
    unshare(CLONE_NEWPID)
