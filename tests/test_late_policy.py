"""The late rule (``grade --late-policy``), per-student extensions, and what counts for one student."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace

import jsonschema
import pytest

from autograder.collect import CollectError
from autograder.collect.extensions import read_extensions
from autograder.grade.late import EXAMPLE, PolicyError, korean_duration, parse_duration, parse_policy
from autograder.grade.late_work import Considered, decide
from autograder.grade.result import (ExerciseResult, Standing, Status, SubmissionResult, SubmissionStatus,
                                     TestResult, from_json, to_json)
from autograder.exports.gradebook import SCHEMA
from conftest import ROOT, run_cli

H, D = dt.timedelta(hours=1), dt.timedelta(days=1)
DEADLINE = dt.datetime(2026, 12, 1, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=9)))


def test_no_rule_is_no_late_work():
    for text in ("", "none", " NONE "):
        policy = parse_policy(text)
        assert not policy.accepts_late and not policy.accepts(dt.timedelta(seconds=1)) and policy.accepts(-H)
    assert "받지 않습니다" in parse_policy("none").describe()


@pytest.mark.parametrize("late_by, percent", [
    (dt.timedelta(seconds=1), 10), (D, 10), (D + dt.timedelta(seconds=1), 20), (3 * D, 30), (10 * D, 50), (40 * D, 50),
])
def test_per_day_counts_every_part_of_a_day_up_to_the_cap(late_by, percent):
    policy = parse_policy("per-day:10%,max:50%")
    assert policy.accepts(late_by) and policy.penalty_percent(late_by) == percent


def test_grace_delays_the_penalty_and_alone_accepts_only_the_grace_period():
    both = parse_policy("grace:1h,per-day:10%")
    assert both.penalty_percent(59 * dt.timedelta(minutes=1)) == 0 and both.penalty_percent(H + D) == 10
    assert both.penalty_percent(H + D + dt.timedelta(seconds=1)) == 20
    grace = parse_policy("grace:2h")
    assert grace.accepts(2 * H) and not grace.accepts(2 * H + dt.timedelta(seconds=1))
    assert grace.penalty_percent(2 * H) == 0


def test_until_cuts_late_work_off():
    policy = parse_policy("per-day:5%,until:7d")
    assert policy.accepts(7 * D) and not policy.accepts(7 * D + dt.timedelta(seconds=1))
    assert "7일 뒤부터는 받지 않습니다" in policy.describe()


@pytest.mark.parametrize("score, percent, expected", [(5, 10, 5), (87, 20, 70), (85, 10, 77), (100, 30, 70), (0, 50, 0)])
def test_penalised_scores_round_half_up(score, percent, expected):
    policy = parse_policy(f"per-day:{percent}%")
    assert policy.penalised(score, dt.timedelta(hours=1)) == expected


def test_durations_and_their_korean():
    assert parse_duration("1d12h") == dt.timedelta(hours=36) and parse_duration("90m") == dt.timedelta(minutes=90)
    assert parse_duration("1.5h") == dt.timedelta(minutes=90)
    assert korean_duration(dt.timedelta(days=2, hours=20)) == "2일 20시간" and korean_duration(45) == "45초"
    assert korean_duration(dt.timedelta(hours=1, minutes=5, seconds=30)) == "1시간 5분"


@pytest.mark.parametrize("rule, reason", [
    ("per-day:10", "백분율"), ("per-day:0%", "백분율"), ("per-day:150%", "백분율"), ("max:50%", "per-day:와 함께"),
    ("grace:abc", "기간을 읽을 수 없습니다"), ("grace:0h", "0보다 길어야"), ("best-of", "grace: 나 per-day:"),
    ("late", "알 수 없는 항목"), ("none,grace:1h", "알 수 없는 항목"), ("grace:1h,grace:2h", "두 번"),
])
def test_bad_rules_say_why_in_korean_with_examples(rule, reason):
    with pytest.raises(PolicyError) as caught:
        parse_policy(rule)
    assert reason in str(caught.value) and EXAMPLE in str(caught.value) and rule in str(caught.value)


# --- one student's decision ---------------------------------------------------------------


def graded(score: int, status: SubmissionStatus = SubmissionStatus.GRADED) -> SubmissionResult:
    """A result with one test worth 100 points, ``score`` of them earned."""
    test = TestResult("losses", "t", "t", "hidden", score, 100, Status.PASSED if score == 100 else Status.FAILED)
    result = SubmissionResult.graded("folder", [ExerciseResult("losses", "손실 함수", (test,))], 1.0)
    return result if status is SubmissionStatus.GRADED else replace(result, status=status)


def at(late_by: dt.timedelta, result: SubmissionResult | None) -> Considered:
    return Considered(f"submit/{late_by}", DEADLINE + late_by, result)


def test_nothing_submitted_is_missing_and_only_refused_late_work_is_late_not_missing():
    policy = parse_policy("none")
    missing = decide("ara", policy, DEADLINE, 100)
    assert missing.standing is Standing.MISSING and missing.timing.deadline == DEADLINE.isoformat()
    late = decide("ara", policy, DEADLINE, 100, late=at(3 * H, None))
    assert late.status is SubmissionStatus.LATE and late.standing is Standing.LATE and late.score == 0
    assert late.late_by == 3 * 3600 and not late.timing.accepted and "받지 않았습니다" in late.notes[0]


def test_refused_late_work_leaves_the_on_time_grade():
    result = decide("ara", parse_policy("none"), DEADLINE, 100, at(-H, graded(40)), at(H, None))
    assert (result.score, result.standing, result.timing.used) == (40, Standing.SUBMITTED, "on_time")
    assert result.submission == "ara" and result.late_by is None and "받지 않았습니다" in result.notes[-1]


def test_without_best_of_the_latest_accepted_work_counts_penalised():
    result = decide("ara", parse_policy("per-day:10%"), DEADLINE, 100, at(-H, graded(100)), at(H, graded(80)))
    assert (result.score, result.raw_score, result.penalty, result.standing) == (72, 80, 8, Standing.LATE)
    assert (result.timing.on_time.score, result.timing.late.score, result.timing.penalty_percent) == (100, 80, 10)


@pytest.mark.parametrize("on_time, late, used, score", [(0, 100, "late", 90), (95, 100, "on_time", 95),
                                                        (90, 100, "on_time", 90), (None, 100, "late", 90)])
def test_best_of_keeps_the_higher_of_on_time_and_penalised_late(on_time, late, used, score):
    result = decide("ara", parse_policy("per-day:10%,best-of"), DEADLINE, 100,
                    at(-H, graded(on_time)) if on_time is not None else None, at(H, graded(late)))
    assert (result.timing.used, result.score) == (used, score)
    assert result.standing is (Standing.LATE if used == "late" else Standing.SUBMITTED)


def test_best_of_never_compares_with_a_grader_problem():
    broken = graded(0, SubmissionStatus.INTERNAL)
    result = decide("ara", parse_policy("per-day:10%,best-of"), DEADLINE, 100, at(-H, graded(50)), at(H, broken))
    assert result.status is SubmissionStatus.INTERNAL and result.standing is Standing.INTERNAL


def test_timing_and_penalty_survive_json_and_follow_the_schema():
    results = [decide("ara", parse_policy("grace:1h,per-day:10%,max:50%,best-of"), DEADLINE, 100,
                      at(-H, graded(0)), at(3 * D, graded(100)), extended=True),  # 3 days after the grace hour
               decide("bo", parse_policy("none"), DEADLINE, 100, late=at(H, None)),
               decide("cy", parse_policy("none"), DEADLINE, 100)]
    data = [to_json(r) for r in results]
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert [from_json(d) for d in data] == results
    assert data[0]["score"] == 70 and data[0]["penalty"] == 30 and data[0]["standing"] == "지각"
    assert data[0]["timing"]["extended"] and data[1]["status"] == "late" and data[2]["standing"] == "미제출"


def test_the_example_of_instructor_md_holds():
    """grace:15m,per-day:10%,max:50%,best-of: 72 on time, 100 thirty hours late -> 29 h 45 min is two days -> 80."""
    text = (ROOT / "INSTRUCTOR.md").read_text(encoding="utf-8")
    assert "마감 전에 72점, 마감 30시간 뒤에 100점을 낸" in text and "20% 감점해 80점" in text
    policy = parse_policy("grace:15m,per-day:10%,max:50%,best-of")
    result = decide("ara", policy, DEADLINE, 100, at(-H, graded(72)), at(30 * H, graded(100)))
    assert (result.score, result.standing, result.timing.penalty_percent) == (80, Standing.LATE, 20)
    early = decide("ara", policy, DEADLINE, 100, late=at(dt.timedelta(minutes=10), graded(100)))
    assert (early.score, early.standing) == (100, Standing.LATE)


# --- extensions and the command line -----------------------------------------------------------


def test_extensions_file(tmp_path):
    path = tmp_path / "ext.csv"
    path.write_bytes("\ufeffGitHub_Username,마감\n@Ara,2026-12-03T23:59:59+09:00\n\nbo,2026-12-02T12:00:00Z\n"
                     .encode("utf-8"))
    assert read_extensions(path) == {"ara": dt.datetime(2026, 12, 3, 14, 59, 59, tzinfo=dt.timezone.utc),
                                     "bo": dt.datetime(2026, 12, 2, 12, tzinfo=dt.timezone.utc)}


@pytest.mark.parametrize("text, reason", [
    ("login,deadline\nara,2026-12-03\n", "2번째 줄: 시간대가 있는"), ("login,deadline\nara,내일\n", "2번째 줄"),
    ("login,until\nara,2026-12-03T00:00:00Z\n", "마감(deadline) 열이 없습니다"),
    ("login,deadline\nara;rm,2026-12-03T00:00:00Z\n", "GitHub 아이디가 아닙니다"),
])
def test_bad_extensions_name_the_file_and_line(tmp_path, text, reason):
    path = tmp_path / "ext.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CollectError, match=re.escape(reason)):
        read_extensions(path)


@pytest.mark.parametrize("args, message", [
    (["--late-policy", "per-day:10%"], "--deadline 과 함께"),
    (["--extensions", "{tmp}/ext.csv"], "--deadline 과 함께"),
    (["--deadline", "2026-12-01T23:59:59+09:00", "--late-policy", "per-day:10"], "백분율"),
    (["--deadline", "2026-12-01T23:59:59+09:00", "--extensions", "{tmp}/ext.csv"], "2번째 줄"),
])
def test_bad_late_options_stop_before_grading(tmp_path, args, message):
    (tmp_path / "ext.csv").write_text("login,deadline\nara,모레\n", encoding="utf-8")
    run = run_cli("grade", tmp_path, *[a.format(tmp=tmp_path) for a in args], "--out", tmp_path / "out", cwd=tmp_path,
                  columns=200)
    assert run.returncode == 2 and message in run.stdout + run.stderr, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr and not (tmp_path / "out").exists()
