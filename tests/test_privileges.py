"""No child holds a privilege the grader's user had beyond its own folder, and the level says what holds.

Each mode's child reports what it can do from inside (``isolation_probe.py``,
audit hook off so that only the kernel answers): its uid, capabilities,
``no_new_privs``, and the errno of raising its priority, ``SCHED_FIFO``, a UDP
datagram to a listener started here, a raw socket, native code from memory
(``memfd_create`` + ``execveat``), ``unshare``, ``mount`` and signalling its
parent. Every claim of the printed level must hold in the child, the listener
must receive nothing, and an honest twin graded by the same grader keeps full marks.
"""

from __future__ import annotations

import json
import os

import pytest

from autograder.grade.engine import Grader
from autograder.protocol import Limits
from conftest import make_submission
from isolation_probe import DISK_MB, contradictions, observe

MODES = {
    "kernel": (),
    "walked-disk": ("tmpfs",),
    "no-namespaces": ("namespaces",),
    "hook-era-machine": ("landlock", "namespaces"),
}


@pytest.mark.parametrize("mode", list(MODES))
def test_the_level_is_true_and_no_privilege_is_kept(tmp_path, listener, mode):
    limits = Limits(call_timeout=5.0, guard=False, disk_mb=DISK_MB, disabled=MODES[mode])
    with Grader(limits=limits, exercises=("losses",)) as grader:
        seen = observe(grader, tmp_path / "probe", listener)
        honest = grader.grade(make_submission(tmp_path / "honest"))
        level, shortfalls = grader.isolation, grader.shortfalls
    assert contradictions(level, seen) == [], (level, seen)
    assert honest.score == honest.max_score
    assert "seccomp" in level and "nocaps" in level  # every mode here keeps both
    assert ("landlock" in shortfalls) == ("landlock" not in level)


#: Calls with arguments that make them fail harmlessly when they are allowed (a bad magic number, a bad
#: descriptor, null pointers): refused by the filter they say EPERM before the kernel looks at them.
HARMLESS_CALLS = {
    "reboot": (0, 0, 0, 0), "init_module": (0, 0, 0), "finit_module": (-1, 0, 0), "delete_module": (0, 0),
    "kexec_load": (0, 0, 0, 0xFFFF), "settimeofday": (0, 0), "clock_settime": (0, 0), "clock_adjtime": (0, 0),
    "sethostname": (0, 1 << 20), "setdomainname": (0, 1 << 20), "iopl": (99,), "ioperm": (1 << 30, 1, 0),
    "unshare": (0,), "setns": (-1, 0), "mount": (0, 0, 0, 0, 0), "umount2": (0, 0), "chroot": (0,),
    "memfd_create": (0, 0), "execveat": (-1, 0, 0, 0, 0), "execve": (0, 0, 0), "socket": (1, 1, 0),
    "sched_setscheduler": (0, 99, 0), "sched_setattr": (0, 0, 0), "setpriority": (99, 0, 0),
    "kill": (-1 << 30, 0), "pidfd_open": (-1, 0), "open_by_handle_at": (-1, 0, 0), "mknodat": (-1, 0, 0, 0),
    "swapon": (0, 0), "acct": (-1 << 40,), "syslog": (99, 0, 0),
}


def test_the_filter_refuses_every_call_it_lists():
    """Each call, with harmless arguments, from a process holding root's capabilities: without the filter the
    kernel answers otherwise (EINVAL, EFAULT, EBADF, a descriptor...), with it EPERM."""
    import ctypes
    import errno

    import pyseccomp

    from autograder.sandbox import syscalls

    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long

    def answers(filtered: bool) -> dict:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                if filtered:
                    syscalls.build().load()
                seen = {}
                for name, args in HARMLESS_CALLS.items():
                    number = pyseccomp.resolve_syscall(pyseccomp.Arch.NATIVE, name)
                    result = libc.syscall(number, *(ctypes.c_long(a) for a in args))
                    seen[name] = ctypes.get_errno() if result < 0 else 0
                os.write(write, json.dumps(seen).encode())
            finally:
                os._exit(0)
        os.close(write)
        data = b""
        while chunk := os.read(read, 65536):
            data += chunk
        os.waitpid(pid, 0)
        os.close(read)
        return json.loads(data)

    refused, open_ = answers(True), answers(False)
    assert {n: e for n, e in refused.items() if e != errno.EPERM} == {}
    if os.geteuid() == 0:  # with every capability the kernel itself never says EPERM to these arguments
        assert {n: e for n, e in open_.items() if e == errno.EPERM} == {}
