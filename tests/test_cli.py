"""The command line as instructors and students use it."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import replace

import jsonschema
import pytest

from autograder.grade.batch import Batch
from autograder.exports.gradebook import CSV_FIELDS, SCHEMA
from autograder.grade.result import from_json
from autograder.report.links import test_link
from autograder.catalog import points
from conftest import FAST, ROOT, make_submission, run_cli

DOCS_URL = "https://lecture.example.org/dl04/"


def cli(*args, cwd=None, timeout=300):
    return run_cli(*args, cwd=cwd, timeout=timeout)


def test_default_grades_the_bundled_examples_and_writes_every_output(tmp_path):
    run = cli("grade", "--out", tmp_path / "out", "--json", tmp_path / "extra.json", "--csv", tmp_path / "extra.csv",
              "--docs-url", DOCS_URL)
    assert run.returncode == 0, run.stderr
    out = tmp_path / "out"
    results = json.loads((out / "grades.json").read_text(encoding="utf-8"))
    jsonschema.validate(results, json.loads(SCHEMA.read_text(encoding="utf-8")))
    names = sorted(p.name for p in (ROOT / "examples" / "submissions").iterdir())
    assert sorted(r["submission"].rsplit("/", 1)[-1] for r in results) == names
    assert json.loads((tmp_path / "extra.json").read_text(encoding="utf-8")) == results
    rows = (out / "grades.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].split(",") == CSV_FIELDS and len(rows) == len(names) + 1
    assert (tmp_path / "extra.csv").read_text(encoding="utf-8").splitlines() == rows
    for name in names:
        feedback = (out / "feedback" / f"{name}.md").read_text(encoding="utf-8")
        assert "총점" in feedback
        gradescope = json.loads((out / "gradescope" / name / "results.json").read_text(encoding="utf-8"))
        assert {"score", "execution_time", "output", "tests"} <= gradescope.keys()
        assert {t["visibility"] for t in gradescope["tests"]} == {"visible", "hidden"}
        assert sum(t["max_score"] for t in gradescope["tests"]) == 100
        assert all({"name", "score", "max_score", "output", "status"} <= t.keys() for t in gradescope["tests"])
    lee = (out / "feedback" / "lee-junho.md").read_text(encoding="utf-8")
    assert "배치 크기 N(6)으로 나눈 평균" in lee and "통과하지 못한 테스트" in lee
    graded = next(from_json(r) for r in results if r["submission"].endswith("lee-junho"))
    failed = graded.not_passed()
    assert failed and lee.count("강의 노트에서 읽기") == len(failed)  # every failure says where to read
    for test in failed:
        assert f"[강의 노트에서 읽기]({test_link(test, DOCS_URL)})" in lee
    assert "성적표" in run.stdout and "평균" in run.stdout


@pytest.mark.parametrize("make_bad, reason", [
    (lambda tmp: tmp / "missing", "그런 폴더가 없습니다"),
    (lambda tmp: tmp.mkdir() or tmp, "exercises/ 폴더가 없습니다"),
])
def test_bad_paths_stop_before_grading(tmp_path, make_bad, reason):
    good = make_submission(tmp_path / "good")
    run = cli("grade", good, make_bad(tmp_path / "bad"), "--out", tmp_path / "out")
    assert run.returncode == 2
    assert reason in run.stdout + run.stderr and "아무것도 채점하지 않았습니다" in run.stdout
    assert not (tmp_path / "out").exists()


def test_skip_invalid_grades_the_rest(tmp_path):
    good = make_submission(tmp_path / "good")
    (tmp_path / "empty").mkdir()
    run = cli("grade", good, tmp_path / "empty", "--skip-invalid", "--out", tmp_path / "out", "-q")
    assert run.returncode == 0, run.stdout + run.stderr
    rows = {r["submission"].rsplit("/", 1)[-1]: r for r in json.loads((tmp_path / "out" / "grades.json").read_text())}
    assert rows["good"]["score"] == 100 and rows["empty"]["status"] == "invalid"


def test_bad_limit_is_a_usage_error(tmp_path):
    run = cli("grade", make_submission(tmp_path / "s"), "--call-timeout", "0")
    assert run.returncode == 2 and "must be positive" in run.stderr


def test_check_shows_public_tests_in_korean(tmp_path):
    stub = make_submission(tmp_path / "stub", base="exercises")
    run = cli("check", stub)
    assert run.returncode == 0
    assert "공개 테스트 결과" in run.stdout and "아직 구현하지 않았습니다" in run.stdout
    assert f"0/{points(visibility=('public',))}" in run.stdout  # public points only
    assert cli("check", stub, "--require-full").returncode == 1
    done = cli("check", make_submission(tmp_path / "done"), "--require-full")
    assert done.returncode == 0 and "모두 통과" in done.stdout
    one = cli("check", stub, "--exercise", "losses")
    assert "손실 함수" in one.stdout and "경사 하강법" not in one.stdout


def test_check_outside_a_repository_explains_itself(tmp_path):
    run = cli("check", tmp_path)
    assert run.returncode == 2 and "exercises/ 폴더를 찾을 수 없습니다" in run.stdout


def test_resume_reuses_saved_results_and_regrades_what_changed(tmp_path):
    folders = [make_submission(tmp_path / name) for name in ("a", "b", "c")]
    first = Batch(folders, limits=FAST, state_dir=tmp_path / "state").run()
    assert [r.score for r in first] == [100, 100, 100]
    (folders[1] / "exercises" / "losses.py").write_text(
        (ROOT / "exercises" / "losses.py").read_text(encoding="utf-8"), encoding="utf-8")
    again = Batch(folders, limits=FAST, state_dir=tmp_path / "state")
    second = again.run()
    assert again.reused == 2
    assert [r.score for r in second] == [100, 100 - points("losses"), 100]
    assert second[0] == first[0]


def test_changed_limits_regrade_every_saved_result(tmp_path):
    """A result depends on the limits it was graded under: new limits, no reuse."""
    folders = [make_submission(tmp_path / name) for name in ("a", "b")]
    Batch(folders, limits=FAST, state_dir=tmp_path / "state").run()
    same = Batch(folders, limits=FAST, state_dir=tmp_path / "state")
    same.run()
    assert same.reused == 2
    for changed in (replace(FAST, call_timeout=FAST.call_timeout + 1), replace(FAST, memory_mb=FAST.memory_mb // 2)):
        again = Batch(folders, limits=changed, state_dir=tmp_path / "state")
        again.run()
        assert again.reused == 0, changed


def test_interrupted_batch_keeps_finished_work_and_resumes(tmp_path):
    hang = "    while True:\n        pass\n"
    folders = [make_submission(tmp_path / "done1"), make_submission(tmp_path / "done2")]
    folders += [make_submission(tmp_path / f"slow{i}", replace={"gradient.py": [
        ('    ### BEGIN SOLUTION\n    return (f(x + h)', hang + '    ### BEGIN SOLUTION\n    return (f(x + h)')]})
        for i in range(3)]
    out = tmp_path / "out"
    args = [sys.executable, "-m", "autograder", "grade", *map(str, folders), "--out", str(out), "-q",
            "--workers", "1", "--call-timeout", "2"]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((out / "state").glob("*.json"))) < 2:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    stdout, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, stdout
    assert "다시 실행하면 이어서 채점" in stdout
    saved = {p.stem for p in (out / "state").glob("*.json")}
    assert {"done1", "done2"} <= saved and len(saved) < 5
    resumed = cli("grade", *folders, "--out", out, "-q", "--call-timeout", "2")
    assert resumed.returncode == 0
    assert f"제출물 {len(saved)}개는 다시 채점하지 않았습니다" in resumed.stdout
    assert len(json.loads((out / "grades.json").read_text())) == 5


def shell_lines(text: str) -> list[str]:
    """The lines of the ``bash``/``sh`` code blocks of a Markdown text, continuations joined."""
    lines, language = [], None
    for line in text.splitlines():
        if line.startswith("```"):
            language = None if language is not None else line[3:].strip()
        elif language in ("bash", "sh"):
            lines.append(line)
    return "\n".join(lines).replace("\\\n", " ").splitlines()


def documented_commands():
    """Every ``python -m autograder ...`` and ``nox -s ... -- ...`` line in the docs' shell blocks."""
    import shlex

    docs = [ROOT / "README.md", ROOT / "INSTRUCTOR.md", *sorted((ROOT / "autograder/assign/templates").rglob("*.tmpl"))]
    for doc in docs:
        for line in shell_lines(doc.read_text(encoding="utf-8")):
            words = shlex.split(line, comments=True)
            if words[:3] in (["python", "-m", "autograder"], ["python3", "-m", "autograder"]):
                yield doc.name, words[3:]
            elif words[:2] == ["nox", "-s"]:
                yield doc.name, ["nox", words[2], *words[4:]] if "--" in words else ["nox", words[2]]


