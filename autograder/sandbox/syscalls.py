"""The seccomp filter every child loads last: an allowlist, everything else refused.

Built once by the zygote, loaded by every child in every mode (with or
without namespaces and Landlock), after its mounts and after Landlock, so it
never stands in their way.

Only the system calls that CPython, numpy (its BLAS threads included),
matplotlib (Agg) and the child's own channel need are allowed (:data:`ALLOWED`,
measured by tracing the example submissions, the textbook sample and a busy
honest module: plots, threads, files, pickle, sqlite in memory). Any other
call, including every call a newer kernel adds (``setxattrat``,
``removexattrat`` and ``file_setattr`` arrived after this filter was
written), fails with ``ENOSYS`` as if the kernel did not have it. The calls
below are refused with ``EPERM`` instead, so that the refusal reads as one:

- new processes and programs: ``fork``/``vfork``, ``clone`` without
  ``CLONE_THREAD`` or with a namespace flag (threads are fine), ``execve``,
  ``execveat``, ``memfd_create`` (native code run from memory);
- other processes: signals of every kind, ``ptrace``, reading or writing
  their memory, their limits (``prlimit`` on another pid), their CPU
  affinity, and any priority or scheduling change (``nice(-1)``,
  ``SCHED_FIFO``), which would slow the honest students graded alongside;
- its own fate: ``prctl`` only for the options listed in
  :data:`PRCTL_ALLOWED` (reading its own state, naming a thread); never
  ``PR_SET_PDEATHSIG``, so it dies with its keeper whatever it does;
- the network: ``socket`` for every family (the child already holds its
  channel to the grader), so no UDP datagram or raw socket leaves it;
- the machine: ``reboot``, modules, ``kexec``, setting the clock, the host
  name, I/O ports, mounts, ``unshare``/``setns``, ``chroot``, swap and the rest,
  and adding Landlock rules (the children of a zygote are confined by one
  ruleset, whose descriptor each closes before student code runs);
- files in ways Landlock does not cover: mode, owner, timestamps and
  extended attributes (every ``*xattr*`` and ``*setattr*`` call, whatever
  its number), ``fallocate``, FIFOs and device nodes (``mknod``).

Runs in the zygote (building and compiling once: :func:`compiled`) and the
child (loading the compiled program with one system call); imports only the
standard library and, on Linux, ``pyseccomp`` (the system's libseccomp).
"""

import ctypes
import errno
import os

from .libc import libc

