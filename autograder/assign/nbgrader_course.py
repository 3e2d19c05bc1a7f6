"""Build the nbgrader course for lecture 4 from the same source as everything else.

``python -m autograder.assign.nbgrader_course [COURSE]`` (``nox -s nbgrader``)
writes, in this order::

    prepare_course        refuse a foreign non-empty folder; rebuild our own in
                          place (gradebook and submissions are kept)
    write_config          nbgrader_config.py: cell timeout, stubs, kernel path
    copy_instructor_grader grader/: the full grader and the reference solutions,
                          imported by the kernel at autograde time; outside
                          source/, so nbgrader never releases it
    write_student_kit     source/lecture04/autograder/: the public checks with
                          the values recorded from the reference (what the
                          Classroom template ships), so students can run the
                          public test cells on JupyterHub
    write_notebooks       source/lecture04/<exercise>.ipynb, one per exercise
    generate_assignment   the real ``nbgrader generate_assignment lecture04``
    scan_release          no solution line and no hidden test name in release/

A notebook has a short Korean theory cell linking to the docs page, a locked
set-up cell, one solution cell per function (the solution's text, with its
``### BEGIN SOLUTION`` markers), and one test cell per test of the suites,
worth the test's points: public tests visible, hidden ones between
``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``. Every test cell calls
:func:`autograder.nb.check`, which runs the suite's own test function on the
notebook's functions.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

try:
    import nbformat
except ImportError:  # the nbgrader extra brings it; main() says so
    nbformat = None

from ..catalog import BY_NAME, EXERCISES, PROVIDED, Exercise, test_inventory
from .leaks import find_leaks, hidden_test_names, solution_lines
from .release import (GRADER, IGNORED, RECORDING, ROOT, SOLUTIONS, ReleaseError, copy_grader, docs_link,
                      record_reference, site_url_from_mkdocs)

ASSIGNMENT = "lecture04"
DEFAULT_COURSE = ROOT / "course"
CONFIG_MARKER = "# nbgrader course of lecture 4, written by python -m autograder.assign.nbgrader_course"
#: What a rebuild replaces; everything else in the course (gradebook.db,
#: submitted/, autograded/, feedback/, ...) is the instructor's and is kept.
GENERATED = ("nbgrader_config.py", "grader", f"source/{ASSIGNMENT}", f"release/{ASSIGNMENT}")
CODE_STUB = '# 여기에 코드를 작성하세요.\nraise NotImplementedError("아직 구현하지 않았습니다.")'
TEXT_STUB = "여기에 답을 쓰세요."
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


class CourseError(ReleaseError):
    """The course cannot be built as asked; the message says why."""


# --- the folder -----------------------------------------------------------------


def is_our_course(course: Path) -> bool:
    config = course / "nbgrader_config.py"
    return config.is_file() and config.read_text(encoding="utf-8").startswith(CONFIG_MARKER)


def prepare_course(course: Path, force: bool) -> None:
    """Create ``course``, or clear what a previous build generated there."""
    course = course.resolve()
    if course == ROOT or ROOT.is_relative_to(course) or course.is_relative_to(SOLUTIONS) \
            or course.is_relative_to(GRADER):
        raise CourseError(f"refusing to build the course in {course}: it is (part of) this repository's sources")
    if course.exists() and not course.is_dir():
        raise CourseError(f"{course} exists and is not a folder")
    if course.exists() and any(course.iterdir()) and not is_our_course(course) and not force:
        raise CourseError(f"{course} is not empty and is not a course built by this tool; choose another "
                          "folder or pass --force (only nbgrader_config.py, grader/, source/lecture04/ and "
                          "release/lecture04/ are replaced)")
    for relative in GENERATED:
        path = course / relative
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
    course.mkdir(parents=True, exist_ok=True)


def write_config(course: Path, course_id: str, timeout: int) -> None:
    """nbgrader_config.py: execution timeout, Korean stubs, and the kernel's grader path."""
    text = f'''{CONFIG_MARKER}.
# Rebuilding the course rewrites this file: change the builder's options instead
# (--course-id, --timeout).
from pathlib import Path

c = get_config()  # noqa: F821 - provided by nbgrader when it reads this file
COURSE = Path(__file__).resolve().parent

c.CourseDirectory.root = str(COURSE)
c.CourseDirectory.course_id = {course_id!r}

# A cell that runs longer than this scores 0; grading goes on with the next cell.
c.Execute.timeout = {int(timeout)}

# Test cells import autograder.nb. While nbgrader executes a notebook (autograde,
# validate), the kernel finds the instructor's grader first: hidden suites and
# reference solutions in grader/, never the public copy in the student's folder.
c.Execute.extra_arguments = [
    "--IPKernelApp.exec_lines=import sys; sys.path.insert(0, " + repr(str(COURSE / "grader")) + ")",
]

# What a solution region becomes in the students' notebooks.
c.ClearSolutions.code_stub = {{"python": {CODE_STUB!r}}}
c.ClearSolutions.text_stub = {TEXT_STUB!r}
'''
    (course / "nbgrader_config.py").write_text(text, encoding="utf-8")


