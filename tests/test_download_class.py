"""A real term's class, end to end: a ``gh teacher download`` folder graded with a declared late policy.

The folder holds what ``gh teacher download`` leaves (one clone per student,
its 13-column ``scores.csv`` with a blank row for a student without a
repository) plus Classroom 50's ``roster.csv`` with student numbers and a
teacher row. Students submit on time, late (within the grace period, a day
late with an on-time stub, three days late, past the cut-off), under an
extension, with a forged tag, or never. The run must give every rostered
student exactly once, with the right standing, and the same words and
numbers in the console, report.html, grades.csv, grades.json and the Canvas
and Moodle files; the output folder holds this run's files and nothing from
the earlier run it was used for. Expected grades are computed here from the
rule and the raw scores, never copied from the grader's output.
"""

from __future__ import annotations

import csv
import html.parser
import io
import json
import math
import re
from fractions import Fraction
from pathlib import Path

import pytest

from autograder.commands.output_folder import MANIFEST
from conftest import make_submission, run_cli
from student_repos import WRONG_SSE, Student, git

DEADLINE = "2026-12-01T23:59:59+09:00"  # 14:59:59Z
POLICY = "grace:1h,per-day:10%,max:50%,until:7d,best-of"
ON_TIME = "2026-12-01T14-00-00Z"
#: login -> (what is pushed: [(base, edits, tag time or None)], expected standing)
CLASS = {
    "ara": ([("solutions", None, ON_TIME)], "제출"),
    "beom": ([("exercises", None, ON_TIME), ("solutions", None, "2026-12-02T10-00-00Z")], "지각"),  # 19 h late
    "chae": ([("solutions", WRONG_SSE, ON_TIME), ("solutions", None, "2026-12-02T10-00-00Z")], None),  # best of
    "dan": ([("solutions", None, "2026-12-04T10-59-59Z")], "지각"),  # 2 d 20 h late: 3 days after the grace hour
    "eun": ([("solutions", WRONG_SSE, "2026-12-02T12-00-00Z")], "제출"),  # before her extension
    "gyu": ([("solutions", None, "2026-12-01T15-30-00Z")], "지각"),  # within the grace hour; also a forged tag
    "hana": ([("exercises", None, None)], "미제출"),  # pushed, never submitted
    "kyo": ([("solutions", None, "2026-12-09T15-00-00Z")], "지각"),  # past until:7d: refused
}
NO_REPOSITORY = "ian"  # a blank row in scores.csv, no clone
FORGED = "submit/2026-11-30T00-00-00Z-0000000"
EXTENSIONS = {"eun": "2026-12-03T23:59:59+09:00"}
STUDENT_IDS = {login: f"2026{i:04d}" for i, login in enumerate(sorted([*CLASS, NO_REPOSITORY]))}
STANDINGS = ("제출", "지각", "미제출", "채점 불가")


def cli(*args):
    return run_cli(*args, columns=200, timeout=600)


def penalised(score: int, percent: int) -> int:
    return math.floor(Fraction(score) * (100 - percent) / 100 + Fraction(1, 2))