ALLOWED = (
    # memory and threads
    "brk", "mmap", "munmap", "mremap", "mprotect", "madvise", "msync", "mincore", "futex", "futex_waitv",
    "set_robust_list", "get_robust_list", "set_tid_address", "rseq", "membarrier", "sched_yield",
    "sched_getaffinity", "sched_getparam", "sched_getscheduler", "sched_get_priority_max",
    "sched_get_priority_min", "getpriority", "getcpu", "arch_prctl", "exit", "exit_group", "restart_syscall",
    # signals of its own
    "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigsuspend", "rt_sigpending", "rt_sigtimedwait",
    "sigaltstack", "alarm", "getitimer", "setitimer", "pause",
    # time and identity
    "clock_gettime", "clock_getres", "clock_nanosleep", "nanosleep", "gettimeofday", "time", "times",
    "getrusage", "sysinfo", "uname", "getrandom", "getpid", "getppid", "gettid", "getuid", "geteuid", "getgid",
    "getegid", "getresuid", "getresgid", "getgroups", "getpgrp", "getpgid", "getsid", "capget", "getrlimit",
    "setrlimit", "umask",
    # files (Landlock decides which ones)
    "read", "write", "pread64", "pwrite64", "readv", "writev", "preadv", "pwritev", "preadv2", "pwritev2",
    "lseek", "close", "close_range", "dup", "dup2", "dup3", "fcntl", "flock", "fsync", "fdatasync",
    "ftruncate", "truncate", "fadvise64", "sendfile", "copy_file_range", "open", "openat", "creat", "stat",
    "fstat", "lstat", "newfstatat", "statx", "statfs", "fstatfs", "access", "faccessat", "faccessat2",
    "readlink", "readlinkat", "getdents", "getdents64", "getcwd", "chdir", "fchdir", "mkdir", "mkdirat",
    "rmdir", "unlink", "unlinkat", "rename", "renameat", "renameat2", "link", "linkat", "symlink",
    "symlinkat", "pipe", "pipe2",
    # waiting on its own descriptors; its channel to the grader (a socket it was given)
    "poll", "ppoll", "select", "pselect6", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_wait",
    "epoll_pwait", "epoll_pwait2", "eventfd", "eventfd2", "wait4", "waitid", "socketpair", "sendto",
    "recvfrom", "sendmsg", "recvmsg", "shutdown", "getsockopt", "getsockname", "getpeername",
)
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
    # identity: a change of user or of capabilities would also clear the death signal
    "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setfsuid", "setfsgid", "setgroups",
    "capset",
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
    "getxattr", "lgetxattr", "fgetxattr", "listxattr", "llistxattr", "flistxattr",
    # the network (every family: the child already holds its channel)
    "socket",
)
#: prctl options a child may use: reading its own state, naming itself (``PR_SET_NAME``, ``PR_SET_VMA``).
PRCTL_ALLOWED = (2, 3, 7, 15, 16, 21, 23, 30, 39, 40, 42, 52, 0x53564D41)
PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET = 47, 1
#: ioctl requests a child may make on its own descriptors: TCGETS, TIOCGWINSZ, FIONREAD, FIONBIO, FIONCLEX, FIOCLEX.
IOCTL_ALLOWED = (0x5401, 0x5413, 0x541B, 0x5421, 0x5450, 0x5451)
#: Calls allowed on the calling process only (a first argument of 0): its own limits and CPU affinity.
OWN_PROCESS_ONLY = ("prlimit64", "sched_setaffinity")
CLONE_THREAD = 0x00010000
CLONE_NAMESPACES = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x80


def build():
    """The filter (a ``pyseccomp.SyscallFilter``), or None without libseccomp."""
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError, RuntimeError):  # no libseccomp on this machine
        return None
    syscalls = seccomp.SyscallFilter(defaction=seccomp.ERRNO(errno.ENOSYS))
    refuse, allow = seccomp.ERRNO(errno.EPERM), seccomp.ALLOW
    for name in ALLOWED:
        _rule(syscalls, allow, name)
    for name in DENIED:
        _rule(syscalls, refuse, name)
    for name in OWN_PROCESS_ONLY:
        _rule(syscalls, allow, name, seccomp.Arg(0, seccomp.EQ, 0))
        _rule(syscalls, refuse, name, seccomp.Arg(0, seccomp.NE, 0))
    for option in PRCTL_ALLOWED:
        _rule(syscalls, allow, "prctl", seccomp.Arg(0, seccomp.EQ, option))
    _rule(syscalls, allow, "prctl", seccomp.Arg(0, seccomp.EQ, PR_CAP_AMBIENT),
          seccomp.Arg(1, seccomp.EQ, PR_CAP_AMBIENT_IS_SET))
    for option in (1, 4, 36, 0x59616D61):  # PDEATHSIG, DUMPABLE, CHILD_SUBREAPER, PTRACER: a clear EPERM
        _rule(syscalls, refuse, "prctl", seccomp.Arg(0, seccomp.EQ, option))
    for request in IOCTL_ALLOWED:
        _rule(syscalls, allow, "ioctl", seccomp.Arg(1, seccomp.EQ, request))
    # A thread is a clone() with CLONE_THREAD and no namespace flag; anything else makes a process or a
    # namespace. clone3() is "not implemented" so that the C library falls back on clone() for threads.
    _rule(syscalls, allow, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_THREAD | CLONE_NAMESPACES, CLONE_THREAD))
    _rule(syscalls, refuse, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_THREAD, 0))
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
