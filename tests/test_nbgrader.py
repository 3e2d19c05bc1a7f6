"""The nbgrader channel (``nox -s nbgrader``): the same exercises, graded by the same suites.

The in-kernel runner :func:`autograder.notebook_checks.check` is tested directly (no
Jupyter needed). The ``nbgrader``-marked tests build the course and run the
real pipeline: ``nbgrader generate_assignment``, three students' submissions,
``nbgrader autograde``, and the gradebook. They skip only when nbgrader is not
installed and ``CI`` is not ``"true"``; in CI a missing nbgrader fails them.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import notebook_checks
from autograder.assign.leaks import find_leaks, hidden_test_names
from autograder.assign.stubs import BEGIN
from autograder.catalog import BY_NAME, EXERCISES, PROVIDED, test_inventory
from autograder.report.links import page_link
from autograder.suites.mistakes import MISTAKES
from conftest import make_submission
from mutation.known import KNOWN as MUTANTS

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
INVENTORY = test_inventory()
ASSIGNMENT = "lecture04"
DOCS_URL = "https://lecture.example.org/dl04"
BROKEN_GRADIENT = "def numerical_gradient(f, x, h=1e-4):\n    return np.zeros_like(x)  # 틀린 구현\n"


def require_nbgrader():
    """Skip without nbgrader, except in CI, where its absence is a failure."""
    try:
        import nbclient  # noqa: F401
        import nbformat  # noqa: F401
        import nbgrader  # noqa: F401
    except ImportError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but nbgrader is not installed ({exc}): install the nbgrader extra")
        pytest.skip(f"nbgrader is not installed ({exc}); CI runs this test")


# --- the in-kernel runner, without Jupyter ----------------------------------------


def namespace_from(folder: Path, edits: dict | None = None, exercise=None) -> dict:
    """What a notebook's globals hold after its cells ran: the provided modules (locked cells), then ``exercise``'s
    module after those of the exercises it uses (without ``exercise``: every exercise's module, in one
    namespace), functions only (relative imports dropped, as in the notebooks)."""
    namespace: dict = {}
    for provided in PROVIDED:  # the notebooks give these in locked cells
        path = SOLUTIONS / f"{provided}.py"
        module = {"__file__": str(path), "__name__": provided}
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), module)
        namespace.update({k: v for k, v in module.items() if not k.startswith("__")})
    names = (*exercise.standins, exercise.name) if exercise else [e.name for e in EXERCISES]
    for name in names:
        source = (folder / f"{name}.py").read_text(encoding="utf-8")
        for old, new in (edits or {}).get(f"{name}.py", []):
            assert old in source, old
            source = source.replace(old, new)
        tree = ast.parse(source)
        tree.body = [n for n in tree.body if not (isinstance(n, ast.ImportFrom) and n.level)]
        exec(compile(tree, f"<notebook {name}>", "exec"), namespace)
    return namespace


def outcome(exercise: str, test: str, namespace: dict) -> tuple[str, str]:
    try:
        notebook_checks.check(exercise, test, namespace)
    except AssertionError as exc:
        return "failed", str(exc)
    return "passed", ""


def test_check_passes_every_test_for_the_reference(capsys):
    namespace = namespace_from(SOLUTIONS)
    for test in INVENTORY:
        assert outcome(test["exercise"], test["name"], namespace) == ("passed", ""), test
    assert capsys.readouterr().out.count("✔") == len(INVENTORY)


def test_check_fails_every_test_of_the_stubs_in_korean(capsys):
    namespace = namespace_from(ROOT / "exercises")
    for test in INVENTORY:
        status, message = outcome(test["exercise"], test["name"], namespace)
        assert status == "failed", test
        assert "아직 구현하지 않았습니다" in message and "이 노트북" in message, message
        assert "exercises/" not in message and "Traceback" not in message
    assert capsys.readouterr().out.count("✘") == len(INVENTORY)


def test_check_reads_the_calling_cells_globals():
    cell = 'from autograder.notebook_checks import check\ncheck("losses", "sse_textbook")\n'
    exec(cell, namespace_from(SOLUTIONS))  # passes: no exception
    with pytest.raises(AssertionError, match="아직 구현하지 않았습니다"):
        exec(cell, namespace_from(ROOT / "exercises"))


def test_check_names_unknown_tests_clearly():
    with pytest.raises(LookupError, match="테스트가 없습니다"):
        notebook_checks.check("losses", "no_such_test", {})
    with pytest.raises(ValueError, match="알 수 없는 과제"):
        notebook_checks.check("optimizers", "sse_textbook", {})


def test_no_double_penalty_for_gradient_descent():
    """A wrong numerical_gradient loses points in gradient only, and is put back afterwards."""
    namespace = namespace_from(SOLUTIONS)
    exec(BROKEN_GRADIENT, namespace)
    broken = namespace["numerical_gradient"]
    failed = {(t["exercise"], t["name"]) for t in INVENTORY
              if outcome(t["exercise"], t["name"], namespace)[0] == "failed"}
    assert failed, "the broken numerical_gradient went unnoticed"
    assert all(exercise == "gradient" and name.startswith("numerical_gradient") for exercise, name in failed), failed
    assert namespace["numerical_gradient"] is broken
    # without the stand-in, gradient_descent(grad=None) would have failed with this numerical_gradient
    x, _ = namespace["gradient_descent"](lambda v: float((v ** 2).sum()), namespace["np"].array([3.0, 4.0]), 0.1, 5)
    assert list(x) == [3.0, 4.0]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the "no δ" mutant takes log(0), as intended
def test_notebook_runner_judges_mistakes_like_the_sandboxed_grader(grader, tmp_path):
    """The same suite functions give the same verdicts and messages in a notebook as in
    ``nox -s grade`` for every mutant of the catalogue."""
    for i, mutant in enumerate(MUTANTS):
        edits = {mutant.file: mutant.edits}
        graded = grader.grade(make_submission(tmp_path / f"m{i}", replace=edits))
        for exercise in graded.exercises:
            namespace = namespace_from(SOLUTIONS, edits, BY_NAME[exercise.name])  # that exercise's notebook
            for test in exercise.tests:
                status, message = outcome(exercise.name, test.name, namespace)
                assert status == ("passed" if test.status == "passed" else "failed"), (mutant.name, test)
                if test.status == "failed":  # the notebook is the student's module
                    want = test.message
                    for name in BY_NAME:
                        want = want.replace(f"exercises/{name}.py", "이 노트북")
                    assert message == want, (mutant.name, test.name)


# --- the real nbgrader pipeline ----------------------------------------------------


def build_course(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return subprocess.run([sys.executable, "-m", "autograder", "nbgrader", str(course), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    require_nbgrader()
    course = tmp_path_factory.mktemp("nbgrader") / "course"
    process = build_course(course, "--docs-url", DOCS_URL)
    assert process.returncode == 0, process.stdout + process.stdout + process.stderr
    return course


def read_notebook(path: Path):
    import nbformat

    return nbformat.read(path, as_version=4)


def nbgrader_meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


@pytest.mark.nbgrader
def test_course_layout_keeps_solutions_out_of_the_assignment(course):
    config = (course / "nbgrader_config.py").read_text(encoding="utf-8")
    assert re.search(r"^c\.Execute\.timeout = \d+$", config, re.MULTILINE)
    source = course / "source" / ASSIGNMENT
    assert sorted(p.name for p in source.glob("*.ipynb")) == sorted(f"{e.name}.ipynb" for e in EXERCISES)
    assert (course / "grader" / "solutions").is_dir() and (course / "grader/autograder/suites/hidden").is_dir()
    # every file nbgrader copies verbatim (all but the notebooks) is free of solutions and hidden tests
    verbatim = shutil.copytree(source, course.parent / "verbatim", ignore=shutil.ignore_patterns("*.ipynb"))
    assert list(verbatim.rglob("*.py"))
    assert not find_leaks(verbatim, hidden_names=hidden_test_names(INVENTORY))
    assert (course / "gradebook.db").is_file()


@pytest.mark.nbgrader
def test_notebooks_carry_solutions_and_one_graded_cell_per_test(course):
    total = 0
    for exercise in EXERCISES:
        notebook = read_notebook(course / "source" / ASSIGNMENT / f"{exercise.name}.ipynb")
        intro = notebook.cells[0]
        assert intro.cell_type == "markdown" and f"{DOCS_URL}/{exercise.docs_page}" in intro.source
        solutions = [c for c in notebook.cells if nbgrader_meta(c).get("solution")]
        defined = [re.match(r"(?:def|class) (\w+)[(:]", c.source).group(1) for c in solutions]
        assert set(exercise.functions) <= set(defined)
        assert all(BEGIN in c.source and not nbgrader_meta(c).get("grade") for c in solutions)
        graded = [c for c in notebook.cells if nbgrader_meta(c).get("grade")]
        tests = [t for t in INVENTORY if t["exercise"] == exercise.name]
        assert len(graded) == len(tests)
        for cell, test in zip(graded, tests):
            assert nbgrader_meta(cell)["points"] == test["points"]
            assert nbgrader_meta(cell)["locked"] is True
            assert f'check("{exercise.name}", "{test["name"]}")' in cell.source
            assert ("### BEGIN HIDDEN TESTS" in cell.source) == (test["visibility"] == "hidden")
            total += test["points"]
    assert total == sum(t["points"] for t in INVENTORY)


@pytest.mark.nbgrader
def test_released_assignment_has_stubs_and_leaks_nothing(course):
    release = course / "release" / ASSIGNMENT
    notebooks = sorted(release.glob("*.ipynb"))
    assert len(notebooks) == len(EXERCISES)
    assert not find_leaks(release, hidden_names=hidden_test_names(INVENTORY))
    for path in notebooks:
        text = path.read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
        assert "NotImplementedError" in text
        for test in INVENTORY:
            if test["visibility"] == "hidden":
                assert test["name"] not in text


def submit(course: Path, student: str, notebooks: dict[str, str] | None = None,
           edit: dict[str, tuple[str, str]] | None = None) -> None:
    """What ``nbgrader collect`` would leave: the student's copy of the released folder,
    with ``notebooks`` = {exercise: path of the notebook they hand in} and cell edits
    ``edit`` = {exercise: (cell id, new source)}."""
    import nbformat

    folder = course / "submitted" / student / ASSIGNMENT
    shutil.copytree(course / "release" / ASSIGNMENT, folder)
    for exercise, path in (notebooks or {}).items():
        shutil.copyfile(path, folder / f"{exercise}.ipynb")
    for exercise, (cell_id, source) in (edit or {}).items():
        notebook = nbformat.read(folder / f"{exercise}.ipynb", as_version=4)
        cell = next(c for c in notebook.cells if c.get("id") == cell_id)
        cell.source = source
        nbformat.write(notebook, folder / f"{exercise}.ipynb")


def solved_cell(course: Path, exercise: str, cell_id: str, edits=()) -> str:
    """The reference's source of one solution cell, with ``edits`` = [(old, new), ...] applied."""
    cell = next(c for c in read_notebook(course / "source" / ASSIGNMENT / f"{exercise}.ipynb").cells if c.id == cell_id)
    source = cell.source
    for old, new in edits:
        assert old in source, old
        source = source.replace(old, new)
    return source