def copy_instructor_grader(course: Path) -> None:
    """grader/: autograder/ (hidden suites included, release tooling excluded) and solutions/."""
    target = course / "grader"
    shutil.copytree(GRADER, target / "autograder",
                    ignore=lambda folder, names: set(IGNORED(folder, names))
                    | ({"assign"} if Path(folder).resolve() == GRADER else set()))
    (target / RECORDING).unlink(missing_ok=True)
    shutil.copytree(SOLUTIONS, target / "solutions", ignore=IGNORED)


def write_student_kit(assignment_dir: Path) -> None:
    """The public checks for the students' kernels, exactly as in the Classroom template."""
    assignment_dir.mkdir(parents=True, exist_ok=True)
    copy_grader(assignment_dir)
    record_reference(assignment_dir / RECORDING)


# --- the notebooks --------------------------------------------------------------


def _meta(grade_id: str, *, solution=False, grade=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def markdown(grade_id: str, text: str) -> nbformat.NotebookNode:
    """A read-only explanation cell."""
    cell = nbformat.v4.new_markdown_cell(text.strip(), metadata=_meta(grade_id, locked=True))
    cell.id = grade_id
    return cell


def code(grade_id: str, source: str, **kind) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source.strip("\n"), metadata=_meta(grade_id, **kind))
    cell.id = grade_id
    return cell


class SolutionModule:
    """A ``solutions/<name>.py`` file cut into the pieces a notebook needs."""

    def __init__(self, name: str):
        self.name = name
        self.source = (SOLUTIONS / f"{name}.py").read_text(encoding="utf-8")
        self.tree = ast.parse(self.source)
        self.lines = self.source.splitlines()

    @property
    def doc(self) -> str:
        return ast.get_docstring(self.tree) or ""

    def _statements(self):
        body = self.tree.body
        if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
            body = body[1:]  # the module docstring
        return body

    def _text(self, node, next_node) -> str:
        """``node``'s lines up to the next statement, so a trailing ``### END SOLUTION`` stays."""
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        end = (min([next_node.lineno] + [d.lineno for d in getattr(next_node, "decorator_list", [])]) - 1
               if next_node is not None else len(self.lines))
        return "\n".join(self.lines[start - 1:end]).rstrip()

    def functions(self) -> dict[str, ast.FunctionDef | ast.ClassDef]:
        return {n.name: n for n in self._statements() if isinstance(n, (ast.FunctionDef, ast.ClassDef))}

    def function_source(self, name: str) -> str:
        """A function's or a class's source (with its solution markers)."""
        body = self._statements()
        for i, node in enumerate(body):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
                return self._text(node, body[i + 1] if i + 1 < len(body) else None)
        raise KeyError(f"solutions/{self.name}.py has no function {name}")

    def setup_source(self) -> str:
        """Imports and module constants; a constant's docstring becomes a comment."""
        out = []
        for node in self._statements():
            if isinstance(node, (ast.Import, ast.ImportFrom)) and not getattr(node, "level", 0):
                out.append(ast.get_source_segment(self.source, node))
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                out.append(ast.get_source_segment(self.source, node))
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                out += [f"# {line}".rstrip() for line in node.value.value.strip().splitlines()]
        return "\n".join(out)

    def upstream(self) -> list[tuple[str, str]]:
        """``(module, function)`` imported from sibling exercises (``from .gradient import ...``)."""
        return [(node.module, alias.name) for node in self._statements()
                if isinstance(node, ast.ImportFrom) and node.level for alias in node.names]


