"""Operating-system confinement of a sandboxed child: namespaces, Landlock, rlimits.

This is the boundary that student code cannot undo: every layer is applied
by the kernel before the student's module is imported and holds whatever
the Python code in the child does afterwards. Runs in the zygote (detection,
rulesets) and in the child (entering them); imports only the standard
library and, on Linux, ``landlockpy``.

Layers, each detected once per zygote and reported as the *isolation level*
(``landlock-abi7+userns+pidns+netns+rlimits``):

``userns+pidns+netns``
    The child is PID 1 of a PID namespace of its own, so every process it
    starts dies with it (double-forked daemons included) and no process of
    the grader has a PID it can address; a network namespace with only a
    loopback that is down; a user namespace, so it holds no capability over
    the grader's processes or files even when the grader runs as root.
``landlock-abiN``
    Read-only access to the interpreter, the standard library, system
    libraries and the packages student code may import; read-write access
    to its own work folder only; write-in-place (no create, no truncate) to
    the shared argument buffers; no ``execve`` at all; TCP bind/connect
    denied (ABI >= 4); signals and abstract unix sockets scoped to its own
    domain (ABI >= 6).
``seccomp``
    What Landlock does not cover: no new process at all (fork, vfork, clone
    without CLONE_THREAD; threads are fine), no ``fallocate``, no change to
    the mode, owner, timestamps or extended attributes of any file
    (``chmod``, ``utime``...), the kernel keyring, sockets other than
    IPv4/IPv6 (unix-domain sockets such as the Docker daemon's, netlink,
    packet, vsock) and a few kernel interfaces no exercise needs (bpf, perf,
    userfaultfd, io_uring, ptrace).
``pids``
    Where the grader may create cgroups (root, or a delegated cgroup): each
    child's own pids cgroup caps its threads, so a thread bomb cannot take
    the machine's process table from the other students' children.
``rlimits``
    Address space, CPU time, file size, open files and core dumps.
"""

from __future__ import annotations

import ctypes
import errno
import os
import signal
import socket
import sys
import sysconfig

LAYERS = ("landlock", "namespaces", "seccomp", "pids", "rlimits")
MAX_TASKS = 64  # threads of one child (new processes are refused by seccomp)
CGROUP_ROOTS = ("/sys/fs/cgroup/pids", "/sys/fs/cgroup")  # cgroup v1's pids controller, or cgroup v2

#: What student code may import besides the standard library (and what those import).
ALLOWED_PACKAGES = (
    "numpy", "numpy.libs", "matplotlib", "matplotlib.libs", "mpl_toolkits", "PIL", "pillow.libs",
    "kiwisolver", "contourpy", "cycler", "dateutil", "pyparsing", "packaging", "fontTools", "six.py",
)
#: System folders with shared libraries and fonts (nothing of the grader's lives there).
SYSTEM_READ = ("/usr/lib", "/lib", "/lib64", "/usr/lib64", "/usr/share/fonts", "/usr/share/zoneinfo",
               "/etc/ld.so.cache", "/etc/localtime", "/dev/urandom")

CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = (
    0x00020000, 0x08000000, 0x10000000, 0x20000000, 0x40000000)
NAMESPACES = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_CHILD_SUBREAPER = 1, 4, 36


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def die_with_parent() -> None:
    """SIGKILL this process when the thread that forked it exits (Linux)."""
    if sys.platform.startswith("linux"):
        _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def set_dumpable() -> None:
    """Own /proc/self again after a change of user (needed to write our uid_map)."""
    _libc().prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)


def become_subreaper() -> None:
    """Orphans of our descendants are re-parented here, not to init (Linux)."""
    if sys.platform.startswith("linux"):
        _libc().prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


# --- detection (in the zygote, once) ---------------------------------------------


def landlock_abi() -> int:
    try:
        import landlockpy
    except ImportError:
        return 0
    return landlockpy.abi_version()


def _unshare(flags: int) -> None:
    if _libc().unshare(flags) != 0:
        error = ctypes.get_errno()
        raise OSError(error, os.strerror(error))


