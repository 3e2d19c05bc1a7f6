"""The work folder's disk budget where no tmpfs holds it: a walk that cannot be raced.

Where the kernel cannot keep the work folder within budget (no mount
namespace: see :mod:`mounts`), the grader measures it between calls and
while it waits (:func:`tree.measure`), adding the files its children
unlinked but still hold (:mod:`openfiles`). A walk is skipped only when it
cannot have missed anything:

- every folder's change time is snapshotted *before* the folder is listed
  (a name added or removed later changes it);
- the walk's result is trusted only if a second pass, after it, finds
  exactly the same folders with exactly the same change times, all older
  than the clock's granularity when the walk began (a change in the same
  tick as a snapshot could keep its change time);
- then every folder is held open and checked on each call, not only the
  top three, and the skip also needs room for every file there, and every
  unlinked open file, to grow to the file-size limit.

Anything that goes wrong counts as over budget (see
:meth:`Workspace.check_disk`). Between its calls a child is stopped (see
:class:`client._Child`), so nothing grows while the grader is busy elsewhere.
"""

from __future__ import annotations

import os
import time

from . import openfiles, tree

TRACKED_FOLDERS = 32  # more folders than this: walk every time instead of holding them open
SETTLED_NS = 50_000_000  # change times at least this old cannot be repeated by a change in the same tick


class DiskBudget:
    def __init__(self, work):
        self.work = str(work)
        self._tracked: list[tuple[int, int]] = []  # (folder descriptor, change time)
        self._room = (0, 0)  # (bytes measured, entries) at the trusted walk

    def check(self, max_bytes: int, max_entries: int, file_limit: int | None, pids=()) -> None:
        """Raise :class:`tree.TooBig` if the work folder and the files unlinked under it are over budget."""
        device = os.stat(self.work).st_dev
        held_bytes, held_files = openfiles.unlinked(pids, device)
        if self._unchanged(max_bytes - held_bytes, held_files, file_limit):
            return
        self.forget()
        started = time.time_ns()
        usage = tree.measure(self.work, max_bytes - held_bytes, max_entries)
        self._track(usage, started, max_bytes - held_bytes, held_files, file_limit)

    def _unchanged(self, room: int, held_files: int, file_limit) -> bool:
        measured, entries = self._room
        if not self._tracked or file_limit is None or measured + (entries + held_files) * file_limit > room:
            return False
        return all(os.fstat(fd).st_ctime_ns == ctime for fd, ctime in self._tracked)

    def _track(self, usage: tree.Usage, started: int, room: int, held_files: int, file_limit) -> None:
        """Hold every folder open if the walk can be trusted and every file has room to grow."""
        if (file_limit is None or len(usage.folders) > TRACKED_FOLDERS
                or usage.bytes + (usage.entries + held_files) * file_limit > room
                or any(started - ctime < SETTLED_NS for ctime in usage.folders.values())):
            return
        opened = tree.open_folders(self.work, TRACKED_FOLDERS)
        if opened is None:
            return
        if {key: ctime for _, key, ctime in opened} != usage.folders:
            for fd, _, _ in opened:
                os.close(fd)
            return  # something changed during the walk: walk again next time
        self._tracked, self._room = [(fd, ctime) for fd, _, ctime in opened], (usage.bytes, usage.entries)

    def forget(self) -> None:
        for fd, _ in self._tracked:
            os.close(fd)
        self._tracked = []
