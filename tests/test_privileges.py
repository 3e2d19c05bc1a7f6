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
from conftest import build, make_submission, sse_prefix
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


# --- extended attributes and every call a newer kernel adds ----------------------------------------

#: Calls libseccomp may not know by name: their numbers are the same on every architecture (Linux >= 6.13).
NEW_CALLS = {"statmount": 457, "setxattrat": 463, "removexattrat": 466, "file_setattr": 469}
ATTRIBUTE_CALLS = r'''
import ctypes, os, struct
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
victim, uid, gid = {victim!r}.encode(), os.getuid(), os.getgid()
open("own.txt", "w").write("mine")
fd = os.open("own.txt", os.O_RDWR)
acl = struct.pack("<I" + "HHI" * 3, 2, 0x01, 7, 0xFFFFFFFF, 0x04, 7, 0xFFFFFFFF, 0x20, 7, 0xFFFFFFFF)  # a=rwx
value = ctypes.create_string_buffer(acl, len(acl))
xattr_args = ctypes.create_string_buffer(struct.pack("<QII", ctypes.addressof(value), len(acl), 0), 16)
file_attr, request = ctypes.create_string_buffer(20), ctypes.create_string_buffer(64)
acl_name = b"system.posix_acl_access"
calls = {{
    "setxattr": (victim, acl_name, value, len(acl), 0), "lsetxattr": (victim, acl_name, value, len(acl), 0),
    "fsetxattr": (fd, b"user.x", value, 4, 0), "removexattr": (victim, acl_name),
    "lremovexattr": (victim, acl_name), "fremovexattr": (fd, b"user.x"),
    "setxattrat": (-100, victim, 0, acl_name, xattr_args, 16), "removexattrat": (-100, victim, 0, acl_name),
    "file_setattr": (-100, victim, file_attr, 20, 0), "statmount": (request, None, 0, 0),
    "chmod": (victim, 0o777), "fchmod": (fd, 0o777), "fchmodat": (-100, victim, 0o777),
    "fchmodat2": (-100, victim, 0o777, 0), "chown": (victim, uid, gid), "fchown": (fd, uid, gid),
    "lchown": (victim, uid, gid), "fchownat": (-100, victim, uid, gid, 0), "utime": (victim, None),
    "utimes": (victim, None), "futimesat": (-100, victim, None), "utimensat": (-100, victim, None, 0),
    "unknown": (),
}}
numbers = {numbers!r}
seen = {{}}
for name, args in calls.items():
    result = libc.syscall(numbers[name], *args)
    seen[name] = ctypes.get_errno() if result < 0 else 0
raise ValueError("SEEN " + " ".join(f"{{k}}={{v}}" for k, v in seen.items()))
'''


def syscall_numbers() -> dict:
    import pyseccomp

    names = ("setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr", "chmod", "fchmod",
             "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat", "utime", "utimes", "futimesat",
             "utimensat")
    return {**{n: pyseccomp.resolve_syscall(pyseccomp.Arch.NATIVE, n) for n in names}, **NEW_CALLS, "unknown": 1000}


@pytest.fixture
def victim():
    """A file outside every work folder that the children's user owns (their uid when the grader is not root):
    only the filter stands between a child and its mode, owner, times and ACL."""
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="victim-")
    os.chmod(folder, 0o711)
    path = os.path.join(folder, "secret.txt")
    with open(path, "w") as fh:
        fh.write("not yours")
    os.chmod(path, 0o600)
    if os.geteuid() == 0:
        os.chown(path, 65534, 65534)  # nobody, the default sandbox user
    before = (os.stat(path).st_mode, os.stat(path).st_uid, os.stat(path).st_mtime_ns, os.listxattr(path))
    yield path
    after = (os.stat(path).st_mode, os.stat(path).st_uid, os.stat(path).st_mtime_ns, os.listxattr(path))
    shutil.rmtree(folder)
    assert after == before


