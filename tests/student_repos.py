"""Students' repositories for the collection tests: a bare "GitHub" remote and a working copy, pushed with plain git."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from conftest import make_submission

GIT_ID = ["-c", "user.name=학생", "-c", "user.email=student@example.org"]


def git(*args, cwd: Path, env: dict | None = None) -> str:
    return subprocess.run(["git", *GIT_ID, *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}).stdout.strip()


class Student:
    """A student's repository: a bare "GitHub" remote and the student's own working copy."""

    def __init__(self, base: Path, name: str):
        self.remote = base / "github" / f"{name}.git"
        self.work = base / "work" / name
        self.remote.parent.mkdir(parents=True, exist_ok=True)
        git("init", "-q", "--bare", "-b", "main", str(self.remote), cwd=base)
        self.work.mkdir(parents=True)
        git("init", "-q", "-b", "main", cwd=self.work)
        git("remote", "add", "origin", self.remote.as_uri(), cwd=self.work)

    def push(self, base: str = "solutions", replace: dict | None = None, tag_time: str | None = None,
             commit_date: str | None = None) -> str:
        """Commit exercises/ (from ``base``, with ``replace`` edits) and push; ``tag_time`` adds the
        submission tag the runner would write."""
        shutil.rmtree(self.work / "exercises", ignore_errors=True)
        make_submission(self.work, base=base, replace=replace)
        git("add", "-A", cwd=self.work)
        env = {"GIT_COMMITTER_DATE": commit_date, "GIT_AUTHOR_DATE": commit_date} if commit_date else None
        git("commit", "-q", "--allow-empty", "-m", "제출", cwd=self.work, env=env)
        sha = git("rev-parse", "HEAD", cwd=self.work)
        git("push", "-q", "origin", "main", cwd=self.work)
        if tag_time:
            self.tag(f"submit/{tag_time}-{sha[:7]}")
        return sha

    def tag(self, name: str, ref: str = "HEAD") -> None:
        git("tag", name, ref, cwd=self.work)
        git("push", "-q", "origin", f"refs/tags/{name}", cwd=self.work)


WRONG_SSE = {"losses.py": [("return float(0.5 * np.sum((y - t) ** 2) / batch_size)",
                            "return float(0.5 * np.sum((y - t) ** 2))")]}
