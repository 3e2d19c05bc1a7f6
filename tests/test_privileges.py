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

import socket

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


@pytest.fixture
def listener():
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    udp.setblocking(False)
    yield udp.getsockname()[1]
    try:
        received = udp.recv(100)
    except BlockingIOError:
        received = None
    udp.close()
    assert received is None, f"the listener received {received!r}"


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