@pytest.mark.parametrize("mode", ["kernel", "no-namespaces"])
def test_every_attribute_call_and_every_unknown_call_is_refused(tmp_path, victim, mode):
    """Landlock does not govern extended attributes: setxattrat (Linux 6.13) once set a POSIX ACL on a file the
    sandbox user owns outside the work folder. The filter is an allowlist: calls it does not know, however new,
    fail too (statmount, which the kernel has, answers ENOSYS from a child)."""
    import errno

    code = ATTRIBUTE_CALLS.format(victim=victim, numbers=syscall_numbers())
    with Grader(limits=Limits(call_timeout=5.0, guard=False, disabled=MODES[mode]), exercises=("losses",)) as grader:
        result = grader.grade(build(tmp_path / "attacker", sse_prefix(code)))
        honest = grader.grade(make_submission(tmp_path / "honest"))
    message = next(t.message for e in result.exercises for t in e.tests if t.name == "sse_textbook")
    seen = dict(pair.split("=") for pair in message.split("SEEN ", 1)[1].split()[:23])
    assert {name: int(value) for name, value in seen.items() if int(value) not in (errno.EPERM, errno.ENOSYS)} == {}
    assert seen["statmount"] == seen["setxattrat"] == seen["file_setattr"] == str(errno.ENOSYS)
    assert honest.score == honest.max_score


# --- the allowlist leaves honest modules alone ------------------------------------------------------

BUSY_HONEST_MODULE = '''
import concurrent.futures, datetime, json, logging, os, pickle, random, secrets, shutil, sqlite3, tempfile
import threading, time, timeit
from collections import namedtuple
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

Point = namedtuple("Point", "x y", defaults=(0,))
figure, axes = plt.subplots()
axes.plot([1, 2, 3], [3, 1, 2], label="loss")
axes.legend()
figure.savefig("plot.png")
plt.close(figure)


def _work(seed):
    a = np.random.default_rng(seed).random((120, 120))
    return float(np.linalg.inv(a @ a.T + np.eye(120)).sum() + np.linalg.svd(a)[1].sum())


threads = [threading.Thread(target=_work, args=(i,)) for i in range(4)]
[t.start() for t in threads]
[t.join() for t in threads]
with concurrent.futures.ThreadPoolExecutor(4) as pool:
    list(pool.map(_work, range(4)))
os.makedirs("d/e", exist_ok=True)
with open("d/e/f.txt", "w") as fh:
    fh.write("hello")
os.rename("d/e/f.txt", "d/g.txt")
shutil.rmtree("d")
with tempfile.TemporaryDirectory() as folder:
    np.save(os.path.join(folder, "a.npy"), np.arange(5))
    np.load(os.path.join(folder, "a.npy"))
pickle.loads(pickle.dumps({"a": np.arange(3)}))
json.dumps({"a": 1})
time.sleep(0.01)
datetime.datetime.now(), random.random(), secrets.token_bytes(8), os.urandom(8), os.cpu_count()
sqlite3.connect(":memory:").execute("select 1").fetchall()
timeit.timeit("1 + 1", number=100)
logging.getLogger("x").warning("경고")
print("출력", np.arange(3))
'''


@pytest.mark.parametrize("mode", ["kernel", "walked-disk"])
def test_a_busy_honest_module_keeps_full_marks(tmp_path, mode):
    """Plots with a legend, threads (numpy's included), files renamed and removed in its own folder, temporary
    folders, pickle, sqlite in memory, sleeping: nothing an honest module does is refused, hook on."""
    path = make_submission(tmp_path / "busy")
    losses = path / "exercises" / "losses.py"
    losses.write_text(BUSY_HONEST_MODULE + losses.read_text(encoding="utf-8"), encoding="utf-8")
    with Grader(limits=Limits(call_timeout=20.0, disabled=MODES[mode])) as grader:
        result = grader.grade(path)
    assert result.score == result.max_score, [t.message for e in result.exercises for t in e.tests if t.message]
