"""What a child can really do, seen from inside it, checked against the isolation level the grader printed.

A submission whose ``sum_squared_error`` (audit hook off, so that only the
kernel layers answer) reports its uid, pid, capabilities, ``no_new_privs``,
its work folder's size, whether it can read ``/etc/passwd``, and the errno of
each thing it must not be able to do: raise its priority (``nice(-1)``),
switch to ``SCHED_FIFO``, send a UDP datagram to a listener on 127.0.0.1,
open a raw socket, run native code from memory (``memfd_create`` +
``execveat``) or from a file, ``unshare`` a user namespace, ``mount``, signal
its parent. :func:`contradictions` lists every claim of the level the child's
view contradicts. Run as a script (``python tests/isolation_probe.py PORT
[DISABLED]``), it prints ``{"level": ..., "observed": ...}`` as JSON: the
degraded-kernel tests run it under ``tests/without_userns.py``.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DISK_MB = 8
PROBE = r'''
import ctypes, os, socket, struct
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long


class _Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _Data(ctypes.Structure):
    _fields_ = [("e", ctypes.c_uint32), ("p", ctypes.c_uint32), ("i", ctypes.c_uint32)]


header, data = _Header(0x20080522, 0), (_Data * 2)()
libc.capget(ctypes.byref(header), data)
seen = {"uid": os.getuid(), "pid": os.getpid(), "eff": data[0].e | data[1].e, "prm": data[0].p | data[1].p,
        "inh": data[0].i | data[1].i, "bnd": sum(libc.prctl(23, c, 0, 0, 0) == 1 for c in range(64)),
        "amb": sum(libc.prctl(47, 1, c, 0, 0) == 1 for c in range(64)), "nnp": libc.prctl(39, 0, 0, 0, 0)}
stats = os.statvfs(".")
seen["work_bytes"] = stats.f_blocks * stats.f_frsize
# A static x86-64 program that exits at once: what would run if execveat were allowed.
code = bytes.fromhex("bf2a000000b83c0000000f05")
elf = struct.pack("<4s5B7xHHIQQQIHHHHHH", b"\x7fELF", 2, 1, 1, 0, 0, 2, 0x3E, 1, 0x400078, 64, 0, 0, 64, 56, 1,
                  0, 0, 0) + struct.pack("<IIQQQQQQ", 1, 5, 0, 0x400000, 0x400000, 120 + len(code),
                                         120 + len(code), 0x1000) + code
EXECVEAT = {"x86_64": 322, "aarch64": 281}.get(os.uname().machine, -1)


def _errno(action):
    try:
        result = action()
    except OSError as exc:
        return exc.errno
    return ctypes.get_errno() if isinstance(result, int) and result < 0 else 0


def _exec_from(fd):
    os.write(fd, elf)
    argv = (ctypes.c_char_p * 2)(b"x", None)
    return libc.syscall(EXECVEAT, fd, b"", argv, argv, 0x1000)  # AT_EMPTY_PATH


def _memfd():
    fd = libc.memfd_create(b"x", 0)
    return fd if fd < 0 else _exec_from(fd)


def _udp():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.sendto(b"from a child", ("127.0.0.1", {port}))


seen.update(
    passwd=_errno(lambda: open("/etc/passwd").close()),
    nice=_errno(lambda: os.nice(-1) and 0),
    fifo=_errno(lambda: os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(1))),
    udp=_errno(_udp),
    raw=_errno(lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP).close()),
    memfd=_errno(_memfd),
    execveat=_errno(lambda: _exec_from(os.open("program", os.O_RDWR | os.O_CREAT, 0o700))),
    unshare=_errno(lambda: libc.unshare(0x10000000)),
    mount=_errno(lambda: libc.mount(b"none", os.getcwd().encode(), b"tmpfs", 0, None)),
    kill=_errno(lambda: os.kill(os.getppid(), 0)),
)
raise ValueError("SEEN " + " ".join(f"{k}={v}" for k, v in seen.items()))
'''
#: What a child must never manage, whatever the level (seccomp refuses each with EPERM).
REFUSED = ("nice", "fifo", "udp", "raw", "memfd", "execveat", "unshare", "mount", "kill")


def submission(folder: Path, port: int) -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import build, sse_prefix

    return build(folder, sse_prefix(PROBE.replace("{port}", str(port))))


def observe(grader, folder: Path, port: int) -> dict:
    """Grade the probe and read back what its child saw."""
    from conftest import failing

    message = failing(grader.grade(submission(folder, port)))["sse_textbook"].message
    found = re.search(r"SEEN ((?:\w+=-?\d+ ?)+)", message)
    assert found, message
    return {k: int(v) for k, v in (pair.split("=") for pair in found.group(1).split())}


def contradictions(level: str, seen: dict, disk_mb: int = DISK_MB) -> list[str]:
    """Every claim of ``level`` the child's own view contradicts, and every privilege it kept."""
    import pwd

    tokens, wrong = level.split("+"), []
    claims = {
        "landlock": (any(t.startswith("landlock-abi") for t in tokens), seen["passwd"] == 13),
        "pidns": ("pidns" in tokens, seen["pid"] == 1),
        # a tmpfs of the budget plus the grader's copies of the sources (well under 1 MB)
        "disk-tmpfs": ("disk-tmpfs" in tokens, 0 <= seen["work_bytes"] - disk_mb * 1024 * 1024 < 1024 * 1024),
    }
    wrong += [f"{name}: claimed {claimed}, seen {held}" for name, (claimed, held) in claims.items() if claimed != held]
    if "seccomp" in tokens:
        wrong += [f"{name} errno {seen[name]}" for name in REFUSED if seen[name] != 1]
    if "nocaps" in tokens and (seen["eff"] or seen["prm"] or seen["inh"] or seen["amb"] or seen["nnp"] != 1):
        wrong.append(f"capabilities kept: {seen}")
    user = next((t[5:] for t in tokens if t.startswith("user:")), None)
    expected_uid = pwd.getpwnam(user).pw_uid if user else (0 if "root-nocaps" in tokens else os.geteuid())
    wrong += [f"uid {seen['uid']}, expected {expected_uid}"] if seen["uid"] != expected_uid else []
    if seen["uid"] == 0 and "root-nocaps" not in tokens:
        wrong.append("a child runs as root and the level does not say so")
    if (os.geteuid() == 0 or "userns" in tokens) and seen["bnd"]:
        wrong.append(f"{seen['bnd']} capabilities left in the bounding set")
    return wrong


def main(port: int, disabled: tuple) -> None:
    sys.path.insert(0, str(ROOT))
    from autograder.grade.engine import Grader
    from autograder.protocol import Limits

    import tempfile

    with Grader(limits=Limits(call_timeout=5.0, guard=False, disk_mb=DISK_MB, disabled=disabled),
                exercises=("losses",)) as grader:
        seen = observe(grader, Path(tempfile.mkdtemp()) / "probe", port)
        print(json.dumps({"level": grader.isolation, "shortfalls": grader.shortfalls, "observed": seen}))


if __name__ == "__main__":
    main(int(sys.argv[1]), tuple(filter(None, (sys.argv[2] if len(sys.argv) > 2 else "").split(","))))
