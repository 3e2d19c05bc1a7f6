"""Every exercise of the catalogue has every part it needs: one message names whatever is missing.

An exercise is one entry of ``autograder/catalog.py``; what the grader, the
release, the notebooks and the CSV need is derived from that entry. What
cannot be derived is written by hand, once, and listed here (:data:`PARTS`),
in the order of CONTRIBUTING.md's checklist «과제 하나 더하기», which must
name each of them.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from autograder.catalog import EXERCISES, Exercise, points, suite_tests
from autograder.suites.mistakes import MISTAKES
from conftest import ROOT
from hooks.mistake_examples import EXAMPLES
from hooks.assignment import implemented
from mutation.arguments import IGNORED, functions, parameters
from mutation.known import KNOWN
from site_pages import nav_files

SAMPLE_STUDENTS = sorted(p for p in (ROOT / "examples" / "submissions").iterdir() if p.is_dir())


def defines(path: Path, names: tuple[str, ...]) -> bool:
    """``path`` exists and defines every one of ``names`` at its top level."""
    if not path.is_file():
        return False
    tree = ast.parse(path.read_text(encoding="utf-8"))
    defined = {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    return set(names) <= defined


def page_file(exercise: Exercise) -> str:
    """``losses/`` -> ``losses.md``."""
    return exercise.docs_page.strip("/") + ".md"


def solution_functions(exercise: Exercise) -> dict:
    """The exercise's functions in its reference, a class as its methods (``TwoLayerNet.predict``)."""
    tree = ast.parse((ROOT / "solutions" / f"{exercise.name}.py").read_text(encoding="utf-8"))
    return {name: node for name, node in functions(tree) if name.split(".")[0] in exercise.functions}


def arguments_stand_in(exercise: Exercise) -> bool:
    """Every argument without a default has the value an argument mutant puts in its place."""
    return all(default is not None or (name, parameter) in IGNORED
               for name, node in solution_functions(exercise).items() for parameter, default in parameters(node))


def schema_names() -> list[str]:
    schema = json.loads((ROOT / "autograder" / "exports" / "result.schema.json").read_text(encoding="utf-8"))
    exercise = schema["items"]["properties"]["exercises"]["items"]["properties"]["name"]
    return exercise["enum"]


#: (what, where, check): the parts of an exercise written by hand, in CONTRIBUTING.md's order.
PARTS = [
    ("reference solution", "solutions/{name}.py", lambda e: defines(ROOT / "solutions" / f"{e.name}.py", e.functions)),
    ("stub (nox -s stubs)", "exercises/{name}.py", lambda e: defines(ROOT / "exercises" / f"{e.name}.py", e.functions)),
    ("public suite", "autograder/suites/public/test_{name}.py",
     lambda e: bool(suite_tests(("public",), (e.name,))) and all(t.points > 0 for t in suite_tests(("public",), (e.name,)))),
    ("hidden suite", "autograder/suites/hidden/test_{name}.py",
     lambda e: bool(suite_tests(("hidden",), (e.name,))) and all(t.points > 0 for t in suite_tests(("hidden",), (e.name,)))),
    ("stand-ins of the exercises it uses", "autograder/suites/standins/",
     lambda e: all((ROOT / "autograder" / "suites" / "standins" / f"{s}.py").is_file() for s in e.standins)),
    ("a catalogued mistake", "autograder/suites/mistakes.py",
     lambda e: any(m.docs.startswith(e.docs_page) for m in MISTAKES.values())),
    ("an example submission for each of its catalogued mistakes", "hooks/mistake_examples.py",
     lambda e: {k for k, m in MISTAKES.items() if m.docs.startswith(e.docs_page)}
     <= {k for k, name, _ in EXAMPLES if name == e.name}),
    ("a known mistake for mutation testing", "mutation/known.py", lambda e: any(k.file == f"{e.name}.py" for k in KNOWN)),
    ("a stand-in value for every argument without a default", "mutation/arguments.py", arguments_stand_in),
    ("lecture page", "docs/{page}", lambda e: bool(e.docs_page) and (ROOT / "docs" / page_file(e)).is_file()),
    ("nav entry", "mkdocs.yml", lambda e: page_file(e) in nav_files()),
    ("a row of the home page's table of topics", "docs/index.md",
     lambda e: f"| `{e.name}` |" in (ROOT / "docs" / "index.md").read_text(encoding="utf-8")),
    ("sample submissions", "examples/submissions/*/exercises/{name}.py",
     lambda e: bool(SAMPLE_STUDENTS) and all((s / "exercises" / f"{e.name}.py").is_file() for s in SAMPLE_STUDENTS)),
    ("the textbook's code", "examples/textbook/exercises/{name}.py",
     lambda e: (ROOT / "examples" / "textbook" / "exercises" / f"{e.name}.py").is_file()),
    ("gradebook schema", "autograder/exports/result.schema.json", lambda e: e.name in schema_names()),
]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_every_exercise_has_every_part(exercise):
    missing = [f"{what} ({where.format(name=exercise.name, page=page_file(exercise))})"
               for what, where, check in PARTS if not check(exercise)]
    assert not missing, f"{exercise.name} lacks: " + "; ".join(missing)


def test_the_gradebook_schema_names_the_catalogues_exercises_in_order():
    assert schema_names() == [e.name for e in EXERCISES]


def readme_table() -> str:
    """The README's table of exercises, as the catalogue, the stubs and the suites make it."""
    rows = ["| 과제 | 파일 | 구현할 함수 | 점수 (공개 테스트) |", "|---|---|---|---|"]
    rows += [f"| `{e.name}` {e.title} | `exercises/{e.name}.py` | {implemented(e)} | {points(e.name)} "
             f"({points(e.name, ('public',))}) |" for e in EXERCISES]
    return "\n".join(rows + [f"| 합계 | | | {points()} ({points(visibility=('public',))}) |"]) + "\n"


def test_the_readme_table_is_the_catalogues():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- exercises:start -->\n(.*?)<!-- exercises:end -->", text, flags=re.S)
    assert found and found.group(1) == readme_table(), "README.md's table of exercises should read:\n" + readme_table()


def test_contributing_names_every_part_in_order():
    """CONTRIBUTING.md's checklist is this test's list: each part's file, in the same order."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    checklist = text[text.index("## 과제 하나 더하기"):]
    places = [checklist.find(where.format(name="<이름>", page="<이름>.md")) for _, where, _ in PARTS]
    assert -1 not in places, [where for (_, where, _), at in zip(PARTS, places) if at == -1]
    assert places == sorted(places), "the checklist lists the parts in another order than PARTS"
