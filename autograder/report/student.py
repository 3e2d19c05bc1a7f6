"""What a student may see of a result: per-exercise totals, public tests in full, hidden tests as a count.

Everything a student reads while the assignment is open goes through here:
``check`` in the terminal and in the template's workflow log, the workflow's
job summary, and the Classroom 50 release body. A hidden test is never named
there, and neither its input nor its expected value is shown: only
"숨은 테스트 k/n개 통과 (m점)" per exercise.
"""

from __future__ import annotations

from ..grade.result import ExerciseResult, Status, SubmissionResult, TestResult
from .links import test_link
from .literal import literal

COURSE_TITLE = "4강 «신경망 학습»"
FINAL_GRADE_NOTE = "최종 점수는 마감 뒤 강사가 제출물을 내려받아 같은 테스트로 다시 채점한 점수입니다."
UNJUDGED = "채점기가 이 테스트를 판정하지 못했습니다 (제출한 코드의 잘못이 아닐 수 있습니다). 강사가 다시 채점합니다."


def public_tests(exercise: ExerciseResult) -> list[TestResult]:
    return [t for t in exercise.tests if not t.hidden]


def hidden_summary(exercise: ExerciseResult) -> str | None:
    """"숨은 테스트 k/n개 통과 (m점)", or None when the exercise was graded without hidden tests."""
    hidden = [t for t in exercise.tests if t.hidden]
    if not hidden:
        return None
    passed = sum(t.passed for t in hidden)
    return f"숨은 테스트 {passed}/{len(hidden)}개 통과 ({sum(t.score for t in hidden)}점)"


def explanation(test: TestResult) -> str:
    """The Korean diagnosis of a public test that did not pass."""
    return UNJUDGED if test.status is Status.INTERNAL else test.message


def read_more(test: TestResult, site: str | None) -> str | None:
    """"[강의 노트에서 읽기](address)" for a test that did not pass, or None (no address, or not the student's)."""
    link = test_link(test, site)
    return f"[강의 노트에서 읽기]({link})" if link else None


def _test_line(test: TestResult, site: str | None) -> list[str]:
    if test.passed:
        return [f"- ✔ {test.title} ({test.score}점)"]
    more = read_more(test, site)
    return [f"- ✘ {test.title} ({test.status.label}, 0 / {test.max_score}점)", f"  - {literal(explanation(test))}"] + (
        [f"  - {more}"] if more else [])


def markdown(result: SubmissionResult, title: str = "자동 채점 결과", site: str | None = None) -> str:
    """The result as a student sees it, in Markdown (release body, job summary); ``site`` is the lecture
    site's address, which failed tests link into."""
    lines = [f"## {COURSE_TITLE} {title}: {result.score} / {result.max_score}점", "",
             "| 과제 | 내용 | 점수 |", "|---|---|---:|"]
    lines += [f"| `{e.name}` | {e.title} | {e.score} / {e.max_score} |" for e in result.exercises]
    for exercise in result.exercises:
        lines += ["", f"### `{exercise.name}` {exercise.title}: {exercise.score} / {exercise.max_score}점", ""]
        for test in public_tests(exercise):
            lines += _test_line(test, site)
        summary = hidden_summary(exercise)
        lines += [f"- {summary}"] if summary else []
    notes = [f"참고: {literal(note)}" for note in result.notes]
    lines += [""] + (notes + [""] if notes else []) + [FINAL_GRADE_NOTE]
    return "\n".join(lines).rstrip() + "\n"