def test_every_documented_command_exists_and_parses():
    from autograder.cli import build_parser

    sessions = set(re.findall(r"^def (\w+)\(session", (ROOT / "noxfile.py").read_text(encoding="utf-8"), re.M))
    verbs = {"grade", "check", "stubs", "release", "nbgrader", "bench", "collect"}
    commands = list(documented_commands())
    assert len(commands) >= 25
    assert {"collect", "release", "grade", "nbgrader"} <= {c[1] if c[0] == "nox" else c[0] for _, c in commands}
    for doc, command in commands:
        if command[0] == "nox":
            assert command[1] in sessions, (doc, command)
            if command[1] not in verbs or len(command) == 2:
                continue
            command = command[1:]
        try:
            build_parser().parse_args(command)
        except SystemExit:
            pytest.fail(f"{doc}: python -m autograder {' '.join(command)} does not parse")


def test_the_gradebook_never_wraps_a_name_when_the_output_is_not_a_terminal(tmp_path):
    """Redirected to a file the console is 80 columns wide: a long login still reads as one student."""
    long_name = "park-seoyeon-" + "x" * 26  # a GitHub login may have 39 characters
    folders = [make_submission(tmp_path / long_name), make_submission(tmp_path / "b", base="exercises")]
    run = run_cli("grade", *folders, "--out", tmp_path / "out", "-q", columns=80)
    assert run.returncode == 0, run.stdout + run.stderr
    rows = [line for line in run.stdout.splitlines() if line.startswith("│")]
    assert sum(long_name in line for line in rows) == 1, "\n".join(rows)
    assert not [line for line in rows if line.startswith("│ eon") or line.startswith("│ xx")]


