"""The gradebook survives: grader failures never become grades, re-runs never lie, failures are loud."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from autograder.grade import batch as batch_module
from autograder.grade.batch import MAX_ATTEMPTS, Batch
from autograder.grade.engine import Grader
from autograder.exports.gradebook import write_json
from autograder.protocol import GraderFault, Limits
from conftest import FAST, ROOT, build, make_submission, run_cli, sse_prefix
from hostile_cases import NAME_SELF, named


def cli(*args, cwd=None, env=None, timeout=300):
    return run_cli(*args, cwd=cwd, env=env, timeout=timeout)


def gradebook(out: Path) -> dict:
    return {Path(r["submission"]).name: r for r in json.loads((out / "grades.json").read_text(encoding="utf-8"))}


# --- failures of the grader are never grades -------------------------------------------


def flaky_grade(marker_dir: Path, failures: int, how: str):
    """A Grader.grade that fails ``failures`` times for folders named unlucky*, the way ``how`` says."""
    original = Grader.grade

    def grade(self, path, label=None):
        if Path(path).name.startswith("unlucky"):
            count = len(list(marker_dir.glob(f"{Path(path).name}-*")))
            if count < failures:
                (marker_dir / f"{Path(path).name}-{count}").touch()
                if how == "fault":
                    raise GraderFault("the sandbox process did not answer (simulated)")
                if how == "stop":
                    os.kill(os.getpid(), signal.SIGSTOP)
                if how == "die":
                    os._exit(9)
        return original(self, path, label)

    return grade


@pytest.mark.parametrize("how", ["fault", "die", "stop"])
def test_a_grader_failure_is_regraded_on_a_fresh_worker(tmp_path, monkeypatch, how):
    monkeypatch.setattr(Grader, "grade", flaky_grade(tmp_path, 1, how))
    monkeypatch.setattr(batch_module, "WATCHDOG_GRACE", 1.0)
    folders = [make_submission(tmp_path / name) for name in ("before", "unlucky", "after")]
    results = Batch(folders, limits=Limits(call_timeout=2.0, submission_timeout=4.0), workers=2,
                    state_dir=tmp_path / "state").run()
    assert [(r.score, r.status) for r in results] == [(100, "graded")] * 3
    assert len(list(tmp_path.glob("unlucky-*"))) == 1


def test_a_submission_the_grader_keeps_failing_under_is_a_grader_problem_never_saved(tmp_path, monkeypatch):
    monkeypatch.setattr(Grader, "grade", flaky_grade(tmp_path, 99, "fault"))
    folders = [make_submission(tmp_path / name) for name in ("before", "unlucky", "after")]
    results = Batch(folders, limits=FAST, workers=2, state_dir=tmp_path / "state").run()
    assert results[0].score == results[2].score == 100
    assert results[1].status == "internal_error" and results[1].max_score == 0
    assert f"after {MAX_ATTEMPTS} attempts" in results[1].internal_errors[0]
    assert len(list(tmp_path.glob("unlucky-*"))) == MAX_ATTEMPTS
    assert not (tmp_path / "state" / "unlucky.json").exists()
    again = Batch(folders, limits=FAST, workers=2, state_dir=tmp_path / "state")
    again.run()
    assert again.reused == 2  # the failed one is graded again, never reused


def test_workers_that_die_at_start_stop_the_batch(tmp_path, monkeypatch):
    from autograder.sandbox import client

    monkeypatch.setattr(client, "ZYGOTE", tmp_path / "missing-zygote.py")
    with pytest.raises(GraderFault, match="시작하자마자"):
        Batch([make_submission(tmp_path / "a")], limits=FAST, workers=1).run()


def test_a_daemon_cannot_touch_the_gradebook_after_the_run(tmp_path):
    """Kernel layers only (no audit hook): a double-forked daemon tries to rewrite the gradebook later."""
    out = tmp_path / "grading-output"
    (out / "state").mkdir(parents=True)
    daemon = f"""
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        {NAME_SELF.format(marker="gbdaemon").strip()}
        time.sleep(1.5)
        for name in ("grades.json", "state/honest.json"):
            try:
                open({str(out)!r} + "/" + name, "w").write('[{{"score": 100}}]')
            except OSError:
                pass
    os._exit(0)
