"""Who a child runs as, and the capabilities it gives up (Linux; a no-op elsewhere).

When the grader runs as root its children become an unprivileged user
(:func:`become`), so they own none of root's files. Every child then gives
up every capability it holds in any user namespace (:func:`drop_all`): the
bounding and ambient sets, and the effective, permitted and inheritable
ones, with ``no_new_privs`` set so that nothing can bring one back. In a
user namespace of its own a child starts with every capability of that
namespace, which is why this is done in every mode, not only without one.
Runs in the keeper and the child; imports only the standard library.
"""

import ctypes
import os
import sys

from .libc import libc

PR_SET_DUMPABLE, PR_CAPBSET_READ, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT = 4, 23, 24, 38, 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
CAPABILITY_VERSION_3 = 0x20080522
NOBODY = 65534  # the kernel's overflow user, where the system has no "nobody" entry
LINUX = sys.platform.startswith("linux")


class _Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _Data(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]




def unprivileged_user(name: str | None) -> tuple[int, int]:
    """(uid, gid) of ``name``, or of ``nobody`` (the kernel's overflow ids where it has no entry)."""
    import pwd

    try:
        entry = pwd.getpwnam(name or "nobody")
    except KeyError:
        if name:
            raise
        return NOBODY, NOBODY
    return entry.pw_uid, entry.pw_gid


def become(uid: int, gid: int) -> None:
    """Root only: drop the bounding set, then switch to ``uid``/``gid`` with no supplementary groups."""
    drop_bounding()
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)  # clears the effective and permitted sets
    libc().prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # setuid cleared it: /proc/self would stay root's


def drop_all() -> bool:
    """Give up every capability and set ``no_new_privs``; True if the bounding set is empty too.

    Raises PermissionError if a capability is still effective or permitted afterwards.
    """
    if not LINUX:
        return False
    c = libc()
    bounding_empty = drop_bounding()
    c.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    header, data = _Header(CAPABILITY_VERSION_3, 0), (_Data * 2)()
    c.capset(ctypes.byref(header), data)
    c.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    if any(held(kind) for kind in ("effective", "permitted", "inheritable")):
        raise PermissionError("a capability could not be given up")
    return bounding_empty


def held(kind: str = "effective") -> int:
    """The capability mask this process holds in set ``kind`` (its own user namespace)."""
    header, data = _Header(CAPABILITY_VERSION_3, 0), (_Data * 2)()
    if libc().capget(ctypes.byref(header), data) != 0:
        return 0
    return getattr(data[0], kind) | getattr(data[1], kind) << 32


def drop_bounding() -> bool:
    """Remove every capability from the bounding set (needs CAP_SETPCAP); True if it is empty."""
    c, empty, cap = libc(), True, 0
    while (present := c.prctl(PR_CAPBSET_READ, cap, 0, 0, 0)) >= 0:
        if present and c.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            empty = False
        cap += 1
    return empty