def mutant(name: str):
    return next(m for m in MUTANTS if m.name == name)


SYNTAX_ERROR = "def numerical_diff(f, x, h=1e-4):\n    return (f(x + h) - f(x - h) / (2 * h)\n"


@pytest.fixture(scope="module")
def autograded(course) -> subprocess.CompletedProcess:
    """Students hand in (reference, stubs, an upstream bug, two mistakes, a syntax error), then the real
    ``nbgrader autograde`` runs once; its output is returned."""
    from autograder.assign.nbgrader_course import nbgrader

    source = course / "source" / ASSIGNMENT
    reference = {e.name: source / f"{e.name}.ipynb" for e in EXERCISES}
    submit(course, "reference", reference)
    submit(course, "stub")
    submit(course, "upstream-bug", reference, edit={
        "gradient": ("gradient-numerical_gradient", BROKEN_GRADIENT),
        "gradient_descent": ("gradient_descent-numerical_gradient", BROKEN_GRADIENT),
    })
    batch, forward = mutant("sse summed over the batch"), mutant("forward difference")
    submit(course, "mistakes", reference, edit={
        "losses": ("losses-sum_squared_error", solved_cell(course, "losses", "losses-sum_squared_error", batch.edits)),
        "gradient": ("gradient-numerical_diff", solved_cell(course, "gradient", "gradient-numerical_diff", forward.edits)),
    })
    submit(course, "syntax-error", reference, edit={"gradient": ("gradient-numerical_diff", SYNTAX_ERROR)})
    return nbgrader(course, "autograde", ASSIGNMENT)


