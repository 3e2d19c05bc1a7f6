"""Functions the test suites hand to student code, described as data.

A test cannot send a Python function to the sandbox, so it sends a
:func:`spec` (``{"__probe__": name, "params": {...}}``); both the child and
the grader build the same callable from it with :func:`build`. A probe counts
its calls and notices when it receives a different array than the one it is
bound to, which tells the suites *how* a wrong gradient came about.

Nothing here is a solution to an exercise. Runs on both sides: imports only
numpy.
"""

import numpy as np

PROBE_KEY = "__probe__"


def spec(name, **params):
    """Describe probe ``name``; ``params`` are data (numbers, arrays, strings)."""
    return {PROBE_KEY: name, "params": params}


def is_spec(value):
    return isinstance(value, dict) and isinstance(value.get(PROBE_KEY), str)


class Probe:
    """A callable test function that records how it was used."""

    def __init__(self, name, fn, grad=None, shared=None):
        self.name = name
        self._fn = fn
        self._grad = grad
        self.shared = shared  # the array a closure-style probe reads
        self.calls = 0
        self.foreign_calls = 0  # calls whose argument was not ``shared``

    def __call__(self, x):
        self.calls += 1
        if self.shared is not None:
            if x is not self.shared:
                self.foreign_calls += 1
            return self._fn(self.shared)
        return self._fn(x)

    def analytic_grad(self, x):
        if self._grad is None:
            raise TypeError(f"probe {self.name!r} has no analytic gradient")
        return self._grad(np.asarray(x, dtype=float))

    def stats(self):
        return {"name": self.name, "calls": self.calls, "foreign_calls": self.foreign_calls}


def _scalar(fn):
    """Wrap a numpy expression so probes always return a plain float."""
    return lambda x: float(fn(x))


def _quadratic_form(params):
    a = np.asarray(params["A"], dtype=float)
    b = np.asarray(params["b"], dtype=float)

    def value(x):
        v = np.asarray(x, dtype=float).reshape(-1)
        return 0.5 * v @ a @ v + b @ v

    def grad(x):
        return (a @ x.reshape(-1) + b).reshape(x.shape)

    return value, grad


# name -> (value, analytic gradient); gradients serve gradient_descent's tests
_FIXED = {
    "function_1": (lambda x: 0.01 * x**2 + 0.1 * x, lambda x: 0.02 * x + 0.1),
    "cubic": (lambda x: x**3, lambda x: 3 * x**2),
    "exp": (lambda x: np.exp(x), lambda x: np.exp(x)),
    "sin": (lambda x: np.sin(x), lambda x: np.cos(x)),
    "function_2": (lambda x: np.sum(np.asarray(x) ** 2), lambda x: 2 * x),
    "sum_exp": (lambda x: np.sum(np.exp(x)), lambda x: np.exp(x)),
    "sum_cubes": (lambda x: np.sum(np.asarray(x) ** 3), lambda x: 3 * x**2),
}
_PARAMETRIC = {"quadratic_form": _quadratic_form}


def names():
    return sorted(_FIXED) + sorted(_PARAMETRIC) + ["gradient_of"]


def build(description, args=(), analytic=True):
    """Build the callable for ``description``.

    ``params["shared_arg"] = i`` makes the probe ignore its argument and read
    ``args[i]`` instead, like ``lambda W: net.loss(x, t)`` in the textbook.
    ``gradient_of`` builds the analytic gradient of another probe.
    """
    name = description[PROBE_KEY]
    params = dict(description.get("params") or {})
    if name == "gradient_of":
        target = build(spec(params.pop("of"), **params), args)  # the grader's gradient: always exact
        return Probe(f"gradient_of:{target.name}", target.analytic_grad)
    shared_index = params.pop("shared_arg", None)
    shared = args[shared_index] if shared_index is not None else None
    if name in _FIXED:
        value, grad = _FIXED[name]
    elif name in _PARAMETRIC:
        value, grad = _PARAMETRIC[name](params)
    else:
        raise KeyError(f"unknown probe {name!r}")
    return Probe(name, _scalar(value), grad if analytic else None, shared=shared)


def materialize(args, kwargs, analytic=True):
    """Replace probe descriptions in ``args``/``kwargs`` by built probes.

    With ``analytic=False`` the probes carry no exact gradient: a child grading
    ``numerical_gradient`` itself has nothing to read the answer from.
    """
    args = list(args)
    built = []
    for i, value in enumerate(args):
        if is_spec(value):
            args[i] = build(value, args, analytic)
            built.append(args[i])
    for key, value in list(kwargs.items()):
        if is_spec(value):
            kwargs[key] = build(value, args, analytic)
            built.append(kwargs[key])
    return args, kwargs, built
