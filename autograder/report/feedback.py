"""Per-student feedback in Korean Markdown, ready to hand back."""

from __future__ import annotations

from ..grade.result import SubmissionResult, SubmissionStatus
from .literal import literal
from .student import read_more
from .timing import timing_lines


def feedback_markdown(result: SubmissionResult, name: str, site: str | None = None) -> str:
    """The feedback file of one submission; with the lecture site's address ``site``, each test not passed
    links to the section explaining it."""
    lines = [
        "# 4강 신경망 학습: 과제 채점 결과",
        "",
        f"- 제출물: `{name}`",
        f"- 총점: **{result.score} / {result.max_score}**",
        *timing_lines(result),
        "",
    ]
    if result.status in (SubmissionStatus.INVALID, SubmissionStatus.MISSING, SubmissionStatus.LATE):
        lines += [f"{result.status.label}: " + "; ".join(result.notes), ""]
        return "\n".join(lines)
    if result.status is SubmissionStatus.INTERNAL:
        lines += ["> 채점 중 채점기 문제가 있었습니다(제출한 코드의 잘못이 아닙니다). 조교가 확인한 뒤 다시 채점합니다.", ""]
    lines += ["| 과제 | 내용 | 점수 |", "|---|---|---:|"]
    lines += [f"| `{e.name}` | {e.title} | {e.score} / {e.max_score} |" for e in result.exercises]
    lines.append("")
    failed = result.not_passed()
    if failed:
        lines += ["## 통과하지 못한 테스트", ""]
        for test in failed:
            lines += [f"### `{test.exercise}` · {test.title}", "",
                      f"{test.visibility_label} 테스트 · {test.status.label} · 0 / {test.max_score}점", "",
                      f"> {literal(test.message)}", ""]
            more = read_more(test, site)
            lines += [more, ""] if more else []
    passed = [t for t in result.tests() if t.passed]
    if passed:
        lines += ["## 통과한 테스트", ""]
        lines += [f"- `{t.exercise}` · {t.title} ({t.score}점)" for t in passed]
        lines.append("")
    lines += [f"참고: {literal(note)}" for note in result.notes]
    return "\n".join(lines).rstrip() + "\n"
