"""Classroom 50 autograder for lecture 4 «신경망 학습» (written by ``python -m autograder release --classroom50``).

Classroom 50's runner runs this file once per submission, with the student's
checkout as the working directory. It makes sure the grader's packages are
installed (``requirements.txt`` beside this file), then grades with the
grader bundled in ``grader/`` (sandbox, public and hidden suites, values
recorded from the reference solutions; the solutions themselves are not
here) and writes ``result.json`` and ``release-body.md``. Exit 0 when grading
ran to the end, non-zero when the grader itself could not work.
"""

import importlib.metadata
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GRADER = HERE / "grader"
REQUIREMENTS = HERE / "requirements.txt"


def missing_packages() -> list[str]:
    missing = []
    for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines():
        name = re.match(r"\s*([A-Za-z0-9_.-]+)", line)
        if name:
            try:
                importlib.metadata.distribution(name.group(1))
            except importlib.metadata.PackageNotFoundError:
                missing.append(name.group(1))
    return missing


def install() -> bool:
    missing = missing_packages()
    if not missing:
        return True
    print(f"채점에 필요한 패키지를 설치합니다: {', '.join(missing)}", flush=True)
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(REQUIREMENTS)]
    return subprocess.run(command, check=False).returncode == 0


def main() -> int:
    if not install():
        print("채점기 문제: 채점에 필요한 패키지를 설치하지 못했습니다 (제출한 코드의 잘못이 아닙니다).", flush=True)
        return 3
    # The grader comes from this bundle only, never from the student's checkout.
    here = {"", ".", os.getcwd(), str(HERE)}
    sys.path[:] = [str(GRADER)] + [p for p in sys.path if p not in here]
    from autograder.classroom50_autograder import main as grade

    return grade()


if __name__ == "__main__":
    sys.exit(main())
