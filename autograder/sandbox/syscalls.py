"""The seccomp filter every child loads last: system calls no exercise needs, refused with EPERM.

Built once by the zygote, loaded by every child in every mode (with or
without namespaces and Landlock), after its mounts and after Landlock, so it
never stands in their way. What it
refuses, and what that stops:

- new processes and programs: ``fork``/``vfork``, ``clone`` without
  ``CLONE_THREAD`` or with a namespace flag (threads are fine), ``execve``,
  ``execveat``, ``memfd_create`` (native code run from memory);
- other processes: signals of every kind, ``ptrace``, reading or writing
  their memory, their limits (``prlimit`` on another pid), their CPU
  affinity, and any priority or scheduling change (``nice(-1)``,
  ``SCHED_FIFO``), which would slow the honest students graded alongside;
- the network: ``socket`` for every family (the child already holds its
  channel to the grader), so no UDP datagram or raw socket leaves it;
- the machine: ``reboot``, modules, ``kexec``, setting the clock, the host
  name, I/O ports, mounts, ``unshare``/``setns``, ``chroot``, swap,
  accounting, quotas, file handles, System V and POSIX message IPC, the
  kernel keyring, bpf, perf, userfaultfd, io_uring, and adding Landlock
  rules (the children of a zygote are confined by one ruleset, whose
  descriptor each closes before student code runs);
- files in ways Landlock does not cover: mode, owner, timestamps and
  extended attributes, ``fallocate``, FIFOs and device nodes (``mknod``).

Runs in the zygote (building and compiling once: :func:`compiled`) and the
child (loading the compiled program with one system call); imports only the
standard library and, on Linux, ``pyseccomp`` (the system's libseccomp).
"""

import ctypes
import errno
import os

from .libc import libc

DENIED = (
    # processes, programs and native code from memory
    "fork", "vfork", "execve", "execveat", "memfd_create", "memfd_secret",
    # other processes: signals, tracing, memory, scheduling
    "kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_send_signal", "pidfd_open",
    "pidfd_getfd", "ptrace", "process_vm_readv", "process_vm_writev", "process_madvise", "process_mrelease",
    "kcmp", "setpriority", "sched_setscheduler", "sched_setattr", "sched_setparam", "ioprio_set",
    "migrate_pages", "move_pages",
    # the machine
    "reboot", "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
    "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "sethostname", "setdomainname",
    "iopl", "ioperm", "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "mount_setattr",
    "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount", "fspick", "swapon", "swapoff", "acct",
    "quotactl", "quotactl_fd", "syslog", "vhangup", "name_to_handle_at", "open_by_handle_at",
    "fanotify_init", "personality", "lookup_dcookie", "nfsservctl",
    # IPC a namespace would otherwise keep apart
    "shmget", "shmat", "shmctl", "msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semtimedop",
    "semctl", "mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify", "mq_getsetattr",
    # kernel interfaces no exercise needs (Landlock rules: children of one zygote share a ruleset)
    "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
    "io_uring_setup", "io_uring_enter", "io_uring_register", "landlock_add_rule",
    # files, where Landlock does not reach
    "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat",
    "utime", "utimes", "futimesat", "utimensat", "fallocate", "mknod", "mknodat",
    "setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr",
    # the network (every family: the child already holds its channel)
    "socket",
)
#: Calls allowed on the calling process only (a first argument of 0): its own limits and CPU affinity.
OWN_PROCESS_ONLY = ("prlimit64", "sched_setaffinity")
CLONE_THREAD = 0x00010000
CLONE_NAMESPACES = (0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000, 0x00000080)


def build():
    """The filter (a ``pyseccomp.SyscallFilter``), or None without libseccomp."""
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError, RuntimeError):  # no libseccomp on this machine
        return None
    syscalls = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    refuse = seccomp.ERRNO(errno.EPERM)
    for name in DENIED:
        _rule(syscalls, refuse, name)
    for name in OWN_PROCESS_ONLY:
        _rule(syscalls, refuse, name, seccomp.Arg(0, seccomp.NE, 0))
    # clone() without CLONE_THREAD makes a process, with a namespace flag a namespace; clone3() is refused
    # as "not implemented" so that the C library falls back on clone() for threads.
    _rule(syscalls, refuse, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_THREAD, 0))
    for flag in CLONE_NAMESPACES:
        _rule(syscalls, refuse, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    _rule(syscalls, seccomp.ERRNO(errno.ENOSYS), "clone3")
    return syscalls


def _rule(syscalls, action, name, *args) -> None:
    try:
        syscalls.add_rule(action, name, *args)
    except (OSError, ValueError, RuntimeError):
        pass  # a syscall this kernel or architecture does not have


PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


class Program:
    """A filter compiled once to BPF by libseccomp (what its ``load`` would compute in every child)."""

    def __init__(self, code: bytes):
        self._code = ctypes.create_string_buffer(code, len(code))  # struct sock_filter[], 8 bytes each
        self._program = _SockFprog(len(code) // 8, ctypes.cast(self._code, ctypes.c_void_p))

    def load(self) -> None:
        """Enforce it on this process (``no_new_privs`` must be set: it is, by :func:`privileges.drop_all`)."""
        if libc().prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(self._program), 0, 0) != 0:
            error = ctypes.get_errno()
            raise OSError(error, f"seccomp: {os.strerror(error)}")


def compiled(syscalls) -> Program:
    """The BPF program of a :func:`build` filter."""
    read, write = os.pipe()
    try:
        with os.fdopen(write, "wb") as sink:
            syscalls.export_bpf(sink)
        chunks = []
        while chunk := os.read(read, 65536):
            chunks.append(chunk)
    finally:
        os.close(read)
    return Program(b"".join(chunks))
