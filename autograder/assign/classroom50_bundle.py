"""The Classroom 50 autograder bundle (``python -m autograder release OUTDIR --classroom50 BUNDLEDIR``).

Everything in BUNDLEDIR goes to ``<classroom>/autograders/<slug>/`` in the
organisation's ``classroom50`` config repository. :data:`STEPS`, in order::

    prepare            refuse a non-empty BUNDLEDIR unless --force
    copy_full_grader   grader/autograder/: the grader with the sandbox and the
                       public and hidden suites (never solutions/)
    record_all         the reference's values on the public and hidden suites
    write_entry_point  autograder.py, run by Classroom 50's runner
    write_requirements requirements.txt (installed by autograder.py when missing)
    write_runtime      runtime.json: the assignment's ``runtime`` block
    write_readme       README.md: the teacher's steps (Korean)
    scan               no solution line or expression went out

Classroom 50 serves the bundle from Pages without authentication, so
nothing in it may be secret beyond what a determined student may read: the
hidden suites and recorded values are exposed that way, the solutions never.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import leaks
from .common import (PYTHON_VERSION, RECORDING, TEMPLATES, copy_grader, prepare_folder, record_reference, render,
                     runtime_dependencies, run_steps)

DEFAULT_SLUG = "lecture04"
RUNTIME = {"runs-on": "ubuntu-latest", "python": PYTHON_VERSION, "apt": ["libseccomp2"]}


@dataclass
class Bundle:
    outdir: Path
    force: bool = False
    slug: str = DEFAULT_SLUG
    docs_url: str | None = None  # the lecture site: release-body.md links each failed test into it

    @property
    def grader(self) -> Path:
        return self.outdir / "grader"


def prepare(bundle: Bundle) -> None:
    bundle.outdir = prepare_folder(bundle.outdir, bundle.force)


def copy_full_grader(bundle: Bundle) -> None:
    copy_grader(bundle.grader, hidden=True, docs_url=bundle.docs_url)


def record_all(bundle: Bundle) -> None:
    record_reference(bundle.grader / RECORDING, ("public", "hidden"))


def write_entry_point(bundle: Bundle) -> None:
    shutil.copy(TEMPLATES / "classroom50" / "autograder.py", bundle.outdir / "autograder.py")


def write_requirements(bundle: Bundle) -> None:
    (bundle.outdir / "requirements.txt").write_text("\n".join(runtime_dependencies()) + "\n", encoding="utf-8")


def write_runtime(bundle: Bundle) -> None:
    (bundle.outdir / "runtime.json").write_text(json.dumps(RUNTIME, indent=2) + "\n", encoding="utf-8")


def write_readme(bundle: Bundle) -> None:
    text = render("classroom50/README.md.tmpl", slug=bundle.slug, python_version=PYTHON_VERSION)
    (bundle.outdir / "README.md").write_text(text, encoding="utf-8")


def scan(bundle: Bundle) -> None:
    leaks.require_no_leaks(bundle.outdir, hidden_allowed=True)


STEPS = (prepare, copy_full_grader, record_all, write_entry_point, write_requirements, write_runtime, write_readme,
         scan)


def build(bundle: Bundle) -> None:
    run_steps(STEPS, bundle)
