"""The nbgrader course for lecture 4, built from the same source as everything else.

``python -m autograder nbgrader [COURSE]`` (``nox -s nbgrader``) runs
:data:`STEPS` in order::

    prepare               refuse a foreign non-empty folder; rebuild our own in
                          place (gradebook and submissions are kept)
    write_config          nbgrader_config.py (from a template): cell timeout,
                          stubs, kernel path, hidden-test cells without false
                          checksum warnings
    copy_instructor_grader grader/: the full grader and the reference solutions,
                          imported by the kernel at autograde time; outside
                          source/, so nbgrader never releases it
    write_student_kit     source/lecture04/autograder/: the public checks with
                          the values recorded from the reference (what the
                          student template ships), so students can run the
                          public test cells on JupyterHub
    write_notebooks       source/lecture04/<exercise>.ipynb, one per exercise
    generate_assignment   the real ``nbgrader generate_assignment lecture04``
    scan                  no solution line or expression and no hidden test name
                          in release/

A notebook has a short Korean theory cell linking to the docs page, a locked
set-up cell, one solution cell per function (the solution's text, with its
``### BEGIN SOLUTION`` markers), and one test cell per test of the suites,
worth the test's points: public tests visible, hidden ones between
``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``. Every test cell calls
:func:`autograder.notebook_checks.check`, which runs the suite's own test function on the
notebook's functions.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

try:
    import nbformat
except ImportError:  # the nbgrader extra brings it; build() says so
    nbformat = None

from ..catalog import EXERCISES, Exercise, test_inventory, PROVIDED
from . import leaks
from .common import (IGNORED, RECORDING, ROOT, SOLUTIONS, ReleaseError, copy_grader, docs_link, prepare_folder,
                     record_reference, render, run_steps)

ASSIGNMENT = "lecture04"
DEFAULT_COURSE = ROOT / "course"
CONFIG_MARKER = "# nbgrader course of lecture 4, written by python -m autograder.assign.nbgrader_course"
#: What a rebuild replaces; everything else in the course (gradebook.db,
#: submitted/, autograded/, feedback/, ...) is the instructor's and is kept.
GENERATED = ("nbgrader_config.py", "grader", f"source/{ASSIGNMENT}", f"release/{ASSIGNMENT}")
CODE_STUB = '# 여기에 코드를 작성하세요.\nraise NotImplementedError("아직 구현하지 않았습니다.")'
TEXT_STUB = "여기에 답을 쓰세요."
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
NOT_INSTALLED = ("nbgrader가 설치되어 있지 않습니다: `nox -s nbgrader`로 실행하거나 nbgrader 추가 패키지를 "
                 "설치하세요 (python -m pip install 'nbgrader>=0.9.6,<0.10')")


class CourseError(ReleaseError):
    """The course cannot be built as asked; the message says why."""


@dataclass
class Course:
    """What to build and the facts every step needs."""

    path: Path
    docs_url: str | None = None
    course_id: str = "dl-seminar"
    timeout: int = 60
    force: bool = False
    generate: bool = True

    @property
    def assignment_dir(self) -> Path:
        return self.path / "source" / ASSIGNMENT


# --- the folder and the grader ----------------------------------------------------


def is_our_course(course: Path) -> bool:
    config = course / "nbgrader_config.py"
    return config.is_file() and config.read_text(encoding="utf-8").startswith(CONFIG_MARKER)


def prepare(course: Course) -> None:
    """Create the course folder, or clear what a previous build generated there."""
    course.path = prepare_folder(course.path, course.force, GENERATED, ours=is_our_course(Path(course.path)))


def write_config(course: Course) -> None:
    """nbgrader_config.py: execution timeout, Korean stubs, the kernel's grader path."""
    text = render("nbgrader_config.py.tmpl", marker=CONFIG_MARKER, course_id=repr(course.course_id),
                  timeout=int(course.timeout), code_stub=repr(CODE_STUB), text_stub=repr(TEXT_STUB))
    (course.path / "nbgrader_config.py").write_text(text, encoding="utf-8")


def copy_instructor_grader(course: Course) -> None:
    """grader/: autograder/ (hidden suites included, release tooling excluded) and solutions/."""
    copy_grader(course.path / "grader", hidden=True, docs_url=course.docs_url)
    shutil.copytree(SOLUTIONS, course.path / "grader" / "solutions", ignore=IGNORED)


def write_student_kit(course: Course) -> None:
    """The public checks for the students' kernels, exactly as in the student template."""
    course.assignment_dir.mkdir(parents=True, exist_ok=True)
    copy_grader(course.assignment_dir, docs_url=course.docs_url)
    record_reference(course.assignment_dir / RECORDING)


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
        body = self._statements()
        for i, node in enumerate(body):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
                return self._text(node, body[i + 1] if i + 1 < len(body) else None)
        raise CourseError(f"solutions/{self.name}.py 에 {name} 함수가 없습니다")

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
        return f"{node.name}({ast.unparse(init.args).removeprefix('self, ') if init else ''})"
    return _function_signature(node)


def _function_signature(node: ast.FunctionDef) -> str:
    return f"{node.name}({ast.unparse(node.args)})"


