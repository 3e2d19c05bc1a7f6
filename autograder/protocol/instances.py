"""Objects the suites hand to student code, described as data: instances, random generators, probe methods.

A test of ``TwoLayerNet.loss`` must not depend on the student's ``predict``,
and a test of ``train`` must not depend on any method of the student's
network. So a suite sends an :func:`instance` spec: the student's class,
created without running its ``__init__``, with given ``params`` and with
some methods replaced by *probe methods* whose behaviour the grader knows
exactly (a fixed output, a known loss and its exact gradient). Both the
child and the grader build the same object from the spec
(:func:`materialize`). ``{"__rng__": seed}`` becomes
``np.random.default_rng(seed)``.

Nothing here is a solution to an exercise. Runs on both sides: imports only
numpy and :mod:`probes`.
"""

import numpy as np

from . import probes

INSTANCE, RNG = "__instance__", "__rng__"


def instance(class_name, params, overrides=None):
    """The student's ``class_name`` with ``params`` (arrays) and methods replaced by probe methods."""
    return {INSTANCE: class_name, "params": dict(params), "overrides": dict(overrides or {})}


def rng(seed):
    return {RNG: int(seed)}


def is_instance(value):
    return isinstance(value, dict) and isinstance(value.get(INSTANCE), str)


class MethodProbe:
    """A method with known behaviour; remembers how it was called (for messages only)."""

    def __init__(self, name, fn):
        self.name, self._fn, self.calls, self.batches = name, fn, 0, []

    def __call__(self, x, t=None):
        self.calls += 1
        x = np.asarray(x, dtype=float)
        self.batches.append(round(float(x.sum()), 9))
        return self._fn(x, t)

    def stats(self):
        return {"name": self.name, "calls": self.calls, "batches": self.batches[:1000]}


def _fixed_output(obj, params):
    """``y`` for the input ``params["x"]`` (any input if not given); for another input, ``y`` with its
    classes rotated by one, so a method that passes the wrong input gets a different answer."""
    y = np.asarray(params["y"], dtype=float)
    expected = None if params.get("x") is None else np.asarray(params["x"], dtype=float)

    def output(x, t):
        out = y if expected is None or (x.shape == expected.shape and np.array_equal(x, expected)) \
            else np.roll(y, 1, axis=-1)
        return out.copy() if x.ndim > 1 else out[0].copy()

    return output


def data_shift(x, t):
    """A number that depends on the inputs and the answers of a batch (probe losses move with it)."""
    return float(np.mean(x)) + 0.25 * float(np.mean(np.asarray(t, dtype=float)))


def _quadratic_loss(obj, params):
    """L = ½ Σₖ Σ wₖ (Pₖ − cₖ − s)², read from the object's current params (Pₖ); s = data_shift(x, t)."""
    centres, weights = params["centres"], params["weights"]
    return lambda x, t: float(sum(0.5 * np.sum(np.asarray(weights[k]) * (obj.params[k] - np.asarray(centres[k])
                                                                         - data_shift(x, t)) ** 2)
                                  for k in centres))


def quadratic_gradient(params, centres, weights, shift=0.0):
    """The exact gradient of :func:`_quadratic_loss` for a batch whose data_shift is ``shift`` (for the suites)."""
    return {k: np.asarray(weights[k]) * (np.asarray(params[k]) - np.asarray(centres[k]) - shift) for k in centres}


def _batch_loss(obj, params):
    """L(P; x, t) = ½ Σₖ ‖Pₖ − s‖², s = data_shift(x, t): depends on the parameters and on the batch."""
    return lambda x, t: float(sum(0.5 * np.sum((p - data_shift(x, t)) ** 2) for p in obj.params.values()))


def _batch_gradient(obj, params):
    return lambda x, t: {k: p - data_shift(x, t) for k, p in obj.params.items()}


def _zero_gradient(obj, params):
    """A gradient of zeros: the parameters never move, however train updates them."""
    return lambda x, t: {k: np.zeros_like(p) for k, p in obj.params.items()}


def _batch_accuracy(obj, params):
    """A number in [0, 1] that moves with the parameters and depends on the data and the answers."""
    return lambda x, t: float(np.mean(x.mean(axis=-1) + 0.1 * np.asarray(t, dtype=float).reshape(len(x), -1).mean(axis=-1)
                                      < np.tanh(sum(float(p.sum()) for p in obj.params.values()))))


METHODS = {"fixed_output": _fixed_output, "quadratic_loss": _quadratic_loss, "batch_loss": _batch_loss,
           "batch_gradient": _batch_gradient, "zero_gradient": _zero_gradient, "batch_accuracy": _batch_accuracy}


def build(spec, classes):
    """The object described by an :func:`instance` spec; ``classes(name)`` gives the class."""
    cls = classes(spec[INSTANCE])
    if not isinstance(cls, type):
        raise TypeError(f"{spec[INSTANCE]} is not a class")
    obj = cls.__new__(cls)
    obj.params = {str(k): v for k, v in spec.get("params", {}).items()}
    probes_built = []
    for method, description in spec.get("overrides", {}).items():
        description = dict(description)
        factory = METHODS[str(description.pop("method"))]
        probe = MethodProbe(str(method), factory(obj, description))
        setattr(obj, str(method), probe)
        probes_built.append(probe)
    return obj, probes_built


def materialize(args, kwargs, classes=None, analytic=True):
    """Build instances, generators and probes in ``args``/``kwargs``; return (args, kwargs, probes, instances)."""
    args, kwargs = list(args), dict(kwargs)
    built, instances = [], {}
    for container, keys in ((args, range(len(args))), (kwargs, list(kwargs))):
        for key in keys:
            value = container[key]
            if isinstance(value, dict) and RNG in value:
                container[key] = np.random.default_rng(int(value[RNG]))
            elif is_instance(value):
                if classes is None:
                    raise TypeError("instances need the student's classes")
                container[key], method_probes = build(value, classes)
                built += method_probes
                instances[key] = container[key]
    args, kwargs, function_probes = probes.materialize(args, kwargs, analytic)
    return args, kwargs, function_probes + built, instances


def state(obj):
    """An object's ``params`` as plain arrays (what the grader compares)."""
    params = getattr(obj, "params", None)
    if not isinstance(params, dict):
        return None
    return {str(k): np.array(v, dtype=float) for k, v in params.items() if isinstance(k, str)}
