"""Kernel confinement shared by the zygote and the child: Landlock, cgroups, rlimits.

This is the boundary that student code cannot undo: every layer is applied
by the kernel before the student's module is imported and holds whatever
the Python code in the child does afterwards. The other layers have modules
of their own: :mod:`namespaces` and :mod:`mounts` (entered by the
:mod:`keeper`), :mod:`privileges` (the sandbox user, no capabilities),
:mod:`syscalls` (seccomp); :mod:`detect` finds which ones this machine
offers and :mod:`levels` names them. Imports only the standard library and,
on Linux, ``landlockpy``.

``landlock-abiN``
    Read-only access to the interpreter, the standard library, system
    libraries and the packages student code may import; read-write access
    to its own work folder only; write-in-place (no create, no truncate) to
    the shared argument buffers; no ``execve`` at all; TCP bind/connect
    denied (ABI >= 4); signals and abstract unix sockets scoped to its own
    domain (ABI >= 6).
``pids``
    Where the grader may create cgroups (root, or a delegated cgroup): each
    child's own pids cgroup caps its threads, so a thread bomb cannot take
    the machine's process table from the other students' children (see
    :mod:`cgroups`).
``rlimits``
    Address space, CPU time, file size, open files and core dumps (and, in
    a user namespace of its own, the number of threads: ``nproc``).
"""

from __future__ import annotations

import os
import signal
import sys
import sysconfig

from .cgroups import MAX_TASKS, PidsCgroups  # noqa: F401 - the pids layer, as the zygote and tests know it
from .libc import libc

LAYERS = ("landlock", "namespaces", "tmpfs", "seccomp", "pids", "rlimits")  # what tests may disable

#: What student code may import besides the standard library (and what those import).
ALLOWED_PACKAGES = (
    "numpy", "numpy.libs", "matplotlib", "matplotlib.libs", "mpl_toolkits", "PIL", "pillow.libs",
    "kiwisolver", "contourpy", "cycler", "dateutil", "pyparsing", "packaging", "fontTools", "six.py",
)
#: System folders with shared libraries and fonts (nothing of the grader's lives there).
SYSTEM_READ = ("/usr/lib", "/lib", "/lib64", "/usr/lib64", "/usr/share/fonts", "/usr/share/zoneinfo",
               "/etc/ld.so.cache", "/etc/localtime", "/dev/urandom")

PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER = 1, 36




def die_with_parent(parent: int | None = None) -> None:
    """SIGKILL this process when the thread that forked it exits (Linux); with ``parent``, exit at once if
    that process is already gone (it died before the death signal was set: nothing would ever kill us).
    PID 1 of a new PID namespace sees no parent (0): its namespace's parent is what ends it then."""
    if sys.platform.startswith("linux"):
        libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if parent is not None and os.getppid() not in (parent, 0):
            os._exit(0)


def become_subreaper(on: bool = True) -> None:
    """Orphans of our descendants are re-parented here, not to init (Linux); ``on=False`` undoes it."""
    if sys.platform.startswith("linux"):
        libc().prctl(PR_SET_CHILD_SUBREAPER, int(on), 0, 0, 0)


# --- detection (in the zygote, once) ---------------------------------------------


def landlock_abi() -> int:
    try:
        import landlockpy
    except ImportError:
        return 0
    return landlockpy.abi_version()


# --- Landlock ------------------------------------------------------------------


def read_roots() -> list[str]:
    """Folders and files a child may read: stdlib (not its site-packages), allowed packages, system libraries."""
    roots = []
    for key in ("stdlib", "platstdlib"):
        stdlib = sysconfig.get_paths()[key]
        for entry in sorted(os.listdir(stdlib)) if os.path.isdir(stdlib) else []:
            if entry not in ("site-packages", "dist-packages"):
                roots.append(os.path.join(stdlib, entry))
    for site in site_dirs():
        roots += [os.path.join(site, name) for name in ALLOWED_PACKAGES]
    roots += list(SYSTEM_READ)
    seen, out = set(), []
    for root in roots:
        real = os.path.realpath(root)
        if os.path.exists(real) and real not in seen:
            seen.add(real)
            out.append(real)
    return out