def gradebook_scores(course: Path) -> dict[str, dict[str, float]]:
    from nbgrader.api import Gradebook

    course_id = re.search(r"course_id = '([^']+)'", (course / "nbgrader_config.py").read_text(encoding="utf-8")).group(1)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id) as gradebook:
        return {s.student.id: {n.name: n.score for n in s.notebooks}
                for s in gradebook.assignment_submissions(ASSIGNMENT)}


@pytest.mark.nbgrader
def test_autograde_gives_reference_full_marks_stub_zero_and_no_double_penalty(course, autograded):
    from nbgrader.api import Gradebook

    def points(exercise, tests=None):
        return sum(t["points"] for t in INVENTORY if t["exercise"] == exercise and (tests is None or tests(t)))

    course_id = re.search(r"course_id = '([^']+)'", (course / "nbgrader_config.py").read_text(encoding="utf-8")).group(1)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id) as gradebook:
        assignment = gradebook.find_assignment(ASSIGNMENT)
        assert assignment.max_score == sum(t["points"] for t in INVENTORY)
        for exercise in EXERCISES:
            cells = {c.name: c.max_score for c in gradebook.find_notebook(exercise.name, ASSIGNMENT).grade_cells}
            assert sorted(cells.values()) == sorted(t["points"] for t in INVENTORY if t["exercise"] == exercise.name)

        def scores(student):
            submission = gradebook.find_submission(ASSIGNMENT, student)
            assert not any(n.needs_manual_grade for n in submission.notebooks), student
            return {n.name: n.score for n in submission.notebooks}

        assert scores("reference") == {e.name: points(e.name) for e in EXERCISES}
        assert scores("stub") == {e.name: 0 for e in EXERCISES}
        # numerical_gradient is wrong in both notebooks: only gradient's numerical_gradient cells lose points
        upstream = scores("upstream-bug")
        assert upstream["losses"] == points("losses") and upstream["gradient_descent"] == points("gradient_descent")
        assert points("gradient", lambda t: not t["name"].startswith("numerical_gradient")) \
            <= upstream["gradient"] < points("gradient")
    # the autograded notebooks explain failures in Korean, without the grader's traceback
    notebook = read_notebook(course / "autograded" / "stub" / ASSIGNMENT / "losses.ipynb")
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors and all(o["ename"] == "AssertionError" and "아직 구현하지 않았습니다" in o["evalue"] for o in errors)


