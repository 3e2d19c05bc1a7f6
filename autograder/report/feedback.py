"""Per-student feedback in Korean Markdown, ready to hand back."""

from __future__ import annotations

STATUS = {"passed": "통과", "failed": "실패", "error": "오류", "timeout": "시간 초과",
          "memory": "메모리 초과", "internal_error": "채점기 오류"}


def feedback_markdown(result: dict, name: str) -> str:
    lines = [
        "# 4강 신경망 학습: 과제 채점 결과",
        "",
        f"- 제출물: `{name}`",
        f"- 총점: **{result['score']} / {result['max_score']}**",
        "",
    ]
    if result["status"] == "invalid":
        lines += ["채점할 수 없는 제출물입니다: " + "; ".join(result.get("notes", [])), ""]
        return "\n".join(lines)
    if result["status"] == "internal_error":
        lines += ["> 채점 중 채점기 문제가 있었습니다. 조교가 확인한 뒤 다시 채점합니다.", ""]
    lines += ["| 과제 | 내용 | 점수 |", "|---|---|---:|"]
    for exercise in result["exercises"]:
        lines.append(f"| `{exercise['name']}` | {exercise['title']} | {exercise['score']} / {exercise['max_score']} |")
    lines.append("")
    failed = [(e, t) for e in result["exercises"] for t in e["tests"] if t["status"] != "passed"]
    if failed:
        lines += ["## 통과하지 못한 테스트", ""]
        for exercise, test in failed:
            kind = "공개" if test["visibility"] == "public" else "숨은"
            lines += [
                f"### `{exercise['name']}` · {test['title']}",
                "",
                f"{kind} 테스트 · {STATUS.get(test['status'], test['status'])} · 0 / {test['max_score']}점",
                "",
                f"> {test['message']}",
                "",
            ]
    passed = [(e, t) for e in result["exercises"] for t in e["tests"] if t["status"] == "passed"]
    if passed:
        lines += ["## 통과한 테스트", ""]
        lines += [f"- `{e['name']}` · {t['title']} ({t['score']}점)" for e, t in passed]
        lines.append("")
    for note in result.get("notes", []):
        lines.append(f"참고: {note}")
    return "\n".join(lines).rstrip() + "\n"