def _summary(node: ast.FunctionDef) -> str:
    doc = ast.get_docstring(node) or ""
    return " ".join(doc.split("\n\n")[0].split())


def _signature(node: ast.FunctionDef | ast.ClassDef) -> str:
    if isinstance(node, ast.ClassDef):
        init = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
        args = ast.unparse(init.args).removeprefix("self, ") if init else ""
        return f"{node.name}({args})"
    return f"{node.name}({ast.unparse(node.args)})"


def build_notebook(exercise: Exercise, inventory: list[dict], docs_url: str | None) -> nbformat.NotebookNode:
    """The source notebook of ``exercise`` (solutions and hidden tests included)."""
    module = SolutionModule(exercise.name)
    functions = module.functions()
    tests = [t for t in inventory if t["exercise"] == exercise.name]
    public = sum(t["points"] for t in tests if t["visibility"] == "public")
    hidden = sum(t["points"] for t in tests if t["visibility"] == "hidden")
    link = docs_link(docs_url, exercise.docs_page)
    listing = "\n".join(f"- `{_signature(functions[f])}`: {_summary(functions[f])}" for f in exercise.functions)
    cells = [markdown(f"{exercise.name}-intro", f"""
# {exercise.title} (`{exercise.name}`)

{module.doc}

이 노트북에서 구현할 함수:

{listing}

{f"강의 노트: [{exercise.title}]({link})" if link else f"강의 사이트의 «{exercise.title}» 페이지를 함께 보세요."}

**할 일.** 각 함수에서 `# 여기에 코드를 작성하세요.` 와 `raise NotImplementedError(...)` 줄을 지우고 구현한 뒤,
맨 위 셀부터 차례로 실행하세요. 맨 아래의 테스트 셀이 공개 테스트(교재 예제, {public}점)로 확인해 줍니다.
숨은 테스트({hidden}점)는 제출한 뒤 채점할 때 실행됩니다. 함수 이름과 매개변수는 바꾸지 마세요.
""")]
    cells.append(code(f"{exercise.name}-setup", module.setup_source(), locked=True))

    for upstream_module, function in module.upstream():
        upstream = SolutionModule(upstream_module)
        if upstream_module in PROVIDED:  # last lecture's functions: given as they are, locked
            cells.append(code(f"{exercise.name}-provided-{function}", upstream.function_source(function), locked=True))
            continue
        note = ("채점할 때는 이 함수를 정확한 값을 돌려주는 대체 함수로 바꿔서 실행하므로, "
                "여기에 있는 실수가 이 노트북의 점수를 깎지는 않습니다."
                if upstream_module in exercise.standins else "")
        cells.append(markdown(f"{exercise.name}-uses-{function}", f"""
이 과제는 앞 과제 `{upstream_module}` 의 `{function}` 을(를) 씁니다. 앞 노트북에서 완성한 함수를 아래 셀에
붙여 넣으세요. {note}
"""))
        cells.append(code(f"{exercise.name}-{function}", upstream.function_source(function), solution=True))

    for function in exercise.functions:
        cells.append(code(f"{exercise.name}-{function}", module.function_source(function), solution=True))

    cells.append(markdown(f"{exercise.name}-tests", """
## 테스트

테스트 셀마다 채점기의 테스트 하나를 위의 함수로 실행하고, 통과하면 ✔, 아니면 ✘와 무엇이 틀렸는지 알려 줍니다.
함수를 고친 뒤에는 그 함수의 셀을 다시 실행하고 테스트 셀을 실행하세요. 테스트 셀은 고치지 마세요
(채점할 때 원래 내용으로 되돌립니다).
"""))
    for n, test in enumerate((t for t in tests if t["visibility"] == "hidden"), start=1):
        test["_cell"] = f"{exercise.name}-hidden-{n}"  # no hidden test name in a released cell id
    for test in tests:
        call = f'check("{exercise.name}", "{test["name"]}")'
        if test["visibility"] == "public":
            source = (f"# 공개 테스트 ({test['points']}점): {test['title']}\n"
                      f"from autograder.nb import check\n{call}")
            grade_id = f"{exercise.name}-public-{test['name']}"
        else:
            source = (f"# 숨은 테스트 ({test['points']}점): 제출한 뒤 채점할 때 실행됩니다.\n"
                      "from autograder.nb import check\n"
                      f"### BEGIN HIDDEN TESTS\n# {test['title']}\n{call}\n### END HIDDEN TESTS")
            grade_id = test.pop("_cell")
        cells.append(code(grade_id, source, grade=True, locked=True, points=test["points"]))

    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata.update({"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}})
    nbformat.validate(notebook)
    return notebook


def write_notebooks(assignment_dir: Path, docs_url: str | None) -> list[Path]:
    inventory = test_inventory()
    paths = []
    for exercise in EXERCISES:
        path = assignment_dir / f"{exercise.name}.ipynb"
        nbformat.write(build_notebook(exercise, [dict(t) for t in inventory], docs_url), path)
        paths.append(path)
    return paths


# --- nbgrader -------------------------------------------------------------------


NOT_INSTALLED = ("nbgrader is not installed: run `nox -s nbgrader`, or install the `nbgrader` extra "
                 "(python -m pip install 'nbgrader>=0.9.6,<0.10')")


def nbgrader(course: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run the real ``nbgrader`` command line in ``course`` (with this interpreter)."""
    try:
        import nbgrader as _  # noqa: F401
    except ImportError:
        raise CourseError(NOT_INSTALLED) from None
    # nbgrader runs helper commands (alembic) from PATH: put this interpreter's scripts first.
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    process = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                             capture_output=True, text=True)
    if check and process.returncode != 0:
        raise CourseError(f"nbgrader {' '.join(args)} failed (exit {process.returncode}):\n"
                          f"{process.stdout}{process.stderr}")
    return process


def generate_assignment(course: Path) -> None:
    """``nbgrader generate_assignment``: fills the gradebook and writes release/."""
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")


def scan_release(course: Path) -> None:
    release = course / "release" / ASSIGNMENT
    if not release.is_dir() or not list(release.glob("*.ipynb")):
        raise CourseError(f"nbgrader wrote no notebooks into {release}")
    leaks = find_leaks(release, solution_lines(SOLUTIONS), hidden_test_names(test_inventory()))
    if leaks:
        raise CourseError("the released assignment leaks; do not publish it:\n  "
                          + "\n  ".join(str(leak) for leak in leaks))


def build(course: Path, docs_url: str | None = None, course_id: str = "dl-seminar",
          timeout: int = 60, force: bool = False, generate: bool = True) -> None:
    if nbformat is None:
        raise CourseError(NOT_INSTALLED)
    prepare_course(course, force)
    write_config(course, course_id, timeout)
    copy_instructor_grader(course)
    assignment_dir = course / "source" / ASSIGNMENT
    write_student_kit(assignment_dir)
    write_notebooks(assignment_dir, docs_url)
    if generate:
        generate_assignment(course)
        scan_release(course)
