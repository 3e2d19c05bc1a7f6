"""One run, one output folder: after ``grade``, ``--out`` holds that run's files and no other run's."""

from __future__ import annotations

import json
import os

from autograder.commands.output_folder import MANIFEST, OutputFolder
from conftest import make_submission, run_cli


def files(folder) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_a_run_removes_what_earlier_runs_wrote_and_keeps_the_rest(tmp_path):
    out = tmp_path / "out"
    first = OutputFolder(out)
    first.write(out / "grades.json", "[]")
    first.write(out / "feedback" / "kim.md", "김")
    first.write(out / "gradescope" / "kim" / "results.json", "{}")
    (out / "snapshots" / "kim" / "exercises").mkdir(parents=True)
    (out / "snapshots" / "kim" / "exercises" / "losses.py").write_text("x = 1\n")
    first.keep(out / "snapshots" / "kim")
    first.keep(tmp_path / "elsewhere.csv")  # outside the folder: never listed, never removed
    assert first.finish() == []
    (out / "my-notes.txt").write_text("강사의 메모")
    second = OutputFolder(out)
    second.write(out / "grades.json", "[1]")
    second.write(out / "feedback" / "lee.md", "이")
    removed = second.finish()
    assert {p.relative_to(out).as_posix() for p in removed} == {
        "feedback/kim.md", "gradescope/kim/results.json", "snapshots/kim/exercises/losses.py"}
    assert files(out) == {"grades.json", "feedback/lee.md", "my-notes.txt", MANIFEST}
    assert not (out / "gradescope").exists() and not (out / "snapshots").exists()  # emptied folders pruned
    assert json.loads((out / MANIFEST).read_text())["files"] == ["feedback/lee.md", "grades.json"]


def test_an_older_graders_folder_loses_only_the_graders_kinds_of_files(tmp_path):
    out = tmp_path / "out"
    for name in ("grades.json", "report.html", "feedback/kim.md", "state/kim.json", "feedback/README.txt"):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text("old")
    run = OutputFolder(out)
    run.write(out / "grades.json", "new")
    run.finish()
    assert files(out) == {"grades.json", "feedback/README.txt", MANIFEST}


def test_a_folder_the_grader_never_wrote_is_left_alone(tmp_path):
    (tmp_path / "feedback").mkdir()
    (tmp_path / "feedback" / "mine.md").write_text("내 파일")
    run = OutputFolder(tmp_path)
    run.write(tmp_path / "report.html", "<p>")
    run.finish()
    assert files(tmp_path) == {"feedback/mine.md", "report.html", MANIFEST}


def test_a_manifest_cannot_point_outside_the_folder(tmp_path):
    out, victim = tmp_path / "out", tmp_path / "victim.txt"
    victim.write_text("남의 파일")
    out.mkdir()
    (out / MANIFEST).write_text(json.dumps({"files": ["../victim.txt", str(victim), 3]}))
    OutputFolder(out).finish()
    assert victim.read_text() == "남의 파일"


def test_grading_another_class_into_the_same_folder_leaves_nothing_of_the_first(tmp_path):
    """The quick start's examples, then a class: no feedback, Gradescope or state file of the examples stays;
    grading the class again reuses its own saved results."""
    out = tmp_path / "grading-output"
    assert run_cli("grade", "--out", out, "-q").returncode == 0  # the bundled examples
    assert (out / "feedback" / "kim-minji.md").is_file()
    klass = [make_submission(tmp_path / "class" / name) for name in ("student-a", "student-b")]
    run = run_cli("grade", *klass, "--out", out, "-q")
    assert run.returncode == 0 and "이전 실행이 남긴 파일" in run.stdout, run.stdout
    left = files(out)
    assert not [f for f in left if any(n in f for n in ("kim-minji", "lee-junho", "park-seoyeon"))], left
    assert {"feedback/student-a.md", "state/student-a.json", "gradescope/student-b/results.json"} <= left
    again = run_cli("grade", *klass, "--out", out, "-q")
    assert again.returncode == 0 and "제출물 2개는 다시 채점하지 않았습니다" in again.stdout
    assert files(out) == left
    assert all(os.path.exists(out / f) for f in json.loads((out / MANIFEST).read_text())["files"])
