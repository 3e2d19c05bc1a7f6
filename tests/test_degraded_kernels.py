"""Where the kernel refuses user namespaces (Ubuntu 23.10+, Docker), grading stays safe or is refused.

The grader runs under ``tests/without_userns.py``, a launcher whose seccomp
filter refuses user namespaces (``--no-namespaces``: every namespace and
``mount``, as Docker's default profile does) for the grader and everything it
starts. Then a class with a hostile submission between honest ones is graded
from the command line, and the isolation probe checks from inside a child
that every layer the printed level claims really holds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, build, make_submission, sse_prefix
from isolation_probe import contradictions

LAUNCHER = ROOT / "tests" / "without_userns.py"
KERNELS = {"no-userns": [], "no-namespaces": ["--no-namespaces"]}
SECRET = "ghs_degraded_kernel_secret_0123"
PRIORITY = """
import os, socket
tried = []
for name, action in (("nice", lambda: os.nice(-1)),
                     ("fifo", lambda: os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(1))),
                     ("udp", lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", {port})))):
    try:
        action()
        tried.append(name + " ok")
    except OSError as exc:
        tried.append("%s errno %d" % (name, exc.errno))
raise PermissionError(", ".join(tried))
"""


def under(kernel: str, *command, env=None, timeout=600):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200", **(env or {})}
    return subprocess.run([sys.executable, str(LAUNCHER), *KERNELS[kernel], "--", sys.executable, *command],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=timeout)


@pytest.mark.parametrize("kernel", list(KERNELS))
def test_the_printed_level_holds_inside_a_child(kernel, listener):
    done = under(kernel, str(ROOT / "tests" / "isolation_probe.py"), str(listener))
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert "userns" not in report["level"]
    assert contradictions(report["level"], report["observed"]) == [], report


@pytest.mark.parametrize("kernel", list(KERNELS))
def test_a_hostile_submission_between_honest_ones_costs_only_itself(kernel, tmp_path, listener):
    class_folder = tmp_path / "class"
    folders = [make_submission(class_folder / "first"),
               build(class_folder / "hostile", sse_prefix(PRIORITY.replace("{port}", str(listener)))),
               build(class_folder / "twin", sse_prefix("raise PermissionError('denied')")),
               make_submission(class_folder / "last")]
    out = tmp_path / "out"
    command = ["-m", "autograder", "grade", *map(str, folders), "--out", str(out), "--call-timeout", "5"]
    first = under(kernel, *command, env={"GH_TOKEN": SECRET})
    if first.returncode == 2:  # below class level here: refused, and said why
        assert "--trust-student-code" in first.stdout and "격리 수준:" in first.stdout, first.stdout
        assert not (out / "grades.json").exists()
        first = under(kernel, *command, "--trust-student-code", env={"GH_TOKEN": SECRET})
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    grades = {r["submission"].rsplit("/", 1)[-1]: r for r in json.loads((out / "grades.json").read_text())}
    assert grades["first"]["score"] == grades["last"]["score"] == 100
    assert grades["hostile"]["status"] == "graded" and grades["hostile"]["score"] <= grades["twin"]["score"]
    message = next(t["message"] for e in grades["hostile"]["exercises"] for t in e["tests"]
                   if t["name"] == "sse_textbook")
    assert "nice errno 1" in message and "fifo errno 1" in message and "udp errno 1" in message, message
    assert "userns" not in grades["first"]["isolation"]
    for path in out.rglob("*"):
        assert not path.is_file() or SECRET not in path.read_text(encoding="utf-8", errors="replace"), path
