"""Classroom 50's ``result.json`` (schema ``classroom50/result/v1``) for one graded submission.

The runner attaches this file to the submission's Release, where the student
reads it, so it follows :mod:`.student`: a public test appears under its
Korean title with its diagnosis in the extra fields ``message`` and
``status``; a hidden test appears only as ``<exercise>: 숨은 테스트 k`` with
its score. ``owner``, ``assignment_type``, ``datetime`` and ``submitted_by``
are stamped again by the runner; they are written here so the file is valid
on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ..grade.result import SubmissionResult
from ..report.links import test_link
from ..report.student import explanation

SCHEMA = "classroom50/result/v1"


def test_rows(result: SubmissionResult, site: str | None = None) -> list[dict]:
    """One row per test; a public test not passed has its diagnosis, and with ``site`` the lecture-site
    section to read (extra field ``docs``)."""
    rows = []
    for exercise in result.exercises:
        hidden = 0
        for test in exercise.tests:
            row = {"passed": test.passed, "score": test.score, "max-score": test.max_score}
            if test.hidden:
                hidden += 1
                rows.append({"test-name": f"{exercise.name}: 숨은 테스트 {hidden}", **row})
            else:
                rows.append({"test-name": f"{exercise.name}: {test.title}", **row, "status": test.status.value,
                             "message": "" if test.passed else explanation(test)})
                link = test_link(test, site)
                rows[-1].update({"docs": link} if link else {})
    return rows


def result_document(result: SubmissionResult, env: Mapping[str, str], now: dt.datetime | None = None,
                    site: str | None = None) -> dict:
    """The v1 payload; ``env`` holds the runner's variables (CLASSROOM, ASSIGNMENT, SUBMISSION_TAG, ...)."""
    stamp = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "schema": SCHEMA,
        "classroom": env["CLASSROOM"],
        "assignment": env["ASSIGNMENT"],
        "assignment_type": env.get("ASSIGNMENT_TYPE") or "individual",
        "owner": env.get("OWNER") or env["USERNAME"],
        "submission": env["SUBMISSION_TAG"],
        "commit": env["COMMIT_URL"],
        "release": env["RELEASE_URL"],
        "review": env.get("REVIEW_URL") or env["COMMIT_URL"],
        "datetime": stamp,
        "graded_at": stamp,
        "score": result.score,
        "max-score": result.max_score,
        "tests": test_rows(result, site),
    }
