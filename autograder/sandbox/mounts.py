"""The child's own mount namespace: a work folder the kernel keeps within budget.

Done before the child's confinement (a mount is impossible once Landlock and
seccomp are in force): by the keeper for the whole submission, then by each
child in a mount namespace of its own:

- :func:`make_private` stops every mount made here from reaching the host;
- :func:`expose` lets an unprivileged sandbox user reach the Python
  installation when it lives in a folder that user cannot enter (a root
  grader with Python under ``/root``): the blocking folder is covered, in
  this namespace only, with an empty tmpfs that holds nothing but the
  subtrees the child may read;
- :func:`read_only` makes the folder holding the work folder read-only for
  the submission (the Landlock rule that lets a child write its tmpfs names
  that folder: see :class:`confine.Rulesets`);
- :func:`work_tmpfs` (in each child) mounts a size- and inode-limited tmpfs
  over the work folder and copies the submission's files into it (read once
  per submission by :func:`read_exercises`). Whatever the child writes,
  including files it unlinked but keeps open, counts against that limit:
  writing past it fails with ``ENOSPC``. Nothing the child writes reaches the
  disk the grader shares with the next submission, nor another exercise's
  child.

Imports only the standard library.
"""

import ctypes
import os
import stat

from .libc import libc

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = (
    0x1, 0x2, 0x4, 0x8, 0x20, 0x1000, 0x4000, 1 << 18)
MS_NOATIME, MS_NODIRATIME, MS_RELATIME, ST_RELATIME = 0x400, 0x800, 1 << 21, 0x1000  # statvfs says 0x1000
SYS_OPEN_TREE, SYS_MOVE_MOUNT = 428, 429  # the same number on every architecture (Linux >= 5.2)
OPEN_TREE_CLONE, AT_RECURSIVE, OPEN_TREE_CLOEXEC, MOVE_MOUNT_F_EMPTY_PATH = 1, 0x8000, 0o2000000, 4
AT_FDCWD = -100
SPARE_INODES = 16  # the folders and files the grader itself puts in the work folder


def _check(result: int, what: str) -> int:
    if result < 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")
    return result




def mount(source, target: str, fstype, flags: int, data=None) -> None:
    encode = (lambda s: s.encode() if s is not None else None)
    _check(libc().mount(encode(source), target.encode(), encode(fstype), ctypes.c_ulong(flags), encode(data)),
           f"mount {target}")


def make_private() -> None:
    """No mount made in this namespace propagates anywhere else."""
    mount("none", "/", None, MS_REC | MS_PRIVATE)


# --- the Python installation for a sandbox user -------------------------------------------


def blocked_folders(roots, uid: int, gid: int) -> dict:
    """``{folder: [names]}``: folders on the way to ``roots`` that ``uid`` cannot enter, each with the
    entries inside it that lead to a root; deepest first."""
    blocked = {}
    for root in roots:
        parts = root.strip("/").split("/")
        for depth in range(len(parts)):
            folder = "/" + "/".join(parts[:depth])
            if not _enterable(folder, uid, gid):
                names = blocked.setdefault(folder, [])
                names += [] if parts[depth] in names else [parts[depth]]
    return dict(sorted(blocked.items(), key=lambda item: -len(item[0].rstrip("/").split("/"))))


def _enterable(folder: str, uid: int, gid: int) -> bool:
    try:
        info = os.stat(folder)
    except OSError:
        return True  # nothing there to expose
    if info.st_uid == uid:
        return bool(info.st_mode & stat.S_IXUSR)
    if info.st_gid == gid:
        return bool(info.st_mode & stat.S_IXGRP)
    return bool(info.st_mode & stat.S_IXOTH)


def expose(blocked: dict) -> None:
    """Cover each blocked folder with an empty tmpfs holding only the entries that lead to a root."""
    c = libc()
    for folder, names in blocked.items():
        trees = {}
        for name in names:
            path = os.path.join(folder, name)
            trees[name] = (_check(c.syscall(SYS_OPEN_TREE, AT_FDCWD, path.encode(),
                                               OPEN_TREE_CLONE | AT_RECURSIVE | OPEN_TREE_CLOEXEC), f"open_tree {path}"),
                           os.path.isdir(path))
        mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755")
        for name, (tree, is_folder) in trees.items():
            path = os.path.join(folder, name)
            os.mkdir(path) if is_folder else open(path, "x").close()
            _check(c.syscall(SYS_MOVE_MOUNT, tree, b"", AT_FDCWD, path.encode(), MOVE_MOUNT_F_EMPTY_PATH),
                   f"move_mount {path}")
            os.close(tree)


# --- the work folder -------------------------------------------------------------------


def read_only(folder: str) -> None:
    """Make ``folder`` (and everything in it not mounted over later) read-only in this mount namespace.

    The access-time flags of the mount it is on are kept: in a user namespace they cannot be changed.
    """
    atime = os.statvfs(folder).f_flag
    kept = (atime & (MS_NOATIME | MS_NODIRATIME)) | (MS_RELATIME if atime & ST_RELATIME else 0)
    mount(folder, folder, None, MS_BIND)
    mount(None, folder, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | kept)


def work_tmpfs(work: str, size_bytes: int, max_entries: int, files: dict, owner=None) -> None:
    """Mount the budget-limited tmpfs over ``work`` and write ``files`` ({name: bytes}) into its
    ``exercises/`` (``owner``: the (uid, gid) the child will run as, when this runs as root)."""
    options = f"size={size_bytes},nr_inodes={max_entries + SPARE_INODES},mode=0700"
    if owner:
        options += f",uid={owner[0]},gid={owner[1]}"
    mount("tmpfs", work, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, options)
    for folder in ("exercises", "output"):
        os.mkdir(os.path.join(work, folder), 0o700)
    for name, data in files.items():
        with open(os.path.join(work, "exercises", name), "xb") as fh:
            fh.write(data)
    if owner:
        for folder, names in (("exercises", files), ("output", {})):
            os.chown(os.path.join(work, folder), *owner)
            for name in names:
                os.chown(os.path.join(work, folder, name), *owner)


def read_exercises(work: str) -> dict:
    """The files the grader put in ``work/exercises/`` (regular files only, never followed links)."""
    folder = os.open(os.path.join(work, "exercises"), os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    files = {}
    try:
        for entry in os.scandir(folder):
            if entry.is_file(follow_symlinks=False):
                fd = os.open(entry.name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=folder)
                with os.fdopen(fd, "rb") as fh:
                    files[entry.name] = fh.read()
    finally:
        os.close(folder)
    return files
