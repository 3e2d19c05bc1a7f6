"""exercises/ is derived from solutions/ and never drifts from it."""

import ast
import doctest
import importlib

import pytest

from autograder.assign.stubs import StubError, make_stub, stub_files
from autograder.catalog import EXERCISES
from conftest import EXERCISES as EXERCISES_DIR, SOLUTIONS


def test_committed_stubs_are_up_to_date():
    expected = stub_files(SOLUTIONS)
    actual = {p.name: p.read_text(encoding="utf-8") for p in EXERCISES_DIR.glob("*.py")}
    assert actual == expected, "exercises/ is stale: run `nox -s stubs`"


def _functions(source):
    """Top-level functions by name, and every method of a class as ``Class.method``."""
    tree, found = ast.parse(source), {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            found[node.name] = node
        elif isinstance(node, ast.ClassDef):
            found[node.name] = node
            found.update({f"{node.name}.{m.name}": m for m in node.body if isinstance(m, ast.FunctionDef)})
    return found


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_stub_keeps_signatures_and_docstrings_and_hides_bodies(exercise):
    solution = (SOLUTIONS / f"{exercise.name}.py").read_text(encoding="utf-8")
    stub = (EXERCISES_DIR / f"{exercise.name}.py").read_text(encoding="utf-8")
    theirs, ours = _functions(solution), _functions(stub)
    assert set(exercise.functions) <= set(ours)
    names = [n for f in exercise.functions for n in ([f] if isinstance(theirs[f], ast.FunctionDef)
                                                      else [k for k in theirs if k.startswith(f + ".")])]
    assert "ClassDef" not in {type(ours[n]).__name__ for n in names}
    for name in names:
        assert ast.dump(ours[name].args) == ast.dump(theirs[name].args)
        assert ast.get_docstring(ours[name]) == ast.get_docstring(theirs[name])
        doc = ast.get_docstring(ours[name]) or ast.get_docstring(ours[name.split(".")[0]])  # __init__: the class's
        assert "인수" in doc and ("반환값" in doc or name.endswith(".__init__"))
        raised = [n for n in ast.walk(ours[name]) if isinstance(n, ast.Raise)]
        assert len(raised) == 1 and "NotImplementedError" in ast.unparse(raised[0])
        assert f"{name} 함수를 아직 구현하지 않았습니다" in ast.unparse(raised[0])
    assert "BEGIN SOLUTION" not in stub


@pytest.mark.parametrize("bad, problem", [
    ("def f():\n    ### BEGIN SOLUTION\n    return 1\n", "닫히지 않습니다"),
    ("def f():\n    return 1\n    ### END SOLUTION\n", "없이"),
    ("### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n", "함수 안에"),
    ("def f():\n    ### BEGIN SOLUTION\n    x = 1\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n",
     "겹쳐"),
])
def test_malformed_markers_are_reported(bad, problem):
    with pytest.raises(StubError, match=problem):
        make_stub(bad)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_reference_docstring_examples_hold(exercise):
    """The examples in the docstrings (shown to students) are true of the reference."""
    module = importlib.import_module(f"solutions.{exercise.name}")
    failures, tried = doctest.testmod(module, verbose=False)
    assert tried > 0 and failures == 0
