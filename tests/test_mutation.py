"""Mutation testing of the hidden suites (``nox -s mutants``) stays complete and its figures true."""

import ast
import subprocess
import sys

from conftest import ROOT
from mutation.arguments import IGNORED, argument_mutants, functions, parameters
from mutation.equivalents import load, unmatched
from mutation.generate import operator_mutants
from mutation.mutant import FILES, SOLUTIONS


def test_every_argument_of_every_exercise_function_has_a_mutant_that_ignores_it():
    for name in FILES:
        tree = ast.parse((SOLUTIONS / name).read_text(encoding="utf-8"))
        wanted = {(function, parameter) for function, node in functions(tree) for parameter, _ in parameters(node)}
        made = {(m.function, m.after.split(" = ")[0]) for m in argument_mutants(SOLUTIONS / name)}
        assert made == wanted and wanted
    used = {(function, parameter) for name in FILES for function, node in functions(ast.parse(
        (SOLUTIONS / name).read_text(encoding="utf-8"))) for parameter, default in parameters(node) if default is None}
    assert set(IGNORED) == used, "IGNORED lists exactly the parameters that have no default"


def test_each_listed_equivalent_names_a_mutant_cosmic_ray_makes():
    mutants = [m for name in FILES for m in operator_mutants(SOLUTIONS / name)]
    equivalents = load()
    assert equivalents and not unmatched(equivalents, mutants)
    assert all(e.reason.strip() for e in equivalents)


def test_the_mutation_run_leaves_no_unexplained_survivor_and_the_readme_figures_are_its_own():
    run = subprocess.run([sys.executable, "-m", "mutation"], cwd=ROOT, capture_output=True, text=True, timeout=280)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "설명되지 않은 생존 돌연변이가 없습니다." in run.stdout