def site_dirs() -> list[str]:
    """The folders holding the allowed packages."""
    import numpy

    return [os.path.dirname(os.path.dirname(os.path.abspath(numpy.__file__)))]


class Rulesets:
    """The Landlock ruleset every child of a zygote restricts itself with, built once (~2 ms).

    A rule names an inode, not a path: the same inodes are found in every child's mount namespace (the
    Python installation, the arena), and the one writable rule names ``writable``, which is the work folder
    itself, or, where each child mounts a tmpfs over the work folder, the folder holding it (Landlock
    grants a rule's rights to whatever is mounted below). That folder is read-only in every submission's
    mount namespace, so nothing can be written into it but through the tmpfs (see :mod:`mounts`).
    """

    def __init__(self, abi: int):
        self.abi = abi
        self.roots = read_roots()  # also what the audit hook lets the child read

    def build(self, writable: str, shared: str):
        """The ruleset for ``writable`` and ``shared`` (None without Landlock)."""
        return self._build(writable, shared) if self.abi else None

    def _build(self, writable: str, shared: str):
        from landlockpy import AccessFS, Ruleset, Scope

        read_dir = AccessFS.READ_FILE | AccessFS.READ_DIR
        ruleset = Ruleset(scoped=Scope.SIGNAL | Scope.ABSTRACT_UNIX_SOCKET)
        for root in self.roots:
            ruleset.allow_path(root, read_dir if os.path.isdir(root) else AccessFS.READ_FILE)
        for site in site_dirs():  # names only: the import system lists them, reading stays per package
            ruleset.allow_path(site, AccessFS.READ_DIR)
        ruleset.allow_path("/dev/null", AccessFS.READ_FILE | AccessFS.WRITE_FILE)
        work_rights = (AccessFS.READ_FILE | AccessFS.READ_DIR | AccessFS.WRITE_FILE | AccessFS.TRUNCATE
                       | AccessFS.REMOVE_DIR | AccessFS.REMOVE_FILE | AccessFS.MAKE_DIR | AccessFS.MAKE_REG
                       | (AccessFS.REFER if self.abi >= 2 else 0))  # REFER: rename between its own folders
        ruleset.allow_path(writable, work_rights)  # no exec, symlinks, devices or links out
        ruleset.allow_path(shared, AccessFS.READ_FILE | AccessFS.READ_DIR | AccessFS.WRITE_FILE)
        return ruleset


def restrict(ruleset) -> None:
    """Enforce ``ruleset`` on this process (sets no_new_privs) and close its descriptor."""
    ruleset.restrict()
    ruleset.close()


# --- rlimits -------------------------------------------------------------------


def set_limits(memory_bytes: int, cpu_seconds: int, file_bytes: int, open_files: int = 256,
               tasks: int | None = None) -> list[str]:
    """Apply the limits the platform supports; return the names of those it refused.

    ``tasks`` caps threads with RLIMIT_NPROC: only inside a user namespace of the child's own, where the
    kernel counts that namespace's processes alone (Linux >= 5.14).
    """
    try:
        import resource
    except ImportError:
        return ["memory", "cpu", "file"]
    refused = []
    for name, limit, value in (
        ("memory", getattr(resource, "RLIMIT_AS", None), memory_bytes),
        ("cpu", resource.RLIMIT_CPU, cpu_seconds),
        ("file", resource.RLIMIT_FSIZE, file_bytes),
        ("files", resource.RLIMIT_NOFILE, open_files),
        ("core", resource.RLIMIT_CORE, 0),
    ) + ((("tasks", getattr(resource, "RLIMIT_NPROC", None), tasks),) if tasks else ()):
        try:
            if limit is None:
                raise ValueError("not on this platform")
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):
            refused.append(name)
    return refused