def enter_namespaces() -> None:
    """unshare() user, PID, network and IPC namespaces, keeping our own uid and gid.

    The next process this one forks is PID 1 of the new PID namespace.
    """
    uid, gid = os.geteuid(), os.getegid()
    _unshare(NAMESPACES)
    with open("/proc/self/setgroups", "w") as fh:
        fh.write("deny")
    with open("/proc/self/uid_map", "w") as fh:
        fh.write(f"{uid} {uid} 1")
    with open("/proc/self/gid_map", "w") as fh:
        fh.write(f"{gid} {gid} 1")


def namespaces_work() -> bool:
    """Try the namespaces in a throwaway process (Ubuntu may forbid them to unprivileged users)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            enter_namespaces()
            inner = os.fork()
            if inner == 0:
                os._exit(0 if os.getpid() == 1 else 1)
            _, status = os.waitpid(inner, 0)
            os.write(write, b"1" if os.waitstatus_to_exitcode(status) == 0 else b"0")
        except BaseException:  # noqa: BLE001 - any failure means "not available"
            os.write(write, b"0")
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 1)
    os.close(read)
    os.waitpid(pid, 0)
    return answer == b"1"


DENIED_SYSCALLS = (
    "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat",
    "utime", "utimes", "futimesat", "utimensat",
    "setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr",
    "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd", "io_uring_setup",
    "fork", "vfork", "fallocate", "ptrace", "process_vm_readv", "process_vm_writev",
)
CLONE_THREAD = 0x00010000
#: Socket families student code may create: none it could use to reach anything (IPv4/IPv6 only,
#: and the network namespace has no way out). unix, netlink, packet, vsock... are refused.
ALLOWED_FAMILIES = (socket.AF_INET, socket.AF_INET6)


def seccomp_filter():
    """A filter returning EPERM for :data:`DENIED_SYSCALLS`, new processes (threads are fine) and
    socket families other than :data:`ALLOWED_FAMILIES`; None without libseccomp."""
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError, RuntimeError):  # no libseccomp on this machine
        return None
    syscalls = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    refuse = seccomp.ERRNO(errno.EPERM)
    for name in DENIED_SYSCALLS:
        _rule(syscalls, refuse, name)
    # clone() without CLONE_THREAD makes a process; clone3() is refused as "not implemented" so that
    # the C library falls back on clone() for threads.
    _rule(syscalls, refuse, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_THREAD, 0))
    _rule(syscalls, seccomp.ERRNO(errno.ENOSYS), "clone3")
    for family in range(0, 64):
        if family not in ALLOWED_FAMILIES:
            _rule(syscalls, refuse, "socket", seccomp.Arg(0, seccomp.EQ, family))
    _rule(syscalls, refuse, "socket", seccomp.Arg(0, seccomp.GE, 64))
    return syscalls


def _rule(syscalls, action, name, *args) -> None:
    try:
        syscalls.add_rule(action, name, *args)
    except (OSError, ValueError, RuntimeError):
        pass  # a syscall this kernel or architecture does not have


class PidsCgroups:
    """One pids cgroup per child under a folder of this zygote's (None where cgroups are not writable)."""

    def __init__(self, base: str):
        self.base = base

    @classmethod
    def create(cls):
        cls.remove_stale()
        for root in CGROUP_ROOTS:
            if os.path.isfile(os.path.join(root, "pids.max")) or os.path.isfile(os.path.join(root, "tasks")) \
                    and os.path.basename(root) == "pids":
                base = os.path.join(root, f"autograder-{os.getpid()}")
                try:
                    os.mkdir(base)
                    if os.path.isfile(os.path.join(base, "pids.max")):
                        return cls(base)
                    os.rmdir(base)
                except OSError:
                    continue
        return None

    def enter(self, limit: int = MAX_TASKS) -> None:
        """Move this process into a new cgroup of its own that allows ``limit`` tasks."""
        group = os.path.join(self.base, str(os.getpid()))
        os.mkdir(group)
        with open(os.path.join(group, "pids.max"), "w") as fh:
            fh.write(str(limit))
        with open(os.path.join(group, "cgroup.procs"), "w") as fh:
            fh.write(str(os.getpid()))

    def release(self, pid: int) -> None:
        try:
            os.rmdir(os.path.join(self.base, str(pid)))
        except OSError:
            pass

    def close(self) -> None:
        for name in os.listdir(self.base) if os.path.isdir(self.base) else []:
            if name.isdigit():
                self.release(int(name))
        try:
            os.rmdir(self.base)
        except OSError:
            pass

    @classmethod
    def remove_stale(cls, pid: int | None = None) -> None:
        """Remove the (empty) cgroups of zygote ``pid``, or of every zygote that no longer runs."""
        for root in CGROUP_ROOTS:
            try:
                names = [n for n in os.listdir(root) if n.startswith("autograder-")]
            except OSError:
                continue
            for name in names:
                owner = name.removeprefix("autograder-")
                if owner.isdigit() and (int(owner) == pid or (pid is None and not os.path.exists(f"/proc/{owner}"))):
                    cls(os.path.join(root, name)).close()


