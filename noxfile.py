"""Sessions: ``nox -s tests`` (project tests), ``check`` (students), ``grade`` (instructor), ...

The grader is never installed into a session: sessions install the
dependencies from pyproject.toml and run from the checkout, so the solutions
and hidden suites stay out of site-packages where student code could find them.
"""

import glob
import os

import nox

nox.options.default_venv_backend = "uv|virtualenv"
# Install with bytecode: where PYTHONDONTWRITEBYTECODE is set, Python would otherwise
# recompile every package on every start (a 1 s "import numpy, pytest").
os.environ.setdefault("UV_COMPILE_BYTECODE", "1")
nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True

PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHON = ["3.11", "3.12", "3.13"] if os.environ.get("NOX_ALL_PYTHONS") else None


def compile_grader(session):
    """Byte-compile the grader's own modules once, as an installed package would be (where
    PYTHONDONTWRITEBYTECODE is set, every run would otherwise recompile them: ~0.1 s a process)."""
    folders = [f for f in ("autograder", "solutions", "exercises") if os.path.isdir(f)]
    session.run("python", "-m", "compileall", "-q", *folders, env={"PYTHONDONTWRITEBYTECODE": ""}, silent=True)


def requirements(*extras):
    """Runtime dependencies plus the given optional-dependency groups."""
    deps = list(PYPROJECT["project"]["dependencies"])
    for extra in extras:
        deps += PYPROJECT["project"]["optional-dependencies"][extra]
    return deps


@nox.session(python=PYTHON)
def tests(session):
    """The project's own tests (in CI, the browser and nbgrader tests too)."""
    session.install(*requirements("test", "docs", "browser", "nbgrader", "release", "instructor", "mutants"))
    session.run("lint-imports")  # the layering contracts in pyproject.toml
    session.run("pytest", *session.posargs)


@nox.session
def check(session):
    """학생용: 공개 테스트로 내 과제를 확인합니다 (nox -s check -- --exercise losses)."""
    session.install(*requirements())
    compile_grader(session)
    session.run("python", "-m", "autograder", "check", *session.posargs)


@nox.session
def grade(session):
    """Grade submissions: nox -s grade -- submissions/* --csv grades.csv (default: bundled examples)."""
    session.install(*requirements("instructor"))
    compile_grader(session)
    args = [a for arg in session.posargs for a in (sorted(glob.glob(arg)) or [arg])]
    session.run("python", "-m", "autograder", "grade", *args)


@nox.session
def docs(session):
    """Lecture site: nox -s docs (strict build into site/) or nox -s docs -- serve (live reload)."""
    session.install(*requirements("docs"))
    session.env["NO_MKDOCS_2_WARNING"] = "1"  # Material's end-of-life banner on every run
    if session.posargs[:1] == ["serve"]:
        session.run("mkdocs", "serve", *session.posargs[1:])
    else:
        session.run("mkdocs", "build", "--strict", "--site-dir", "site", *session.posargs)


@nox.session
def bench(session):
    """Grading speed (floor, one cold submission, batches of 20 and 100, nbgrader autograde) and the lecture
    site's cold and warm build: nox -s bench [-- --only docs|grading]."""
    session.install(*requirements("nbgrader", "docs"))
    compile_grader(session)
    session.run("python", "-m", "autograder", "bench", *session.posargs)


@nox.session
def mutants(session):
    """Mutation testing of the hidden suites; nox -s mutants -- --write-readme rewrites the README's figures."""
    session.install(*requirements("mutants"))
    session.run("python", "-m", "mutation", *session.posargs)


@nox.session
def stubs(session):
    """Regenerate exercises/ from solutions/ (nox -s stubs -- --check only compares)."""
    session.install(*requirements())
    session.run("python", "-m", "autograder", "stubs", *session.posargs)


@nox.session
def release(session):
    """Student template: nox -s release -- OUTDIR [--force] [--docs-url URL] [--hidden-repo OWNER/NAME | --classroom50 BUNDLEDIR]."""
    session.install(*requirements("release"))
    session.run("python", "-m", "autograder", "release", *session.posargs)


@nox.session
def nbgrader(session):
    """nbgrader course (default course/) and nbgrader generate_assignment: nox -s nbgrader -- [COURSE] [--docs-url URL]."""
    session.install(*requirements("nbgrader"))
    session.run("python", "-m", "autograder", "nbgrader", *session.posargs)
