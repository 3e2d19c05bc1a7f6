"""Files a child unlinked but still holds open or mapped: invisible to any walk, yet on the disk.

Read from ``/proc/<pid>/fd`` and ``/proc/<pid>/maps`` of the grader's own
children (Linux; elsewhere nothing is found). Only files on the work
folder's device count, each once, at the larger of its size and its mapped
extent. Where a tmpfs holds the work folder the kernel counts these itself.
"""

from __future__ import annotations

import os
import stat


def unlinked(pids, device: int) -> tuple[int, int]:
    """``(bytes, files)`` held open or mapped by ``pids`` on ``device`` with no name left in any folder."""
    sizes: dict[int, int] = {}
    for pid in pids:
        for inode, size in [*_open_files(pid, device), *_mapped_files(pid, device)]:
            sizes[inode] = max(sizes.get(inode, 0), size)
    return sum(sizes.values()), len(sizes)


def _open_files(pid: int, device: int):
    folder = f"/proc/{pid}/fd"
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        try:
            info = os.stat(os.path.join(folder, name))  # the open file itself, named or not
        except OSError:
            continue
        if info.st_dev == device and info.st_nlink == 0 and stat.S_ISREG(info.st_mode):
            yield info.st_ino, max(info.st_size, info.st_blocks * 512)


def _mapped_files(pid: int, device: int):
    """Mappings of deleted files (a file can stay mapped after its descriptor is closed)."""
    wanted = f"{os.major(device):02x}:{os.minor(device):02x}"
    try:
        with open(f"/proc/{pid}/maps", encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return
    for line in lines:
        fields = line.split(maxsplit=5)
        if len(fields) == 6 and fields[3] == wanted and fields[5].endswith(" (deleted)") and fields[4] != "0":
            start, end = (int(x, 16) for x in fields[0].split("-"))
            yield int(fields[4]), end - start + int(fields[2], 16)
