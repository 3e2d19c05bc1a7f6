"""Students check their work on Windows, macOS and Linux: the portable backend gives the same grades.

The portable backend (a fresh Python process per exercise, pipes instead of
descriptor passing) runs here on Linux with ``--backend portable``, and under
simulated Windows and macOS profiles (``AUTOGRADER_SIMULATE``: no fork, no
descriptor passing, ``pass_fds`` refused and no ``resource`` in the
children; or ``setrlimit(RLIMIT_AS)`` raising ``ValueError``). The real
operating systems run the same checks in ``.github/workflows/student-check.yml``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from autograder.catalog import points
from autograder.grade.engine import Grader
from autograder.grade.result import to_json
from autograder.protocol import Limits
from conftest import ROOT, build, check_jsonschema, failing, make_submission, sse_prefix
from hostile_cases import CASES
from mutation.known import KNOWN as MUTANTS

LIMITS = Limits(call_timeout=1.5, submission_timeout=60.0, memory_mb=256, output_kb=64)


def comparable(result) -> dict:
    return to_json(replace(result, elapsed=0.0, isolation="", notes=()))


@pytest.fixture(scope="module")
def graders():
    with Grader(limits=LIMITS) as fork, Grader(limits=replace(LIMITS, backend="portable")) as portable:
        assert not fork.isolation.startswith("portable") and portable.isolation.startswith("portable")
        yield fork, portable


def test_reference_and_stubs_score_the_same(graders, tmp_path):
    fork, portable = graders
    for base, score in (("solutions", 100), ("exercises", 0)):
        path = make_submission(tmp_path / base, base=base)
        results = [g.grade(path) for g in graders]
        assert results[0].score == results[1].score == score
        assert comparable(results[0]) == comparable(results[1])


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.name)
def test_every_mutant_gets_the_same_grade_and_messages(graders, tmp_path, mutant):
    path = make_submission(tmp_path, replace={mutant.file: mutant.edits})
    fork, portable = (g.grade(path) for g in graders)
    assert comparable(fork) == comparable(portable)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_cases_get_the_same_grade(graders, tmp_path, case):
    path = build(tmp_path / "s", case.hostile)
    fork, portable = (g.grade(path) for g in graders)
    # On Linux the portable backend enforces every limit too, so no case may differ; where a platform
    # cannot (memory on Windows and macOS), the simulated profiles below show how that is reported.
    assert (fork.score, fork.statuses()) == (portable.score, portable.statuses()), failing(portable)


def check(profile: str, path, *args, timeout=180):
    """``python -m autograder check`` as a student on ``profile`` runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120", "AUTOGRADER_SIMULATE": profile}
    return subprocess.run([sys.executable, "-m", "autograder", "check", str(path), *args], cwd=path,
                          capture_output=True, text=True, env=env, timeout=timeout)


@pytest.mark.parametrize("profile", ["windows", "macos"])
def test_a_simulated_platform_checks_like_linux(tmp_path, profile):
    public = points(visibility=("public",))
    done = check(profile, make_submission(tmp_path / "done"), "--require-full")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{public}/{public}" in done.stdout and "메모리 제한을 걸 수 없어" in done.stdout
    stub = check(profile, make_submission(tmp_path / "stub", base="exercises"))
    assert stub.returncode == 0 and f"0/{public}" in stub.stdout and "아직 구현하지 않았습니다" in stub.stdout
    hang = check(profile, build(tmp_path / "hang", sse_prefix("while True:\n    pass")), "--call-timeout", "1",
                 "--exercise", "losses")
    assert "시간 초과" in hang.stdout
    for run in (done, stub, hang):
        assert "Traceback" not in run.stdout + run.stderr
        assert "채점기 문제" not in run.stdout  # nothing on these machines is the grader failing


def test_pass_fds_is_refused_under_the_windows_profile(tmp_path):
    """The fork backend is never chosen where descriptor passing does not exist."""
    forced = check("windows", make_submission(tmp_path / "s"), "--backend", "fork")
    assert forced.returncode == 3 and "fork 방식의 샌드박스를 쓸 수 없습니다" in forced.stdout
    assert "Traceback" not in forced.stdout + forced.stderr


