"""The template's GitHub Actions workflow, built as data and written with ``yaml.safe_dump``.

Two jobs run on every push to a branch:

- ``grade`` installs the dependencies and runs ``python -m autograder check``:
  the public tests, or with a hidden-tests repository also the hidden ones
  (checked out with the organisation secret ``HIDDEN_TESTS_TOKEN``). The log
  and the job summary show per-exercise totals and the public tests'
  diagnoses; of the hidden tests only "숨은 테스트 k/n개 통과 (m점)". Where the
  secret does not reach the repository (a copy made with "Use this template"
  under a student's own account cannot read an organisation secret), the job
  says so and grades the public tests only; the hidden ones are graded by the
  instructor after the deadline.
- ``record-submission`` tags the pushed commit ``submit/<UTC time>-<short sha>``
  (the tag shape Classroom 50's runner writes), so ``grade --deadline`` can
  pick what was pushed before the deadline by push time, not by commit dates
  a student sets.

Actions are pinned to their Node 24 majors; nothing from
``classroom-resources/*`` (frozen on Node 20, deprecated).
"""

from __future__ import annotations

import shlex

from pathlib import Path

from .common import PYTHON_VERSION, runtime_dependencies

WORKFLOW = Path(".github/workflows/grade.yml")
WORKFLOW_NAME = "채점"
JOB_ID, RECORD_JOB_ID = "grade", "record-submission"
CHECKOUT, SETUP_PYTHON = "actions/checkout@v6", "actions/setup-python@v6"  # Node 24 majors
HIDDEN_TOKEN_SECRET = "HIDDEN_TESTS_TOKEN"
HIDDEN_FLAG = "HIDDEN_TESTS"  # "true" when the token secret reaches this repository
HIDDEN_CHECKOUT = ".hidden-tests"
JOB_TIMEOUT_MINUTES = 15

CHECK = "python -m autograder check --require-full --summary \"$GITHUB_STEP_SUMMARY\""
NO_TOKEN_NOTICE = ("::notice::숨은 테스트를 읽을 토큰이 이 저장소에 없어 공개 테스트만 채점합니다. "
                   "숨은 테스트는 마감 뒤 강사가 채점합니다.")
RECORD_SCRIPT = """\
tag="submit/$(date -u +%Y-%m-%dT%H-%M-%SZ)-${GITHUB_SHA::7}"
git tag "$tag" "$GITHUB_SHA"
git push origin "refs/tags/$tag"
echo "제출 기록: $tag"
"""


def _grade_script(hidden: bool) -> str:
    if not hidden:
        return CHECK
    return (f'if [ "${HIDDEN_FLAG}" = "true" ]; then\n'
            f"  {CHECK.replace('check', 'check --hidden', 1)}\n"
            f"else\n  echo \"{NO_TOKEN_NOTICE}\"\n  {CHECK}\nfi\n")


def _hidden_steps(hidden_repo: str) -> list[dict]:
    when = f"env.{HIDDEN_FLAG} == 'true'"
    return [
        {"name": "숨은 테스트 체크아웃", "if": when, "uses": CHECKOUT,
         "with": {"repository": hidden_repo, "token": f"${{{{ secrets.{HIDDEN_TOKEN_SECRET} }}}}",
                  "path": HIDDEN_CHECKOUT}},
        {"name": "숨은 테스트 설치", "if": when,
         "run": f"cp -R {HIDDEN_CHECKOUT}/autograder/. autograder/ && rm -rf {HIDDEN_CHECKOUT}"},
    ]


def grade_job(hidden_repo: str | None) -> dict:
    install = "python -m pip install --quiet " + " ".join(shlex.quote(d) for d in runtime_dependencies())
    steps = [{"name": "저장소 체크아웃", "uses": CHECKOUT},
             {"name": "Python 설치", "uses": SETUP_PYTHON, "with": {"python-version": PYTHON_VERSION}},
             {"name": "패키지 설치", "run": install}]
    steps += _hidden_steps(hidden_repo) if hidden_repo else []
    steps.append({"name": "채점", "run": _grade_script(bool(hidden_repo))})
    job = {"runs-on": "ubuntu-latest", "timeout-minutes": JOB_TIMEOUT_MINUTES, "permissions": {"contents": "read"}}
    if hidden_repo:
        job["env"] = {HIDDEN_FLAG: f"${{{{ secrets.{HIDDEN_TOKEN_SECRET} != '' }}}}"}
    return {**job, "steps": steps}


def record_job() -> dict:
    return {"if": "github.ref_name == github.event.repository.default_branch",
            "runs-on": "ubuntu-latest", "timeout-minutes": 5, "permissions": {"contents": "write"},
            "steps": [{"name": "저장소 체크아웃", "uses": CHECKOUT},
                      {"name": "제출 시각 기록 (submit/ 태그)", "run": RECORD_SCRIPT}]}


def grade_workflow(hidden_repo: str | None = None) -> dict:
    """The template's workflow; with ``hidden_repo`` (OWNER/NAME) the grade job adds the hidden suites."""
    return {"name": WORKFLOW_NAME,
            "on": {"push": {"branches": ["**"]}, "workflow_dispatch": None},
            "permissions": {"contents": "read"},
            "jobs": {JOB_ID: grade_job(hidden_repo), RECORD_JOB_ID: record_job()}}


def dump(data: dict) -> str:
    """YAML for people: keys in the given order, Korean as is, multi-line scripts as ``|`` blocks."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def string(dumper, value):
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, string)
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=1000)