def build_download(tmp_path: Path) -> Path:
    """The class on local "GitHub" remotes, then the folder ``gh teacher download`` would write."""
    folder = tmp_path / "dl-seminar-lecture04_submissions"
    folder.mkdir()
    rows = []
    for login, (pushes, _) in CLASS.items():
        student = Student(tmp_path, login)
        for base, edits, tag_time in pushes:
            student.push(base=base, replace=edits, tag_time=tag_time)
        if login == "gyu":
            student.tag(FORGED)  # its sha is not the commit's: the runner never wrote it
        git("clone", "-q", student.remote.as_uri(), str(folder / f"dl-seminar-lecture04-{login}"), cwd=tmp_path)
        tags = git("tag", "--list", "submit/*", cwd=student.work).split()
        rows += [[login, 100, 100, tag, "false"] for tag in sorted(tags, reverse=True)] or [[login, "", "", "", ""]]
    rows.append([NO_REPOSITORY, "", "", "", ""])
    with open(folder / "scores.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["username", "first_name", "last_name", "email", "section", "score", "max_score", "datetime",
                         "submission_tag", "submitted_by", "review_url", "late", "override"])
        for login, score, top, tag, late in rows:
            writer.writerow([login, "", "", "", "", score, top, "", tag, login, "", late, ""])
    with open(folder / "roster.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["username", "first_name", "last_name", "email", "section", "github_id", "role", "student_id"])
        writer.writerow(["prof-lee", "교수", "이", "lee@example.ac.kr", "", "1", "teacher", ""])
        for i, login in enumerate(sorted(STUDENT_IDS)):
            writer.writerow([login, f"학생{i}", "김", f"{login}@example.ac.kr", "1분반", str(100 + i), "student",
                             STUDENT_IDS[login]])
    return folder


class Cards(html.parser.HTMLParser):
    """The report's summary cards ((value, label) per card) and its student table's first two columns."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.cards, self.rows, self._in, self._text, self._section = [], [], None, [], ""
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h2":
            self._section = attrs.get("id", "")
        if tag == "div" and attrs.get("class") == "card":
            self._in, self._text = "card", []
        elif tag == "tr" and self._section == "students":
            self._in, self._text = "row", []
        elif (tag in ("b", "span") and self._in == "card") or (tag == "td" and self._in == "row"):
            self._text.append("|")

    def handle_endtag(self, tag):
        if (tag == "div" and self._in == "card") or (tag == "tr" and self._in == "row"):
            parts = [" ".join(p.split()) for p in "".join(self._text).split("|")[1:]]
            if parts:
                (self.cards if self._in == "card" else self.rows).append(parts)
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._text.append(data)


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """The download folder graded into an output folder an earlier run (another class) had filled."""
    tmp = tmp_path_factory.mktemp("term")
    folder = build_download(tmp)
    (tmp / "extensions.csv").write_text("login,deadline\n" + "".join(f"{k},{v}\n" for k, v in EXTENSIONS.items()),
                                        encoding="utf-8")
    out = tmp / "grading-output"
    earlier = [make_submission(tmp / "old" / name) for name in ("old-kim", "old-lee")]
    assert cli("grade", *earlier, "--out", out, "-q").returncode == 0
    (out / "notes.txt").write_text("강사의 메모", encoding="utf-8")
    command = ["grade", folder, "--out", out, "--deadline", DEADLINE, "--late-policy", POLICY, "--extensions",
               tmp / "extensions.csv", "--export", "canvas", tmp / "canvas.csv", "--export", "moodle",
               tmp / "moodle.csv"]
    run = cli(*command)
    assert run.returncode == 0, run.stdout + run.stderr
    return tmp, out, run.stdout, command


def grades_json(out: Path) -> dict[str, dict]:
    rows = json.loads((out / "grades.json").read_text(encoding="utf-8"))
    assert len({r["submission"] for r in rows}) == len(rows)
    return {r["submission"]: r for r in rows}


def wrong_sse_score(out: Path) -> int:
    """What the on-time WRONG_SSE submission scored (chae's), from her recorded timing."""
    return grades_json(out)["chae"]["timing"]["on_time"]["score"]


def expected(out: Path) -> dict[str, tuple[str, int]]:
    """(standing, grade) of every rostered student, from the rule applied to the raw scores."""
    chae_on_time, chae_late = wrong_sse_score(out), penalised(100, 10)
    eun = grades_json(out)["eun"]["timing"]["on_time"]["score"]
    return {"ara": ("제출", 100), "beom": ("지각", penalised(100, 10)),
            "chae": ("지각", chae_late) if chae_late > chae_on_time else ("제출", chae_on_time),
            "dan": ("지각", penalised(100, 30)), "eun": ("제출", eun), "gyu": ("지각", 100), "hana": ("미제출", 0),
            "ian": ("미제출", 0), "kyo": ("지각", 0)}


def test_every_rostered_student_once_with_the_right_standing_and_grade(graded_class):
    _, out, _, _ = graded_class
    rows = grades_json(out)
    assert sorted(rows) == sorted(STUDENT_IDS)  # the roster came with the download; the teacher is left out
    assert {login: (r["standing"], r["score"]) for login, r in rows.items()} == expected(out)
    assert rows["eun"]["timing"]["extended"] and rows["eun"]["timing"]["deadline"] == EXTENSIONS["eun"]
    assert rows["kyo"]["status"] == "late" and not rows["kyo"]["timing"]["accepted"]
    assert rows["dan"]["timing"]["penalty_percent"] == 30 and rows["dan"]["penalty"] == 30
    assert rows["gyu"]["timing"]["used"] == "late" and rows["gyu"]["penalty"] == 0
    assert rows["hana"]["timing"]["on_time"] is None and rows["ian"]["status"] == "missing"
    assert rows["beom"]["timing"]["on_time"]["score"] == 0 and rows["beom"]["timing"]["late"]["score"] == 100


def test_console_report_gradebook_and_lms_files_agree(graded_class):
    tmp, out, stdout, _ = graded_class
    rows = grades_json(out)
    counts = {word: sum(r["standing"] == word for r in rows.values()) for word in STANDINGS}
    grades = sorted(r["score"] for r in rows.values() if r["status"] == "graded")
    line = next(line for line in stdout.splitlines() if line.startswith("학생 "))
    assert f"학생 {len(rows)}명: " + " · ".join(f"{w} {counts[w]}명" for w in STANDINGS) in line
    mean = f"{sum(grades) / len(grades):.1f}".removesuffix(".0")
    assert f"채점한 제출물 {len(grades)}개: 평균 {mean}점" in line and f"최저–최고 {grades[0]}–{grades[-1]}점" in line
    page = Cards((out / "report.html").read_text(encoding="utf-8"))
    cards = {label: value for value, label in page.cards}
    assert cards["학생"] == f"{len(rows)}명" and all(cards[w] == f"{counts[w]}명" for w in STANDINGS)
    assert cards["평균"] == f"{mean}점" and cards["채점한 제출물"] == f"{len(grades)}개"
    table = {r["submission"]: r for r in csv.DictReader(io.StringIO((out / "grades.csv").read_text(encoding="utf-8")))}
    assert {k: (r["standing"], int(r["score"])) for k, r in table.items()} == expected(out)
    report_rows = {r[2]: r[3] for r in page.rows}  # 학번, 이름, 제출물, 상태
    assert sorted(report_rows) == sorted(rows) and all(report_rows[k].startswith(rows[k]["standing"]) for k in rows)
    for kind, login_column, grade_column in (("canvas", 3, 5), ("moodle", 1, 4)):
        lms = list(csv.reader(io.StringIO((tmp / f"{kind}.csv").read_bytes().decode("utf-8-sig"))))
        body = [r for r in lms[1:] if r[0] != "Points Possible"]
        assert sorted(r[login_column].split("@")[0] for r in body) == sorted(rows)  # each student once
        assert {r[login_column].split("@")[0]: int(r[grade_column]) for r in body} == \
            {k: v[1] for k, v in expected(out).items()}
    moodle = list(csv.reader(io.StringIO((tmp / "moodle.csv").read_bytes().decode("utf-8-sig"))))
    assert {r[3]: r[5].split(" (")[0] for r in moodle[1:]} == {k: v[0] for k, v in expected(out).items()}


def test_late_and_missing_are_told_apart_in_every_output(graded_class):
    _, out, stdout, _ = graded_class
    assert "지각 규칙:" in stdout and "하루(24시간" in stdout  # the policy, once, above the table
    table = [line for line in stdout.splitlines() if line.startswith("│")]
    for login, (standing, _) in expected(out).items():
        mine = [line for line in table if re.search(rf"│ {login}\s", line)]
        assert len(mine) == 1 and standing in mine[0], (login, mine)  # each student exactly once in the console
    assert "늦음" in next(line for line in table if "│ dan " in line)
    assert FORGED in stdout  # the forged tag is named and refused
    report = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="late-policy"' in report and "하루(24시간" in report
    problems = report[report.index('id="problems"'):report.index('id="students"')]
    late = sum(standing == "지각" for standing, _ in expected(out).values())
    assert f"지각 ({late}명)" in problems and "미제출 (2명)" in problems
    dan = (out / "feedback" / "dan.md").read_text(encoding="utf-8")
    assert "지각 규칙:" in dan and "지각 감점: 30% (−30점)" in dan and "마감 2일 20시간 뒤 제출" in dan
    kyo = (out / "feedback" / "kyo.md").read_text(encoding="utf-8")
    assert "지각 (받지 않음)" in kyo and "받지 않았습니다" in kyo and "**0 / 100**" in kyo
    assert "미제출" in (out / "feedback" / "ian.md").read_text(encoding="utf-8")
    assert "연장된 마감" in (out / "feedback" / "eun.md").read_text(encoding="utf-8")


def test_nothing_from_the_earlier_run_is_left_and_a_rerun_resumes(graded_class):
    _, out, _, command = graded_class
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert not [f for f in files if "old-" in f], files  # the other class's feedback, Gradescope and state
    listed = set(json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"])
    assert files - listed == {MANIFEST, ".lock", "notes.txt"}  # the instructor's own file stays
    assert {f"feedback/{login}.md" for login in STUDENT_IDS} <= listed
    before = grades_json(out)
    again = cli(*command)
    assert again.returncode == 0 and "다시 채점하지 않았습니다" in again.stdout
    assert grades_json(out) == before
    assert {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} == files