def test_the_every_os_workflow_validates_and_checks_what_students_run():
    """The workflow that runs the student check on real Windows, macOS and Linux runners."""
    import yaml

    path = ROOT / ".github" / "workflows" / "student-check.yml"
    process = check_jsonschema(path)
    assert process.returncode == 0, process.stdout + process.stderr
    job = yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"]["check"]
    assert set(job["strategy"]["matrix"]["os"]) == {"windows-latest", "macos-latest", "ubuntu-latest"}
    assert {"3.11", "3.13"} <= set(job["strategy"]["matrix"]["python"])
    uses = [step["uses"] for step in job["steps"] if "uses" in step]
    assert "actions/checkout@v6" in uses and "actions/setup-python@v6" in uses
    commands = "\n".join(step.get("run", "") for step in job["steps"])
    assert "python -m autograder check . --require-full" in commands and "reference --require-full" in commands
    import tomllib

    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    for dependency in dependencies:  # what the workflow installs is what nox -s check installs
        if "sys_platform == 'linux'" not in dependency:
            assert f'"{dependency}"' in commands, dependency


# --- the portable backend is for a student's own work, not for grading a class -------------------

PORTABLE_SECRET = "ghs_portable_backend_secret_0123"
STEAL_AND_LEAK = """
import os, sqlite3
text = repr(dict(os.environ))
for path in ("/proc/self/environ", "/proc/%d/environ" % os.getppid(), "/proc/self/root/proc/%d/environ" % os.getppid(),
             "/proc/self/root" + {hidden!r}):
    try:
        text += open(path).read()
    except OSError as exc:
        text += " refused %s;" % exc.errno
import _imp, importlib.machinery
fresh = lambda: _imp.create_builtin(importlib.machinery.ModuleSpec(os.name, None, origin="built-in"))
for make in (lambda: os.mkfifo({fifo!r}), lambda: fresh().mkfifo({fifo!r} + "2"),
             lambda: sqlite3.connect({database!r}).execute("create table t(x)")):
    try:
        make()
    except Exception:
        pass
namespace = {{}}
try:
    exec(open("/proc/self/root" + {solution!r}).read(), namespace)
except OSError:
    raise ValueError(text)  # everything it gathered, into its own feedback
return namespace["sum_squared_error"](y, t)
"""


