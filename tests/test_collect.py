"""Final grading from GitHub, with local bare repositories standing in for GitHub (``file://`` URLs).

``collect`` clones (and on a re-run updates) every repository of a roster;
``grade --deadline`` grades each repository as it was at its last
``submit/*`` tag not after the deadline (tag times, not commit dates); ``grade``
reads a ``gh teacher download`` folder directly, names each clone by its
student and flags grades that differ from the push-time score in ``scores.csv``.
"""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import pytest

from conftest import SOLUTIONS, make_submission, run_cli
from student_repos import WRONG_SSE, Student, git

DEADLINE = "2026-12-01T23:59:59+09:00"  # 2026-12-01T14:59:59Z
ON_TIME, LATE = "2026-12-01T14-59-59Z", "2026-12-01T15-00-00Z"
def cli(*args, cwd=None) -> subprocess.CompletedProcess:
    return run_cli(*args, cwd=cwd, columns=200, timeout=600)


@pytest.fixture
def github(tmp_path) -> dict[str, Student]:
    """alice: on time with the reference, then late with a mistake (back-dated commit) and a forged tag;
    bob: pushed, never submitted; dave: an empty repository; carol: no repository at all."""
    alice, bob, dave = (Student(tmp_path, f"lecture04-{n}") for n in ("alice", "bob", "dave"))
    alice.push(tag_time="2026-11-30T10-00-00Z")
    alice.push(tag_time=ON_TIME)
    late = alice.push(replace=WRONG_SSE, tag_time=LATE, commit_date="2026-11-20T00:00:00+09:00")
    alice.tag("submit/2026-11-25T00-00-00Z-0000000", late)  # not the runner's: its sha is not the commit's
    bob.push(base="exercises")
    return {"alice": alice, "bob": bob, "dave": dave}


def roster(path: Path, column: str = "login") -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["name", column])
        writer.writerows([["앨리스", "alice"], ["밥", "@bob"], ["캐럴", "carol"], ["데이브", "dave"], ["", ""]])
    return path


def template_url(tmp_path: Path) -> str:
    return (tmp_path / "github").as_uri() + "/lecture04-{login}.git"


def grades(out: Path) -> dict[str, dict]:
    return {r["submission"]: r for r in json.loads((out / "grades.json").read_text(encoding="utf-8"))}


@pytest.mark.parametrize("column", ["login", "github_username"])
def test_collect_clones_lists_missing_and_empty_and_updates_on_rerun(github, tmp_path, column):
    dest = tmp_path / "dest"
    process = cli("collect", "--roster", roster(tmp_path / "roster.csv", column), "--url-template",
                  template_url(tmp_path), dest)
    assert process.returncode == 0, process.stdout + process.stderr
    assert "저장소 없음: carol" in process.stdout and "빈 저장소: dave" in process.stdout
    assert sorted(p.name for p in dest.iterdir()) == ["alice", "bob", "dave"]
    assert git("rev-parse", "--is-shallow-repository", cwd=dest / "alice") == "true"
    assert len(git("tag", "--list", "submit/*", cwd=dest / "alice").split()) == 4
    assert git("rev-parse", "HEAD", cwd=dest / "alice") == git("rev-parse", "HEAD", cwd=github["alice"].work)
    newer = github["alice"].push(tag_time="2026-12-03T00-00-00Z")
    again = cli("collect", "--roster", tmp_path / "roster.csv", "--url-template", template_url(tmp_path), dest)
    assert again.returncode == 0 and "갱신함 2개" in again.stdout, again.stdout
    assert git("rev-parse", "HEAD", cwd=dest / "alice") == newer
    assert "submit/2026-12-03T00-00-00Z-" + newer[:7] in git("tag", "--list", cwd=dest / "alice")


def test_grade_deadline_grades_the_last_submission_tag_on_time(github, tmp_path):
    dest = tmp_path / "dest"
    assert cli("collect", "--roster", roster(tmp_path / "roster.csv"), "--url-template", template_url(tmp_path),
               dest).returncode == 0
    latest = cli("grade", dest / "alice", dest / "bob", "--out", tmp_path / "latest", "-q")
    assert latest.returncode == 0, latest.stdout + latest.stderr
    assert grades(tmp_path / "latest")[str(dest / "alice")]["score"] < 100  # HEAD is the late, wrong push
    process = cli("grade", dest, "--deadline", DEADLINE, "--out", tmp_path / "out", "-q")
    assert process.returncode == 0, process.stdout + process.stderr
    result = grades(tmp_path / "out")
    assert result["alice"]["score"] == 100 and result["alice"]["status"] == "graded"  # the tag at 14:59:59Z
    assert result["bob"]["status"] == result["dave"]["status"] == "missing"  # nothing tagged before the deadline
    assert "submit/2026-11-25T00-00-00Z-0000000" in process.stdout  # the forged tag is named and ignored
    snapshot = tmp_path / "out" / "snapshots" / "alice" / "exercises" / "losses.py"
    assert snapshot.read_text(encoding="utf-8") == (SOLUTIONS / "losses.py").read_text(encoding="utf-8")
    earlier = cli("grade", dest, "--deadline", "2026-11-29T00:00:00+00:00", "--out", tmp_path / "none", "-q")
    alice = grades(tmp_path / "none")["alice"]  # only work after this deadline: late, not missing
    assert earlier.returncode == 0 and (alice["status"], alice["standing"], alice["score"]) == ("late", "지각", 0)
    assert grades(tmp_path / "none")["bob"]["standing"] == "미제출"