def detect(disabled=()) -> dict:
    """What this machine offers, minus the layers ``disabled`` (for tests and old kernels)."""
    return {
        "landlock": 0 if "landlock" in disabled else landlock_abi(),
        "namespaces": "namespaces" not in disabled and namespaces_work(),
        "seccomp": "seccomp" not in disabled and sys.platform.startswith("linux") and seccomp_filter() is not None,
        "rlimits": "rlimits" not in disabled and _has_resource(),
        "user": os.geteuid() if hasattr(os, "geteuid") else None,
    }


def _has_resource() -> bool:
    try:
        import resource  # noqa: F401
    except ImportError:
        return False
    return True


def level(caps: dict) -> str:
    """``landlock-abi7+userns+pidns+netns+rlimits``, or ``none``."""
    parts = []
    if caps.get("landlock"):
        parts.append(f"landlock-abi{caps['landlock']}")
    if caps.get("namespaces"):
        parts += ["userns", "pidns", "netns"]
    if caps.get("seccomp"):
        parts.append("seccomp")
    if caps.get("pids"):
        parts.append("pids")
    if caps.get("rlimits"):
        parts.append("rlimits" if caps.get("memory_limit", True) else "rlimits-no-memory")
    return "+".join(parts) or "none"


def is_strong(caps: dict) -> bool:
    """Landlock and namespaces together: the level a hostile class needs."""
    return bool(caps.get("landlock")) and bool(caps.get("namespaces"))


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
    """Landlock rulesets built in the zygote, one per submission (building one costs ~4 ms)."""

    def __init__(self, abi: int):
        self.abi = abi
        self.roots = read_roots()  # also what the audit hook lets the child read
        self._key = None
        self._ruleset = None

    def for_submission(self, work: str, shared: str):
        if not self.abi:
            return None
        if self._key != (work, shared):
            if self._ruleset is not None:
                self._ruleset.close()
            self._ruleset, self._key = self._build(work, shared), (work, shared)
        return self._ruleset

    def _build(self, work: str, shared: str):
        from landlockpy import AccessFS, Ruleset, Scope

        read_dir = AccessFS.READ_FILE | AccessFS.READ_DIR
        ruleset = Ruleset(scoped=Scope.SIGNAL | Scope.ABSTRACT_UNIX_SOCKET)
        for root in self.roots:
            ruleset.allow_path(root, read_dir if os.path.isdir(root) else AccessFS.READ_FILE)
        for site in site_dirs():  # names only: the import system lists them, reading stays per package
            ruleset.allow_path(site, AccessFS.READ_DIR)
        ruleset.allow_path("/dev/null", AccessFS.READ_FILE | AccessFS.WRITE_FILE)
        work_rights = (AccessFS.READ_FILE | AccessFS.READ_DIR | AccessFS.WRITE_FILE | AccessFS.TRUNCATE
                       | AccessFS.REMOVE_DIR | AccessFS.REMOVE_FILE | AccessFS.MAKE_DIR | AccessFS.MAKE_REG)
        ruleset.allow_path(work, work_rights)  # no exec, symlinks, devices or links out
        ruleset.allow_path(shared, AccessFS.READ_FILE | AccessFS.READ_DIR | AccessFS.WRITE_FILE)
        return ruleset


def restrict(ruleset) -> None:
    """Enforce ``ruleset`` on this process (sets no_new_privs) and close its descriptor."""
    ruleset.restrict()
    ruleset.close()


# --- rlimits -------------------------------------------------------------------


def set_limits(memory_bytes: int, cpu_seconds: int, file_bytes: int, open_files: int = 256) -> list[str]:
    """Apply the limits the platform supports; return the names of those it refused."""
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
    ):
        try:
            if limit is None:
                raise ValueError("not on this platform")
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):
            refused.append(name)
    return refused