"""
    folders = [make_submission(tmp_path / "honest"), build(tmp_path / "daemon", sse_prefix(daemon))]
    results = Batch(folders, limits=Limits(call_timeout=2.0, guard=False), workers=1, state_dir=out / "state").run()
    write_json(results, out / "grades.json")
    written = {p: p.read_bytes() for p in (out / "grades.json", out / "state" / "honest.json")}
    time.sleep(2.5)
    assert not named("gbdaemon")
    assert {p: p.read_bytes() for p in written} == written


def test_killing_the_grader_leaves_no_process_and_a_rerun_completes(tmp_path):
    slow = sse_prefix("import time\ntime.sleep(0.3)")
    folders = [build(tmp_path / f"s{i}", slow) for i in range(6)]
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "autograder", "grade", *map(str, folders), "--out", str(out), "-q"],
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list((out / "state").glob("*.json")):
        time.sleep(0.05)
    family = psutil.Process(proc.pid).children(recursive=True)
    assert family, "the grader should have workers and zygotes by now"
    proc.kill()
    proc.wait()
    gone, alive = psutil.wait_procs(family, timeout=10)
    assert not alive, [p.info if hasattr(p, "info") else p for p in alive]
    rerun = cli("grade", *folders, "--out", out, "-q")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert sorted(gradebook(out)) == sorted(f.name for f in folders)
    assert all(r["score"] == 100 for r in gradebook(out).values())


# --- re-runs never lie --------------------------------------------------------------------


def test_a_rerun_finds_saved_results_by_relative_or_absolute_path_and_after_a_move(tmp_path):
    base = tmp_path / "class"
    for name in ("kim", "lee", "park"):
        make_submission(base / name)
    out = tmp_path / "out"
    first = cli("grade", "class/kim", "class/lee", "class/park", "--out", out, "-q", cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    absolute = cli("grade", *(base / n for n in ("kim", "lee", "park")), "--out", out, "-q")
    assert "제출물 3개는 다시 채점하지 않았습니다" in absolute.stdout
    assert sorted(gradebook(out)) == ["kim", "lee", "park"]
    assert all(r["score"] == 100 for r in gradebook(out).values())
    moved = tmp_path / "moved"
    base.rename(moved)
    after_move = cli("grade", *(moved / n for n in ("kim", "lee", "park")), "--out", out, "-q")
    assert "제출물 3개는 다시 채점하지 않았습니다" in after_move.stdout
    rows = gradebook(out)
    assert sorted(rows) == ["kim", "lee", "park"] and all(r["score"] == 100 for r in rows.values())
    assert all(r["submission"].startswith(str(moved)) for r in rows.values())
    csv_rows = (out / "grades.csv").read_text(encoding="utf-8").splitlines()
    assert len(csv_rows) == 4


def copy_project(target: Path) -> Path:
    """The grader and the reference in a folder of their own (to edit the reference safely)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".nox", "expected.json")
    for folder in ("autograder", "solutions"):
        shutil.copytree(ROOT / folder, target / folder, ignore=ignore)
    return target


def test_editing_the_reference_regrades_instead_of_reusing(tmp_path):
    project = copy_project(tmp_path / "project")
    student = make_submission(tmp_path / "student")
    run = lambda: subprocess.run([sys.executable, "-m", "autograder", "grade", str(student), "--out",  # noqa: E731
                                  str(tmp_path / "out"), "-q"], cwd=project, capture_output=True, text=True,
                                 env={**os.environ, "PYTHONPATH": str(project)}, timeout=300)
    assert run().returncode == 0 and gradebook(tmp_path / "out")["student"]["score"] == 100
    losses = project / "solutions" / "losses.py"
    text = losses.read_text(encoding="utf-8")
    assert "return float(0.5 * np.sum((y - t) ** 2))" in text
    losses.write_text(text.replace("return float(0.5 * np.sum((y - t) ** 2))", "return float(np.sum((y - t) ** 2))"),
                      encoding="utf-8")
    second = run()
    assert "다시 채점하지 않았습니다" not in second.stdout
    assert gradebook(tmp_path / "out")["student"]["score"] < 100


def test_a_second_run_on_the_same_output_folder_is_refused(tmp_path):
    from filelock import FileLock

    out = tmp_path / "out"
    out.mkdir()
    with FileLock(str(out / ".lock")):
        run = cli("grade", make_submission(tmp_path / "s"), "--out", out)
    assert run.returncode == 2
    assert "다른 채점이 이미" in run.stdout
    assert not (out / "grades.json").exists()


# --- loud grader failures -----------------------------------------------------------------


def test_without_a_reference_the_grader_stops_with_exit_3(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(ROOT / "autograder", site / "autograder", ignore=shutil.ignore_patterns("__pycache__", "expected.json"))
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", str(make_submission(tmp_path / "s")),
                          "--out", str(tmp_path / "out")], cwd=tmp_path, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(site)}, timeout=120)
    assert run.returncode == 3, run.stdout + run.stderr
    assert "참조 구현" in run.stdout and "채점기 문제" in run.stdout and "Traceback" not in run.stdout + run.stderr
    assert not (tmp_path / "out" / "grades.json").exists()


def test_a_missing_suite_stops_the_grader_with_exit_3(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "autograder" / "suites" / "hidden" / "test_losses.py").unlink()
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", str(make_submission(tmp_path / "s")),
                          "--out", str(tmp_path / "out")], cwd=project, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(project)}, timeout=120)
    assert run.returncode == 3 and "test_losses.py" in run.stdout


def test_grading_from_another_folder_uses_the_checkouts_reference(tmp_path):
    run = cli("grade", make_submission(tmp_path / "s"), "--out", tmp_path / "out", "-q", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert gradebook(tmp_path / "out")["s"]["score"] == 100


def test_an_unreadable_submission_file_makes_that_submission_invalid(tmp_path, monkeypatch):
    from autograder.commands import common as cli_module
    from autograder.protocol import SubmissionError

    bad = make_submission(tmp_path / "bad")
    original = Path.read_bytes

    def read_bytes(self):
        if self.parent.parent == bad:
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(SubmissionError, match="파일을 읽을 수 없습니다"):
        cli_module.validate(bad)
    cli_module.validate(make_submission(tmp_path / "good"))