CHECKSUM_WARNING = "Attribute 'checksum'"


@pytest.mark.nbgrader
def test_autograde_reads_the_course_config_and_gives_no_false_checksum_warning(course, autograded):
    """Every released hidden-test cell lacks its hidden region by design; nbgrader used to warn about each
    one (jupyter/nbgrader#1961). Our config (which must load: otherwise the kernel would grade with the
    public kit) puts such cells back silently."""
    output = autograded.stdout + autograded.stderr
    assert "Exception while loading config file" not in output
    hidden_cells = sum("### BEGIN HIDDEN TESTS" in c.source for e in EXERCISES
                       for c in read_notebook(course / "source" / ASSIGNMENT / f"{e.name}.ipynb").cells)
    assert hidden_cells >= 10  # so 4 students handing in the release would mean 40+ warnings
    assert output.count(CHECKSUM_WARNING) == 0, output


@pytest.mark.nbgrader
def test_a_changed_test_cell_is_still_reported_and_restored(course, autograded):
    from autograder.assign.nbgrader_course import nbgrader

    source = course / "source" / ASSIGNMENT
    submit(course, "tamper", {e.name: source / f"{e.name}.ipynb" for e in EXERCISES},
           edit={"losses": ("losses-hidden-1", "# 숨은 테스트\npass")})
    process = nbgrader(course, "autograde", ASSIGNMENT, "--student", "tamper")
    output = process.stdout + process.stderr
    assert output.count(CHECKSUM_WARNING) == 1 and "losses-hidden-1" in output
    assert gradebook_scores(course)["tamper"] == gradebook_scores(course)["reference"]


