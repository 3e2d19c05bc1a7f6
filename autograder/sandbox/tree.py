"""Folder trees a student shaped: measured and removed without recursion, however deep.

A student decides the shape of everything under the work folder, so nothing
here recurses and nothing follows a path: both walks go by directory
descriptors with an explicit stack. :func:`measure` holds one descriptor per
level and refuses a tree deeper than ``max_depth``; :func:`remove` holds at
most two, because it moves the contents of every subfolder up into the folder
being emptied before removing the subfolder, so any depth is removed in time
proportional to the number of entries.
"""

from __future__ import annotations

import itertools
import os
import stat
from dataclasses import dataclass, field

MAX_DEPTH = 64  # folder levels below the work folder (a student's honest work uses two or three)
FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)


class TooBig(Exception):
    """The tree holds more bytes, entries or levels than allowed (or could not be read)."""


@dataclass
class Usage:
    """What a tree holds, and each folder's change time as it was just before it was listed."""

    bytes: int = 0
    entries: int = 0
    folders: dict = field(default_factory=dict)  # (st_dev, st_ino) -> st_ctime_ns before listing


def measure(path: str, max_bytes: int, max_entries: int, max_depth: int = MAX_DEPTH) -> Usage:
    """The bytes and entries under ``path``; raise :class:`TooBig` beyond a limit or on any error."""
    usage, stack = Usage(), []
    try:
        stack.append(_opened(os.open(path, FOLDER_FLAGS), usage, max_bytes, max_entries))
        while stack:
            fd, names = stack[-1]
            if not names:
                os.close(stack.pop()[0])
            elif len(stack) > max_depth:
                raise TooBig("too deep")
            else:
                stack.append(_opened(os.open(names.pop(), FOLDER_FLAGS, dir_fd=fd), usage, max_bytes, max_entries))
    except OSError:
        raise TooBig(path) from None
    finally:
        for fd, _ in stack:
            os.close(fd)
    return usage


def _opened(fd: int, usage: Usage, max_bytes: int, max_entries: int) -> tuple[int, list[str]]:
    """``(fd, its subfolders)``, closing ``fd`` if listing it fails."""
    try:
        return fd, _list(fd, usage, max_bytes, max_entries)
    except BaseException:
        os.close(fd)
        raise


def _list(fd: int, usage: Usage, max_bytes: int, max_entries: int) -> list[str]:
    """Count what the folder ``fd`` holds; return its subfolders' names."""
    info = os.fstat(fd)
    usage.folders[(info.st_dev, info.st_ino)] = info.st_ctime_ns  # the snapshot comes before the listing
    subfolders = []
    with os.scandir(fd) as entries:
        for entry in entries:
            entry_info = entry.stat(follow_symlinks=False)
            usage.entries += 1
            usage.bytes += max(entry_info.st_size, getattr(entry_info, "st_blocks", 0) * 512)
            if usage.bytes > max_bytes or usage.entries > max_entries:
                raise TooBig("over budget")
            if stat.S_ISDIR(entry_info.st_mode):
                subfolders.append(entry.name)
    return subfolders


def open_folders(path: str, max_folders: int) -> list | None:
    """Every folder under ``path`` (``path`` included), opened: ``[(fd, (st_dev, st_ino), st_ctime_ns)]``;
    None if there are more than ``max_folders`` or one cannot be opened. The caller closes them."""
    done: list = []
    waiting: list[int] = []
    try:
        waiting.append(os.open(path, FOLDER_FLAGS))
        while waiting:
            fd = waiting.pop()
            done.append((fd, None, None))
            info = os.fstat(fd)
            done[-1] = (fd, (info.st_dev, info.st_ino), info.st_ctime_ns)
            with os.scandir(fd) as entries:
                names = [e.name for e in entries if e.is_dir(follow_symlinks=False)]
            if len(done) + len(waiting) + len(names) > max_folders:
                raise TooBig("too many folders")
            for name in names:
                waiting.append(os.open(name, FOLDER_FLAGS, dir_fd=fd))
    except (OSError, TooBig):
        for fd in [item[0] for item in done] + waiting:
            os.close(fd)
        return None
    return done


# --- removal -------------------------------------------------------------------------


def remove(path: str) -> bool:
    """Remove ``path`` (a file or a whole tree, links not followed); True if it is gone."""
    parent, name = os.path.split(os.path.abspath(path))
    try:
        parent_fd = os.open(parent, FOLDER_FLAGS)
    except OSError:
        return not os.path.lexists(path)
    try:
        if _is_folder(parent_fd, name):
            folder = _open_folder(parent_fd, name)
            try:
                _empty(folder, itertools.count())
            finally:
                os.close(folder)
            os.rmdir(name, dir_fd=parent_fd)
        else:
            os.unlink(name, dir_fd=parent_fd)
        return True
    except FileNotFoundError:
        return True
    except OSError:
        return not _exists(parent_fd, name)
    finally:
        os.close(parent_fd)


def empty(path: str) -> bool:
    """Remove everything inside the folder ``path``; True if it is empty afterwards."""
    try:
        fd = os.open(path, FOLDER_FLAGS)
    except OSError:
        return False
    try:
        _empty(fd, itertools.count())
        return not os.listdir(fd)
    except OSError:
        return False
    finally:
        os.close(fd)


def _empty(fd: int, counter) -> None:
    """Remove the entries of ``fd`` until none is left or a whole pass removes nothing."""
    while True:
        names = os.listdir(fd)
        if not names:
            return
        for name in names:
            try:
                _remove_entry(fd, name, counter)
            except OSError:
                pass
        if set(os.listdir(fd)) == set(names):
            return  # a whole pass changed nothing: what is left cannot be removed


def _remove_entry(fd: int, name: str, counter) -> None:
    """Remove one entry of the folder being emptied, ``fd``; a non-empty subfolder's entries are first
    moved up into ``fd`` (the caller's next pass removes them)."""
    if not stat.S_ISDIR(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode):
        os.unlink(name, dir_fd=fd)
        return
    try:
        os.rmdir(name, dir_fd=fd)
        return
    except OSError:
        pass
    sub = _open_folder(fd, name)
    try:
        for child in os.listdir(sub):
            _move_up(sub, child, fd, counter)
    finally:
        os.close(sub)
    os.rmdir(name, dir_fd=fd)


def _open_folder(fd: int, name: str) -> int:
    """Open a subfolder, making it readable first if its owner closed it."""
    try:
        return os.open(name, FOLDER_FLAGS, dir_fd=fd)
    except PermissionError:
        os.chmod(name, 0o700, dir_fd=fd)  # a folder: rmdir said it is not empty, so it is no link
        return os.open(name, FOLDER_FLAGS, dir_fd=fd)


def _move_up(sub: int, child: str, fd: int, counter) -> None:
    for _ in range(100):
        target = f".removing-{next(counter)}"
        if not _exists(fd, target):
            try:
                os.chmod(child, 0o700, dir_fd=sub) if _is_folder(sub, child) else None
            except OSError:
                pass
            os.rename(child, target, src_dir_fd=sub, dst_dir_fd=fd)
            return
    raise OSError("no free name to move an entry to")


def _exists(fd: int, name: str) -> bool:
    try:
        os.stat(name, dir_fd=fd, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return True


def _is_folder(fd: int, name: str) -> bool:
    return stat.S_ISDIR(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode)
