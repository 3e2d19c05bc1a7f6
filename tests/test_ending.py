"""Forcing the grader to end ends every process it started, whatever student code did to stay alive.

A child that clears its death signal (``prctl(PR_SET_PDEATHSIG, 0)``) used
to outlive Ctrl-C, SIGTERM and SIGHUP of the grader. Now its seccomp filter
refuses that prctl, the grader treats SIGTERM and SIGHUP like Ctrl-C, and the
batch parent kills every process of the run itself, as a child subreaper
(no worker needs to be alive for that). The audit hook is off here: it is no
boundary, only the kernel and the grader's own processes count.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from conftest import ROOT, build, make_submission, sse_prefix

#: The command line with the audit hook off (the trap calls prctl through ctypes, which the hook refuses)
#: and the layers named in $DISABLED left off.
WITHOUT_HOOK = """
import dataclasses, os, sys
import autograder.commands.grade as grade
real = grade.limits
disabled = tuple(filter(None, os.environ.get("DISABLED", "").split(",")))
grade.limits = lambda args: dataclasses.replace(real(args), guard=False, disabled=disabled)
from autograder.cli import main
sys.exit(main(sys.argv[1:]))
"""
TRAP = """
import ctypes
_libc = ctypes.CDLL(None, use_errno=True)
_libc.prctl(1, 0, 0, 0, 0)  # PR_SET_PDEATHSIG: no death signal any more
_libc.prctl(15, {marker!r}.encode(), 0, 0, 0)  # PR_SET_NAME: how the test finds this process
"""
ZYGOTE = str(ROOT / "autograder" / "sandbox" / "zygote.py")


def named(marker: str) -> list[psutil.Process]:
    """Live processes called ``marker`` (a zombie left to an init that never reaps runs nothing)."""
    return [p for p in psutil.process_iter(["name", "status"])
            if p.info["name"] == marker and p.info["status"] != psutil.STATUS_ZOMBIE]


def zygotes() -> set[int]:
    return {p.pid for p in psutil.process_iter(["cmdline", "status"])
            if ZYGOTE in " ".join(p.info["cmdline"] or []) and p.info["status"] != psutil.STATUS_ZOMBIE}


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.parametrize("disabled", ["", "namespaces"], ids=["kernel", "no-namespaces"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_a_child_that_clears_its_death_signal_dies_with_the_grader(tmp_path, signum, disabled):
    """Without PID namespaces nothing but the death signal and the grader's own sweep end the child."""
    marker = f"trap-{signum.name[3:].lower()}{len(disabled)}"
    honest = make_submission(tmp_path / "class" / "honest")
    trap = build(tmp_path / "class" / "trap", sse_prefix("import time\ntime.sleep(600)"))
    losses = trap / "exercises" / "losses.py"
    losses.write_text(TRAP.format(marker=marker) + losses.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "tmp").mkdir()
    before = zygotes()
    grader = subprocess.Popen(
        [sys.executable, "-c", WITHOUT_HOOK, "grade", str(honest), str(trap), "--out", str(tmp_path / "out"),
         "--workers", "1", "--call-timeout", "300", "--submission-timeout", "600", "--trust-student-code"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path / "tmp"), "DISABLED": disabled},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_for(lambda: named(marker), 120), "the trap never ran"
        grader.send_signal(signum)
        output, _ = grader.communicate(timeout=60)
    finally:
        if grader.poll() is None:
            grader.kill()
            grader.wait()
    assert grader.returncode == 130, output
    assert "중단됨: 1/2개 채점 완료" in output
    assert wait_for(lambda: not named(marker) and not zygotes() - before, 15), \
        [p.info for p in named(marker)] + sorted(zygotes() - before)
    saved = json.loads((tmp_path / "out" / "state" / "honest.json").read_text(encoding="utf-8"))
    assert saved["result"]["score"] == 100  # finished work is kept, as with Ctrl-C
    left = [p.name for p in (tmp_path / "tmp").iterdir() if not p.name.startswith("autograder-matplotlib-")]
    assert left == []  # the workers' work folders went with them


def test_killing_a_dead_zygotes_cgroups_ends_every_process_in_them():
    """The batch parent's last resort for a zygote that is gone: every process left in its cgroups is killed,
    through cgroup.kill where the kernel has it (cgroup v2) and by listing the groups where it has not (v1)."""
    from autograder.sandbox.cgroups import PidsCgroups

    groups = PidsCgroups.create()
    if groups is None:
        pytest.skip("this machine lets no process create pids cgroups (the level then has no 'pids')")
    stray = [subprocess.Popen(["sleep", "60"]) for _ in range(3)]
    try:
        os.makedirs(os.path.join(groups.base, "4242", "host"))  # a submission group, as a keeper makes it
        for process, folder in zip(stray, (groups.base, os.path.join(groups.base, "4242"), os.path.join(groups.base, "4242", "host"))):
            with open(os.path.join(folder, "cgroup.procs"), "w") as fh:
                fh.write(str(process.pid))
        assert groups.members() == {p.pid for p in stray}
        groups.kill()
        assert [p.wait(timeout=10) for p in stray] == [-signal.SIGKILL] * 3
        assert groups.members() == set()
    finally:
        for process in stray:
            process.kill()
            process.wait()
        groups.close()
    assert not os.path.exists(groups.base)