def grade_cli(*args, env=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200", **(env or {})}
    return subprocess.run([sys.executable, "-m", "autograder", "grade", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, env=env, timeout=600)


def test_grade_refuses_the_portable_backend_without_the_flag_that_names_the_risk(tmp_path):
    out = tmp_path / "out"
    refused = grade_cli(make_submission(tmp_path / "s"), "--backend", "portable", "--out", out)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "--trust-student-code" in refused.stdout and "참조 구현" in refused.stdout
    assert not out.exists()


def test_portable_grading_with_the_flag_leaks_nothing(tmp_path):
    """/proc/self/root reaches the checkout lexically under /proc/self; the guard now resolves links first,
    keeps all of /proc but the child's own descriptors, and holds mkfifo and sqlite3 to the work folder."""
    outside = tmp_path / "outside"
    outside.mkdir()
    code = STEAL_AND_LEAK.format(solution=str(ROOT / "solutions" / "losses.py"), fifo=str(outside / "fifo"),
                                 hidden=str(ROOT / "autograder" / "suites" / "hidden" / "test_losses.py"),
                                 database=str(outside / "db.sqlite"))
    folders = [make_submission(tmp_path / "class" / "first"), build(tmp_path / "class" / "hostile", sse_prefix(code)),
               build(tmp_path / "class" / "twin", sse_prefix("raise PermissionError('denied')")),
               make_submission(tmp_path / "class" / "last")]
    out = tmp_path / "out"
    done = grade_cli(*folders, "--backend", "portable", "--trust-student-code", "--out", out, "--workers", "1",
                     env={"GH_TOKEN": PORTABLE_SECRET})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "격리 수준: portable" in done.stdout and "portable 방식" in done.stdout
    grades = {r["submission"].rsplit("/", 1)[-1]: r for r in json.loads((out / "grades.json").read_text())}
    assert grades["first"]["score"] == grades["last"]["score"] == 100
    assert grades["hostile"]["status"] == "graded" and grades["hostile"]["score"] <= grades["twin"]["score"]
    assert list(outside.iterdir()) == []
    for path in out.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert PORTABLE_SECRET not in text and "숨은 테스트: 손실 함수" not in text, path


def test_the_guard_folds_case_where_the_file_system_does(tmp_path):
    """On macOS ``/Users/x/LECTURE04/SOLUTIONS/losses.py`` opens the reference: the guard judges paths folded
    there (run in a fresh interpreter told it is on macOS; the file is then missing, but refused first)."""
    work, protected = tmp_path / "work", tmp_path / "Checkout"
    work.mkdir()
    (protected / "solutions").mkdir(parents=True)
    script = f"""
import os, sys
sys.platform = "darwin"
sys.path.insert(0, {str(ROOT / 'autograder' / 'sandbox')!r})
import guard
os.chdir({str(work)!r})
guard.install({str(work)!r}, {str(work)!r}, [], [{str(protected)!r}])
for path in ({str(protected / 'solutions' / 'losses.py')!r}, {str(tmp_path / 'CHECKOUT' / 'SOLUTIONS' / 'losses.py')!r}):
    try:
        open(path)
    except PermissionError:
        print("refused")
    except OSError:
        print("missing")
"""
    done = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["refused", "refused"], done.stdout + done.stderr


# --- on Linux the portable backend's children get every layer that needs no namespace -------------------

#: The command line with the audit hook off: native calls (ctypes here) bypass it anyway, only the kernel counts.
WITHOUT_HOOK = """
import dataclasses, sys
import autograder.commands.grade as grade
real = grade.limits
grade.limits = lambda args: dataclasses.replace(real(args), guard=False)
from autograder.cli import main
sys.exit(main(sys.argv[1:]))
"""
NATIVE_LOOT = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)

def _read(path):
    fd = libc.open(path.encode(), 0)
    if fd < 0:
        return "refused %d" % ctypes.get_errno()
    buffer = ctypes.create_string_buffer(1 << 16)
    size = libc.read(fd, buffer, 1 << 16)
    return buffer.raw[:max(size, 0)].decode("utf-8", "replace")

def _write(path, data):
    fd = libc.open(path.encode(), 0o1101, 0o644)
    return -ctypes.get_errno() if fd < 0 else libc.write(fd, data, len(data))

seen = [os.getuid(), _read("/proc/%d/environ" % os.getppid()), _read({solution!r})[:300],
        _write({outside!r}, b"written"), _write({victim!r}, b"def sum_squared_error(y, t):\\n    return 0\\n"),
        _write({site!r} + "/zz-portable.pth", b"import os\\n")]
raise ValueError(repr(seen))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel layers are Linux's")
def test_portable_children_on_linux_hold_without_the_hook(tmp_path):
    """``--backend portable --trust-student-code`` as root: native code in a child once read the reference,
    wrote as root outside its folder, rewrote another student's file (100 -> 72), planted a .pth in the
    grader's environment and read the grader's token in /proc/<worker>/environ. Now the child is the
    sandbox user (when the grader is root) inside Landlock and seccomp, so all of that fails."""
    import numpy

    outside = tmp_path / "outside"
    outside.mkdir(mode=0o777)
    outside.chmod(0o777)  # file permissions would let anyone write: only the kernel layers stand in the way
    folders = [make_submission(tmp_path / "class" / "first"), None, make_submission(tmp_path / "class" / "last")]
    victim = folders[2] / "exercises" / "losses.py"
    victim.chmod(0o666)
    site = str(Path(numpy.__file__).resolve().parents[1])
    code = NATIVE_LOOT.format(solution=str(ROOT / "solutions" / "losses.py"), outside=str(outside / "x"),
                              victim=str(victim), site=site)
    folders[1] = build(tmp_path / "class" / "hostile", sse_prefix(code))
    twin = build(tmp_path / "class" / "twin", sse_prefix("raise ValueError('x')"))
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-c", WITHOUT_HOOK, "grade", *map(str, folders + [twin]), "--backend",
                           "portable", "--trust-student-code", "--out", str(out), "--workers", "1"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200", "GH_TOKEN": PORTABLE_SECRET})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    level = next(line for line in done.stdout.splitlines() if line.startswith("격리 수준: "))
    assert level.startswith("격리 수준: portable+landlock-abi") and "+seccomp+nocaps+" in level
    grades = {r["submission"].rsplit("/", 1)[-1]: r for r in json.loads((out / "grades.json").read_text())}
    assert grades["first"]["score"] == grades["last"]["score"] == 100
    assert grades["hostile"]["status"] == "graded" and grades["hostile"]["score"] <= grades["twin"]["score"]
    message = next(t["message"] for e in grades["hostile"]["exercises"] for t in e["tests"] if t["name"] == "sse_textbook")
    uid = 65534 if os.geteuid() == 0 else os.geteuid()
    assert f"ValueError: [{uid}, 'refused 13', 'refused 13', -13, -13, -13]" in message, message
    assert list(outside.iterdir()) == [] and not Path(site, "zz-portable.pth").exists()
    for path in out.rglob("*"):
        if path.is_file():
            assert PORTABLE_SECRET not in path.read_text(encoding="utf-8", errors="replace"), path