def download_folder(github: dict[str, Student], tmp_path: Path, late_score: int) -> Path:
    """What ``gh teacher download`` leaves: one clone per student and scores.csv (newest submission first)."""
    folder = tmp_path / "dl-seminar-lecture04_submissions"
    folder.mkdir()
    for login in ("alice", "bob"):
        git("clone", "-q", github[login].remote.as_uri(), str(folder / f"dl-seminar-lecture04-{login}"), cwd=tmp_path)
    tags = git("tag", "--list", "submit/*", cwd=github["alice"].work).split()
    rows = [["alice", late_score, 100, next(t for t in tags if LATE in t)],
            ["alice", 100, 100, next(t for t in tags if ON_TIME in t)],
            ["bob", 100, 100, "submit/2026-11-30T00-00-00Z-abcdef0"],  # a score the stubs cannot have earned
            ["carol", "", "", ""]]
    header = ["username", "first_name", "last_name", "email", "section", "score", "max_score", "datetime",
              "submission_tag", "submitted_by", "review_url", "late", "override"]
    with open(folder / "scores.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for username, score, max_score, tag in rows:
            writer.writerow([username, "", "", "", "", score, max_score, "", tag, username, "", "", ""])
    return folder


def test_grade_reads_a_download_folder_and_flags_push_time_differences(github, grader, tmp_path):
    late_score = grader.grade(make_submission(tmp_path / "late", replace=WRONG_SSE)).score
    folder = download_folder(github, tmp_path, late_score)
    process = cli("grade", folder, "--out", tmp_path / "out", "-q")
    assert process.returncode == 0, process.stdout + process.stderr
    result = grades(tmp_path / "out")
    assert sorted(result) == ["alice", "bob", "carol"]  # usernames, not dl-seminar-lecture04-<username>
    assert result["carol"]["standing"] == "미제출" and result["carol"]["score"] == 0  # scores.csv is the roster
    assert (tmp_path / "out" / "feedback" / "alice.md").is_file()
    rows = {r["username"]: r for r in csv.DictReader(open(tmp_path / "out" / "push-time-scores.csv", encoding="utf-8"))}
    assert rows["alice"]["differs"] == "False" and rows["alice"]["push_time_score"] == str(result["alice"]["score"])
    assert rows["bob"]["differs"] == "True" and rows["bob"]["push_time_score"] == "100" and result["bob"]["score"] == 0
    assert "bob: 푸시 때 100점, 강사 채점 0점" in process.stdout and "alice: 푸시 때" not in process.stdout
    on_time = cli("grade", folder, "--deadline", DEADLINE, "--out", tmp_path / "on-time", "-q")
    assert on_time.returncode == 0, on_time.stdout + on_time.stderr
    rows = {r["username"]: r for r in csv.DictReader(open(tmp_path / "on-time" / "push-time-scores.csv",
                                                         encoding="utf-8"))}
    assert ON_TIME in rows["alice"]["submission_tag"] and rows["alice"]["push_time_score"] == "100"
    assert rows["alice"]["differs"] == "False" and grades(tmp_path / "on-time")["bob"]["status"] == "missing"


@pytest.mark.parametrize("args, message", [
    (["collect", "--roster", "{tmp}/no-login.csv", "--url-template", "file:///x/{login}.git", "{tmp}/d"], "login"),
    (["collect", "--roster", "{tmp}/missing.csv", "--url-template", "file:///x/{login}.git", "{tmp}/d"], "읽을 수 없습니다"),
    (["collect", "--roster", "{tmp}/roster.csv", "--url-template", "file:///x/repo.git", "{tmp}/d"], "{login}"),
    (["collect", "--roster", "{tmp}/roster.csv", "--url-template", "file:///x/{login}.git", "{tmp}/roster.csv"],
     "폴더가 아닙니다"),
    (["collect", "--roster", "{tmp}/bad-login.csv", "--url-template", "file:///x/{login}.git", "{tmp}/d"], "3번째 줄"),
    (["grade", "{tmp}/plain", "--deadline", "2026-12-01T23:59:59"], "시간대"),
    (["grade", "{tmp}/plain", "--deadline", "12월 1일"], "마감 시각"),
    (["grade", "{tmp}/plain", "--deadline", DEADLINE], "git 저장소가 아니라"),
])
def test_bad_input_gets_a_korean_message(tmp_path, args, message):
    """Run where ``grade``'s default output folder would be ``tmp_path/grading-output``: nothing may appear."""
    (tmp_path / "no-login.csv").write_text("name,email\n앨리스,a@example.org\n", encoding="utf-8")
    (tmp_path / "bad-login.csv").write_text("login\nalice\nbob; rm -rf ~\n", encoding="utf-8")
    roster(tmp_path / "roster.csv")
    make_submission(tmp_path / "plain")
    process = cli(*[a.format(tmp=tmp_path) if "{tmp}" in a else a for a in args], cwd=tmp_path)
    assert process.returncode == 2, process.stdout + process.stderr
    assert message in process.stdout + process.stderr
    assert "Traceback" not in process.stdout + process.stderr
    assert not (tmp_path / "d").exists() and not (tmp_path / "grading-output").exists()


def test_roster_option_overrides_the_download_folders_students(github, tmp_path):
    folder = download_folder(github, tmp_path, 0)
    (tmp_path / "mine.csv").write_text("login,student_id\nalice,2026001\nzed,2026002\n", encoding="utf-8")
    process = cli("grade", folder, "--roster", tmp_path / "mine.csv", "--out", tmp_path / "out", "-q")
    assert process.returncode == 0, process.stdout + process.stderr
    result = grades(tmp_path / "out")
    assert sorted(result) == ["alice", "bob", "zed"] and result["zed"]["standing"] == "미제출"  # not carol
    assert "명단에 없는 제출물 (학번·이름 없음): bob" in process.stdout and "scores.csv 의 학생" not in process.stdout


def test_a_hand_made_submit_tag_of_the_right_shape_does_not_count_where_scores_csv_records_the_tags(
        github, grader, tmp_path):
    """erin hands in the stubs on time, the reference late, then pushes a tag of the runner's shape with an
    earlier time and the late commit's hash: scores.csv (the runner's record) does not list it, so the late
    work stays late; alice, honest beside her, is graded as always."""
    erin = Student(tmp_path, "lecture04-erin")
    on_time = erin.push(base="exercises", tag_time="2026-11-30T10-00-00Z")
    late = erin.push(tag_time=LATE)
    erin.tag(f"submit/2026-12-01T14-00-00Z-{late[:7]}", late)  # before the deadline, the late commit's hash
    folder = download_folder(github, tmp_path, grader.grade(make_submission(tmp_path / "late", replace=WRONG_SSE)).score)
    git("clone", "-q", erin.remote.as_uri(), str(folder / "dl-seminar-lecture04-erin"), cwd=tmp_path)
    with open(folder / "scores.csv", "a", newline="", encoding="utf-8") as f:
        for score, tag in ((100, f"submit/{LATE}-{late[:7]}"), (0, f"submit/2026-11-30T10-00-00Z-{on_time[:7]}")):
            csv.writer(f).writerow(["erin", "", "", "", "", score, 100, "", tag, "erin", "", "", ""])
    process = cli("grade", folder, "--deadline", DEADLINE, "--out", tmp_path / "out", "-q")
    assert process.returncode == 0, process.stdout + process.stderr
    result = grades(tmp_path / "out")
    assert result["erin"]["score"] == 0 and result["erin"]["timing"]["on_time"]["tag"].startswith(
        "submit/2026-11-30T10-00-00Z"), result["erin"]["timing"]  # the stubs, handed in on time
    assert f"erin: scores.csv에 없는 제출 태그라 인정하지 않습니다: submit/2026-12-01T14-00-00Z-{late[:7]}" in process.stdout
    assert result["alice"]["score"] == 100 and result["alice"]["status"] == "graded"  # its on-time tag, as before


def test_a_login_that_ends_another_students_clone_name_gets_only_its_own_clone(tmp_path):
    """GitHub login ``lecture04-kim`` makes the victim's clone ``dl-seminar-lecture04-kim`` end with
    ``-lecture04-kim`` too: the victim's work must stay the victim's, the attacker gets its own stubs."""
    folder = tmp_path / "dl-seminar-lecture04_submissions"
    folder.mkdir()
    rows = []
    for login, base in (("kim", "solutions"), ("lecture04-kim", "exercises"), ("lee", "solutions")):
        student = Student(tmp_path, f"lecture04-{login}")
        student.push(base=base)
        git("clone", "-q", student.remote.as_uri(), str(folder / f"dl-seminar-lecture04-{login}"), cwd=tmp_path)
        rows.append([login, "", "", "", "", "", 100, "", "", login, "", "", ""])
    with open(folder / "scores.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["username", "first_name", "last_name", "email", "section", "score", "max_score",
                                  "datetime", "submission_tag", "submitted_by", "review_url", "late", "override"], *rows])
    process = cli("grade", folder, "--out", tmp_path / "out", "-q")
    assert process.returncode == 0, process.stdout + process.stderr
    rows = json.loads((tmp_path / "out" / "grades.json").read_text(encoding="utf-8"))
    assert sorted((r["submission"], r["score"]) for r in rows) == [("kim", 100), ("lecture04-kim", 0), ("lee", 100)]