def test_a_status_word_is_printed_once_before_its_message():
    from autograder.grade.result import Status, TestResult
    from autograder.report.console import test_lines

    test = TestResult("gradient", "diff", "미분", "hidden", 0, 4, Status.TIMEOUT,
                      "시간 초과: numerical_diff이(가) 2초 안에 끝나지 않았습니다.")
    text = "\n".join(test_lines(test, "gradient/diff"))
    assert text.count("시간 초과") == 1 and "numerical_diff이(가) 2초 안에" in text


def test_a_file_name_takes_the_particle_its_reading_needs(grader, tmp_path):
    """exercises/gradient.py reads "…파이": 를, not 을."""
    broken = make_submission(tmp_path, files={"exercises/gradient.py": "def numerical_diff(f, x, h=1e-4)\n"})
    messages = [t.message for t in grader.grade(broken).tests() if t.exercise == "gradient"]
    assert messages and all("exercises/gradient.py를 불러오다가" in m for m in messages), messages[:1]


def test_ci_runs_the_readme_quick_start_then_the_tests_in_one_clone():
    """The README's quick start is what CI runs, in order, before anything else touches the clone."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## 빠른 시작", 1)[1].split("\n## ", 1)[0]
    steps = [line.split("#")[0].strip() for line in shell_lines(quick) if line.startswith("nox ")]
    assert steps == ["nox -s grade", "nox -s tests"]
    ci = [line.split("#")[0].strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
          if line.startswith("nox ")]
    assert ci[:2] == steps and all("-m index" in line for line in ci[2:])
    assert 'addopts = "-ra -m \'not index\'"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("verb", ["grade", "check", "stubs", "release", "nbgrader", "collect", "bench"])
def test_every_command_prints_its_help(verb, capsys):
    """argparse formats help with %: a literal % in an option's help (per-day:10%) must not break --help."""
    from autograder.cli import build_parser

    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args([verb, "--help"])
    assert stopped.value.code == 0 and "usage:" in capsys.readouterr().out