def intro_cell(exercise: Exercise, module: SolutionModule, tests: list[dict], docs_url: str | None):
    functions = module.functions()
    public = sum(t["points"] for t in tests if t["visibility"] == "public")
    hidden = sum(t["points"] for t in tests if t["visibility"] == "hidden")
    link = docs_link(docs_url, exercise.docs_page)
    listing = "\n".join(f"- `{_signature(functions[f])}`: {_summary(functions[f])}" for f in exercise.functions)
    return markdown(f"{exercise.name}-intro", f"""
# {exercise.title} (`{exercise.name}`)

{module.doc}

이 노트북에서 구현할 함수:

{listing}

{f"강의 노트: [{exercise.title}]({link})" if link else f"강의 사이트의 «{exercise.title}» 페이지를 함께 보세요."}

**할 일.** 각 함수에서 `# 여기에 코드를 작성하세요.` 와 `raise NotImplementedError(...)` 줄을 지우고 구현한 뒤,
맨 위 셀부터 차례로 실행하세요. 맨 아래의 테스트 셀이 공개 테스트(교재 예제, {public}점)로 확인해 줍니다.
숨은 테스트({hidden}점)는 제출한 뒤 채점할 때 실행됩니다. 함수 이름과 인수는 바꾸지 마세요.
""")


def upstream_cells(exercise: Exercise, module: SolutionModule) -> list:
    """For each function used from an earlier exercise: a note and a cell to paste it into."""
    cells = []
    for upstream_module, function in module.upstream():
        if upstream_module in PROVIDED:  # last lecture's functions: given as they are, locked
            cells.append(code(f"{exercise.name}-provided-{function}",
                              SolutionModule(upstream_module).function_source(function), locked=True))
            continue
        note = ("채점할 때는 이 함수를 정확한 값을 돌려주는 대체 함수로 바꿔서 실행하므로, "
                "여기에 있는 실수가 이 노트북의 점수를 깎지는 않습니다."
                if upstream_module in exercise.standins else "")
        cells.append(markdown(f"{exercise.name}-uses-{function}", f"""
이 과제는 앞 과제 `{upstream_module}` 의 `{function}` 을(를) 씁니다. 앞 노트북에서 완성한 함수를 아래 셀에
붙여 넣으세요. {note}
"""))
        cells.append(code(f"{exercise.name}-{function}", SolutionModule(upstream_module).function_source(function),
                          solution=True))
    return cells


TESTS_INTRO = """
## 테스트

테스트 셀마다 채점기의 테스트 하나를 위의 함수로 실행하고, 통과하면 ✔, 아니면 ✘와 무엇이 틀렸는지 알려 줍니다.
함수를 고친 뒤에는 그 함수의 셀을 다시 실행하고 테스트 셀을 실행하세요. 테스트 셀은 고치지 마세요
(채점할 때 원래 내용으로 되돌립니다).
"""


def grade_cell(exercise: Exercise, test: dict, hidden_number: int):
    """One graded cell; a hidden test's cell id is numbered, never named after the test."""
    call = f'check("{exercise.name}", "{test["name"]}")'
    if test["visibility"] == "public":
        source = f"# 공개 테스트 ({test['points']}점): {test['title']}\nfrom autograder.notebook_checks import check\n{call}"
        grade_id = f"{exercise.name}-public-{test['name']}"
    else:
        source = (f"# 숨은 테스트 ({test['points']}점): 제출한 뒤 채점할 때 실행됩니다.\n"
                  "from autograder.notebook_checks import check\n"
                  f"### BEGIN HIDDEN TESTS\n# {test['title']}\n{call}\n### END HIDDEN TESTS")
        grade_id = f"{exercise.name}-hidden-{hidden_number}"
    return code(grade_id, source, grade=True, locked=True, points=test["points"])


def grade_cells(exercise: Exercise, tests: list[dict]) -> list:
    cells, hidden = [markdown(f"{exercise.name}-tests", TESTS_INTRO)], 0
    for test in tests:
        hidden += test["visibility"] == "hidden"
        cells.append(grade_cell(exercise, test, hidden))
    return cells


def build_notebook(exercise: Exercise, inventory: list[dict], docs_url: str | None) -> nbformat.NotebookNode:
    """The source notebook of ``exercise`` (solutions and hidden tests included); ``inventory`` is only read."""
    module = SolutionModule(exercise.name)
    tests = [t for t in inventory if t["exercise"] == exercise.name]
    cells = [intro_cell(exercise, module, tests, docs_url), code(f"{exercise.name}-setup", module.setup_source(),
                                                                 locked=True)]
    cells += upstream_cells(exercise, module)
    cells += [code(f"{exercise.name}-{f}", module.function_source(f), solution=True) for f in exercise.functions]
    cells += grade_cells(exercise, tests)
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata.update({"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}})
    nbformat.validate(notebook)
    return notebook


def write_notebooks(course: Course) -> None:
    inventory = test_inventory()
    for exercise in EXERCISES:
        nbformat.write(build_notebook(exercise, inventory, course.docs_url),
                       course.assignment_dir / f"{exercise.name}.ipynb")


# --- nbgrader -------------------------------------------------------------------


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
        raise CourseError(f"nbgrader {' '.join(args)} 이(가) 실패했습니다 (종료 코드 {process.returncode}):\n"
                          f"{process.stdout}{process.stderr}")
    return process


def generate_assignment(course: Course) -> None:
    """``nbgrader generate_assignment``: fills the gradebook and writes release/."""
    if course.generate:
        nbgrader(course.path, "generate_assignment", ASSIGNMENT, "--force")


def scan(course: Course) -> None:
    if not course.generate:
        return
    release = course.path / "release" / ASSIGNMENT
    if not release.is_dir() or not list(release.glob("*.ipynb")):
        raise CourseError(f"nbgrader가 {release} 에 노트북을 하나도 쓰지 않았습니다")
    leaks.require_no_leaks(release)


STEPS = (prepare, write_config, copy_instructor_grader, write_student_kit, write_notebooks, generate_assignment,
         scan)


def build(course: Course) -> None:
    if nbformat is None:
        raise CourseError(NOT_INSTALLED)
    run_steps(STEPS, course)
