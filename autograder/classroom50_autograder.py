"""The Classroom 50 autograder: what ``<classroom>/autograders/<slug>/autograder.py`` runs.

Classroom 50's runner (foundation50/classroom50, ``runner.py``) runs the
bundle's ``autograder.py`` once per submission, with the student's checkout
as the working directory and the submission's identity in environment
variables (``CLASSROOM``, ``ASSIGNMENT``, ``SUBMISSION_TAG``, ``COMMIT_URL``,
``RELEASE_URL``, ``REVIEW_URL``, ``USERNAME``/``OWNER``). :func:`main` grades
``exercises/`` with the public and hidden suites in the sandbox, exactly as
``python -m autograder grade`` does (with the reference values recorded in
the bundle instead of ``solutions/``), and writes:

- ``./result.json`` (``classroom50/result/v1``, :mod:`autograder.exports.classroom50_result`);
- ``./release-body.md``: the Korean result a student reads on the Release
  (:mod:`autograder.report.student`), also printed to the job log.

Exit status, as the runner expects: 0 whenever grading ran to the end,
whatever the student's code did (an unreadable or missing ``exercises/``
included); non-zero only when the grader itself could not work (missing
environment, suites or recorded values, a sandbox failure), so the runner
reports an error instead of a grade.
"""

from __future__ import annotations

import os
from pathlib import Path

from rich.console import Console

from .catalog import BY_NAME, suite_tests
from .grade.result import ExerciseResult, Status, SubmissionResult, TestResult
from .protocol import GraderFault, Limits, SubmissionError

REQUIRED_ENVIRONMENT = ("CLASSROOM", "ASSIGNMENT", "SUBMISSION_TAG", "COMMIT_URL", "RELEASE_URL")
MISCONFIGURED, GRADER_PROBLEM = 2, 3
UNJUDGED_WARNING = ("::warning::채점기가 판정하지 못한 테스트가 있어 그 테스트는 0점으로 기록했습니다. "
                    "강사가 마감 뒤 다시 채점합니다.")


def missing_environment(env) -> list[str]:
    missing = [name for name in REQUIRED_ENVIRONMENT if not env.get(name)]
    return missing + ([] if env.get("USERNAME") or env.get("OWNER") else ["USERNAME"])


def unsubmittable(label: str, reason: str) -> SubmissionResult:
    """A checkout without gradable exercises/: every test at 0 with the reason (the student's fault)."""
    tests = [TestResult(t.exercise, t.name, t.title, t.visibility, 0, t.points, Status.ERROR, reason)
             for t in suite_tests()]
    exercises = [ExerciseResult(name, BY_NAME[name].title, tuple(t for t in tests if t.exercise == name))
                 for name in dict.fromkeys(t.exercise for t in tests)]
    return SubmissionResult.graded(label, exercises, 0.0)


def grade_checkout(path: Path, label: str, limits: Limits = Limits()) -> SubmissionResult:
    """Public and hidden suites on ``path`` in the sandbox (GraderFault if the grader cannot work)."""
    from .grade.engine import Grader

    with Grader(limits=limits) as grader:
        try:
            return grader.grade(path, label=label)
        except SubmissionError as exc:
            return unsubmittable(label, f"{exc} (저장소 맨 위에 exercises/ 폴더와 과제 파일이 있어야 합니다)")


def write_outputs(result: SubmissionResult, env, folder: Path) -> None:
    import json

    from .fsutil import atomic_write
    from .exports.classroom50_result import result_document
    from .lecture_site import configured_site
    from .report.student import markdown

    site = configured_site()  # the bundle's (the release wrote it)
    atomic_write(folder / "result.json",
                 json.dumps(result_document(result, env, site=site), ensure_ascii=False, indent=2) + "\n")
    atomic_write(folder / "release-body.md", markdown(result, site=site))


def run(env, folder: Path, console: Console) -> int:
    missing = missing_environment(env)
    if missing:
        console.print(f"채점기 문제: Classroom 50 러너가 주는 환경 변수가 없습니다: {', '.join(missing)}", markup=False)
        return MISCONFIGURED
    try:
        result = grade_checkout(folder, env.get("USERNAME") or env["OWNER"])
    except GraderFault as exc:
        console.print(f"채점기 문제: {exc} (제출한 코드의 잘못이 아닙니다)", markup=False)
        return GRADER_PROBLEM
    if not any(t.status is not Status.INTERNAL for t in result.tests()):
        console.print("채점기 문제: 어떤 테스트도 판정하지 못했습니다 (제출한 코드의 잘못이 아닙니다)", markup=False)
        return GRADER_PROBLEM
    write_outputs(result, env, folder)
    if result.isolation:
        console.print(f"격리 수준: {result.isolation}", markup=False)
    console.print((folder / "release-body.md").read_text(encoding="utf-8"), markup=False)
    if Status.INTERNAL in result.statuses():
        console.print(UNJUDGED_WARNING, markup=False)
    return 0


def main() -> int:
    console = Console(soft_wrap=True)
    try:
        return run(os.environ, Path.cwd(), console)
    except Exception as exc:  # noqa: BLE001 - a grader bug: no traceback in a log the student reads
        console.print(f"채점기 문제: 채점기 내부 오류입니다 ({type(exc).__name__}). 제출한 코드의 잘못이 아닙니다.",
                      markup=False)
        return GRADER_PROBLEM
