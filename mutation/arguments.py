"""Argument mutants: a function that ignores one of its arguments.

For every parameter of every exercise function, a mutant whose body starts
by overwriting that parameter: with its default value if it has one, else
with the constant in :data:`IGNORED` (the textbook's value where the book
has one, otherwise a value the suites themselves use, the hardest one to
notice). Each must lose points, so every argument matters to some test.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .mutant import Mutant

OPERATOR = "argument/ignored"

#: (function, parameter) -> the value a function that ignores the parameter uses instead.
IGNORED = {
    ("sum_squared_error", "y"): "np.zeros_like(t, dtype=float)",
    ("sum_squared_error", "t"): "np.zeros_like(y, dtype=float)",
    ("cross_entropy_error", "y"): "np.full(np.shape(y), 0.1)",
    ("cross_entropy_error", "t"): "0",
    ("numerical_diff", "f"): "lambda v: v",
    ("numerical_diff", "x"): "0.0",
    ("numerical_gradient", "f"): "lambda v: 0.0",
    ("numerical_gradient", "x"): "np.zeros(np.shape(x))",
    ("gradient_descent", "f"): "lambda v: 0.0",
    ("gradient_descent", "init_x"): "np.zeros(np.shape(init_x))",
    ("TwoLayerNet.__init__", "input_size"): "4",
    ("TwoLayerNet.__init__", "hidden_size"): "3",
    ("TwoLayerNet.__init__", "output_size"): "2",
    ("TwoLayerNet.predict", "x"): "np.zeros(np.shape(x))",
    ("TwoLayerNet.loss", "x"): "np.zeros(np.shape(x))",
    ("TwoLayerNet.loss", "t"): "np.zeros(np.shape(t), dtype=int)",
    ("TwoLayerNet.accuracy", "x"): "np.zeros(np.shape(x))",
    ("TwoLayerNet.accuracy", "t"): "np.zeros(np.shape(t), dtype=int)",
    ("TwoLayerNet.numerical_gradient", "x"): "np.zeros(np.shape(x))",
    ("TwoLayerNet.numerical_gradient", "t"): "np.zeros(np.shape(t), dtype=int)",
    ("train", "network"): "TwoLayerNet(*network.params['W1'].shape, network.params['W2'].shape[1])",
    ("train", "x_train"): "x_test",
    ("train", "t_train"): "t_test",
    ("train", "x_test"): "x_train",
    ("train", "t_test"): "t_train",
    ("train", "iters"): "1",
    ("train", "batch_size"): "100",
    ("train", "lr"): "0.1",
    ("train", "rng"): "np.random.default_rng()",
}


def functions(tree: ast.Module):
    """(name, node) of every function and method (``TwoLayerNet.predict``)."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            yield node.name, node
        elif isinstance(node, ast.ClassDef):
            for method in node.body:
                if isinstance(method, ast.FunctionDef):
                    yield f"{node.name}.{method.name}", method


def parameters(node: ast.FunctionDef):
    """(name, default source or None) of each parameter but ``self``."""
    args = node.args.args
    defaults = [None] * (len(args) - len(node.args.defaults)) + [ast.unparse(d) for d in node.args.defaults]
    return [(a.arg, d) for a, d in zip(args, defaults) if a.arg != "self"]


def argument_mutants(path: Path) -> list[Mutant]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    mutants = []
    for name, node in functions(ast.parse(source)):
        first = node.body[1] if ast.get_docstring(node) is not None else node.body[0]
        indent = " " * first.col_offset
        for parameter, default in parameters(node):
            value = default if default is not None else IGNORED[(name, parameter)]
            added = f"{parameter} = {value}"
            text = "".join(lines[:first.lineno - 1]) + f"{indent}{added}\n" + "".join(lines[first.lineno - 1:])
            mutants.append(Mutant(path.name, name, OPERATOR,
                                  first.lineno, "", added, text))
    return mutants