@pytest.mark.nbgrader
def test_feedback_shows_no_server_path(course, autograded):
    from autograder.assign.nbgrader_course import nbgrader

    nbgrader(course, "generate_feedback", ASSIGNMENT)
    pages = list((course / "feedback").rglob("*.html"))
    assert len(pages) >= 3 * len(EXERCISES)
    texts = [p.read_text(encoding="utf-8") for p in pages]
    assert any("아직 구현하지 않았습니다" in t for t in texts)  # failures are explained
    # ... and link to the section to read, at the address the course was built with
    mistakes = (course / "feedback" / "mistakes" / ASSIGNMENT / "losses.html").read_text(encoding="utf-8")
    assert f"강의 노트: {page_link(MISTAKES['batch_sum_not_mean'].docs, DOCS_URL)}" in mistakes
    stub = (course / "feedback" / "stub" / ASSIGNMENT / "losses.html").read_text(encoding="utf-8")
    assert f"강의 노트: {DOCS_URL}/losses/#" in stub
    for path, text in zip(pages, texts):
        for server_path in {str(course), str(course.resolve()), str(Path(sys.executable).parent.parent)}:
            assert server_path not in text, f"{path.relative_to(course)} shows {server_path}"


@pytest.mark.nbgrader
def test_sandboxed_grade_of_the_notebooks_matches_autograde(course, autograded, tmp_path):
    """``grade COURSE`` converts every submitted notebook to exercises/*.py (solution cells only) and grades
    in the sandbox: the same score per notebook as nbgrader autograde gave."""
    out = tmp_path / "out"
    process = subprocess.run([sys.executable, "-m", "autograder", "grade", str(course), "--out", str(out), "-q"],
                             cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert process.returncode == 0, process.stdout + process.stderr
    graded = {r["submission"]: {e["name"]: e["score"] for e in r["exercises"]}
              for r in json.loads((out / "grades.json").read_text(encoding="utf-8"))}
    expected = gradebook_scores(course)
    assert set(graded) == set(expected) and {"reference", "stub", "mistakes", "syntax-error"} <= set(graded)
    assert graded == {student: {n: int(v) for n, v in notebooks.items()} for student, notebooks in expected.items()}
    converted = (out / "notebooks" / "mistakes" / "exercises" / "gradient.py").read_text(encoding="utf-8")
    assert "check(" not in converted and "(f(x + h) - f(x)) / h" in converted


@pytest.mark.nbgrader
def test_students_run_the_public_tests_in_their_own_kernel(course, tmp_path):
    """On JupyterHub the student's folder has the public checks only: the public test cells
    work there (recorded reference), with no instructor files in reach."""
    import nbformat
    from nbclient import NotebookClient

    student = shutil.copytree(course / "release" / ASSIGNMENT, tmp_path / ASSIGNMENT)
    for exercise in EXERCISES:
        solved = {c.id: c.source for c in read_notebook(course / "source" / ASSIGNMENT / f"{exercise.name}.ipynb").cells
                  if nbgrader_meta(c).get("solution")}
        notebook = read_notebook(student / f"{exercise.name}.ipynb")
        for cell in notebook.cells:
            if cell.id in solved:
                cell.source = solved[cell.id]
        probe = nbformat.v4.new_code_cell("from autograder.grade.engine import load_reference\n"
                                          "print(type(load_reference()).__name__)")
        notebook.cells.append(probe)
        env_before = os.environ.pop("PYTHONPATH", None)
        try:
            NotebookClient(notebook, timeout=120, kernel_name="python3",
                           resources={"metadata": {"path": str(student)}}).execute()
        finally:
            if env_before is not None:
                os.environ["PYTHONPATH"] = env_before
        public = [c for c in notebook.cells if 'check("' in c.source]
        assert len(public) == sum(1 for t in INVENTORY if t["exercise"] == exercise.name and t["visibility"] == "public")
        for cell in public:
            text = "".join(o.get("text", "") for o in cell.outputs)
            assert "✔" in text and not any(o.get("output_type") == "error" for o in cell.outputs), cell.outputs
        assert probe.outputs[0]["text"].strip() == "RecordedAnswers"  # no solutions/ in the student's reach


@pytest.mark.nbgrader
def test_rebuilding_keeps_the_gradebook_and_refuses_foreign_folders(course, tmp_path):
    (course / "submitted" / "kept").mkdir(parents=True, exist_ok=True)
    process = build_course(course, "--docs-url", DOCS_URL)
    assert process.returncode == 0, process.stdout + process.stderr
    assert (course / "submitted" / "kept").is_dir() and (course / "gradebook.db").is_file()

    foreign = tmp_path / "someone-elses"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    process = build_course(foreign)
    assert process.returncode == 2 and "비어 있지 않은 폴더" in process.stdout + process.stderr
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    process = build_course(tmp_path / "c", "--timeout", "0")
    assert process.returncode == 2 and "--timeout" in process.stdout + process.stderr


# --- notebooks back to exercises/*.py, without Jupyter ---------------------------------


def test_build_notebook_leaves_the_inventory_it_reads_alone():
    require_nbgrader()
    from autograder.assign.nbgrader_course import build_notebook

    inventory = test_inventory()
    snapshot = [dict(t) for t in inventory]
    for exercise in EXERCISES:
        build_notebook(exercise, inventory, DOCS_URL)
    assert inventory == snapshot


def test_a_broken_solution_cell_costs_only_its_own_function():
    from autograder.collect.notebooks import module_source

    stub = (ROOT / "exercises" / "gradient.py").read_text(encoding="utf-8")
    cells = {"gradient-numerical_diff": SYNTAX_ERROR,
             "gradient-numerical_gradient": "def numerical_gradient(f, x, h=1e-4):\n    return 'mine'\n",
             "gradient_descent-numerical_gradient": "def numerical_gradient(f, x):\n    return 'not this exercise'\n"}
    namespace: dict = {}
    exec(compile(module_source("gradient", stub, cells), "<converted>", "exec"), namespace)
    assert namespace["numerical_gradient"](None, None) == "mine"
    with pytest.raises(SyntaxError, match="문법 오류"):
        namespace["numerical_diff"](lambda v: v, 1.0)
    assert "not this exercise" not in module_source("gradient", stub, cells)
