"""Where a suite's function calls go ("answer sources"): the sandbox, local modules, or a recording.

Suites see two objects, ``student`` and ``reference``, with the same shape::

    student.losses.sum_squared_error(y, t)            # -> the returned value
    student.gradient.numerical_gradient.run(f, x)     # -> CallResult (value, args_after, probes)

Behind ``student`` is the sandboxed submission (:class:`SandboxAnswers`) or,
on JupyterHub, the notebook's own functions (:class:`LocalAnswers`). Behind
``reference`` are the reference solutions (:class:`LocalAnswers`) or, in the
student template that ships without them, values recorded from them
(:class:`RecordedAnswers`). Every source passes arguments and results
through the same data-only encoding, so a value looks the same wherever it
was computed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from ..protocol import CallResult, StudentCodeError, instances, wire
from ..sandbox.submission import Submission


def _roundtrip(value):
    """Copy ``value`` the way the sandbox would (arrays copied, data only)."""
    return wire.loads(wire.dumps(value)[wire.HEADER.size:])


def call_key(exercise: str, func: str, args, kwargs) -> str:
    """A call's key in a recording (stable across versions: it names the file's entries)."""
    blob = wire.dumps([exercise, func, list(args), dict(kwargs or {})])
    return hashlib.sha256(blob).hexdigest()


def _frozen(value):
    """A hashable key for ``value`` that tells apart exactly the values the sandbox tells apart
    (as :func:`wire.encode` sees them); None if it holds anything else."""
    if value is None or type(value) in (bool, int, str):
        return type(value).__name__, value
    if type(value) is float:
        return "float", value.hex()  # nan and -0.0 included
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        return "array", array.dtype.newbyteorder("<").str, array.shape, array.tobytes()
    if isinstance(value, (list, tuple)):
        items = tuple(_frozen(v) for v in value)
        return None if None in items else (type(value) is tuple, items)
    if isinstance(value, dict) and all(type(k) is str for k in value):
        items = tuple((k, _frozen(v)) for k, v in value.items())
        return None if any(v is None for _, v in items) else ("dict", items)
    return None


def _copied(value):
    """A copy of a decoded value: what a caller changes never reaches the cache."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list):
        return [_copied(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_copied(v) for v in value)
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    return value


def _copied_result(result: CallResult) -> CallResult:
    return CallResult(*(_copied(field) for field in (result.value, result.args_after, result.kwargs_after,
                                                     result.probes, result.instances_after)))


class SandboxAnswers:
    """Calls into a sandboxed :class:`Submission`."""

    def __init__(self, submission: Submission):
        self.submission = submission

    def run(self, exercise, func, args, kwargs) -> CallResult:
        return self.submission.call(exercise, func, args, kwargs)


class LocalAnswers:
    """Calls plain Python functions in this process.

    ``namespaces`` maps an exercise name to a module or a dict of functions.
    With ``student_code=True`` an exception becomes a :class:`StudentCodeError`
    like in the sandbox; otherwise it propagates (a bug in the reference).
    With ``cache=True`` (the reference) a call made before is answered from
    memory: the suites ask every submission the same questions.
    """

    def __init__(self, namespaces: dict, student_code: bool = False, cache: bool = False):
        self.namespaces = namespaces
        self.student_code = student_code
        self._cache: dict | None = {} if cache else None

    def lookup(self, exercise, name):
        space = self.namespaces.get(exercise)
        return space.get(name) if isinstance(space, dict) else getattr(space, name, None)

    def function(self, exercise, func):
        """The function (or ``Class.method``) ``func`` of ``exercise``."""
        owner, _, method = func.rpartition(".")
        found = self.lookup(exercise, func) if not owner else getattr(self.lookup(exercise, owner), method, None)
        if not callable(found):
            raise StudentCodeError("MissingFunction", func, [])
        return found

    def run(self, exercise, func, args, kwargs) -> CallResult:
        key = None
        if self._cache is not None:
            frozen = _frozen((list(args), dict(kwargs or {})))
            key = (exercise, func, frozen) if frozen is not None else None
        if key is not None and key in self._cache:
            return _copied_result(self._cache[key])
        result = self._call(exercise, func, args, kwargs)
        if key is not None:
            self._cache[key] = result
            result = _copied_result(result)  # callers may mutate what they get; the cache stays intact
        return result

    def _call(self, exercise, func, args, kwargs) -> CallResult:
        function = self.function(exercise, func)
        args, kwargs, built, objects = instances.materialize(
            _roundtrip(list(args)), _roundtrip(dict(kwargs or {})), lambda name: self.lookup(exercise, name))
        try:
            value = function(*args, **kwargs)
        except (Exception, SystemExit) as exc:
            if not self.student_code:
                raise
            raise StudentCodeError(type(exc).__name__, str(exc)[:500], [], module=getattr(exc, "name", "") or ""
                                   ) from exc
        return _roundtrip_result(CallResult(
            value=value,
            args_after=[_after(a, i in objects) for i, a in enumerate(args)],
            kwargs_after={k: _after(v, k in objects) for k, v in kwargs.items()},
            probes=[p.stats() for p in built],
            instances_after={k: instances.state(o) for k, o in objects.items()},
        ))


def _after(value, is_instance: bool):
    """What the grader observes of an argument after the call: arrays, and an instance's params."""
    if is_instance:
        return instances.state(value)
    return value if isinstance(value, (np.ndarray, int, float, str, list, tuple, dict)) else None


def _fields(result: CallResult) -> list:
    return [result.value, result.args_after, result.kwargs_after, result.probes,
            {str(k): v for k, v in result.instances_after.items()}]


def _from_fields(fields) -> CallResult:
    value, args_after, kwargs_after, probes, reported = (list(fields) + [{}])[:5]
    return CallResult(value, args_after, kwargs_after, probes,
                      {int(k) if str(k).isdigit() else k: v for k, v in (reported or {}).items()})


def _roundtrip_result(result: CallResult) -> CallResult:
    return _from_fields(_roundtrip(_fields(result)))


class RecordingAnswers:
    """Wraps an answer source and remembers every result, to be saved with :meth:`save`."""

    def __init__(self, inner):
        self.inner = inner
        self.records: dict[str, object] = {}

    def run(self, exercise, func, args, kwargs) -> CallResult:
        result = self.inner.run(exercise, func, args, kwargs)
        self.records[call_key(exercise, func, args, kwargs)] = wire.encode(_fields(result))
        return result

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.records, sort_keys=True), encoding="utf-8")


class RecordedAnswers:
    """Replays results saved by :class:`RecordingAnswers` (public checks only)."""

    def __init__(self, path: Path):
        self.records = json.loads(Path(path).read_text(encoding="utf-8"))

    def run(self, exercise, func, args, kwargs) -> CallResult:
        key = call_key(exercise, func, args, kwargs)
        if key not in self.records:
            raise LookupError(f"no recorded reference result for {exercise}.{func}")
        return _from_fields(wire.decode(self.records[key]))


class AnswerTrace:
    """Wraps the student's answer source and keeps every result it returns; :meth:`digest` digests them
    bit for bit (asked only for a failed test).

    Two submissions with the same digest for a test returned exactly the same
    values (and left the arguments in exactly the same state) on its inputs.
    """

    def __init__(self, inner):
        self.inner = inner
        self._answers: list = []

    @property
    def last(self) -> str | None:
        """The function whose result came back last (for messages), or None before any did."""
        return self._answers[-1][0] if self._answers else None

    def run(self, exercise, func, args, kwargs) -> CallResult:
        result = self.inner.run(exercise, func, args, kwargs)
        self._answers.append((func, result))
        return result

    def digest(self) -> str:
        digest = hashlib.sha256()
        for func, result in self._answers:
            digest.update(wire.dumps([func, *_fields(result)]))
        return digest.hexdigest()[:16]


# --- the objects the suites use ------------------------------------------------


class Namespace:
    """``student`` / ``reference``: attribute access by exercise, then function."""

    def __init__(self, answers):
        self._answers = answers

    def __getattr__(self, exercise: str) -> "ExerciseView":
        if exercise.startswith("_"):
            raise AttributeError(exercise)
        return ExerciseView(self._answers, exercise)


class ExerciseView:
    def __init__(self, answers, exercise: str):
        self._answers, self._exercise = answers, exercise

    def __getattr__(self, func: str) -> "FunctionView":
        if func.startswith("_"):
            raise AttributeError(func)
        return FunctionView(self._answers, self._exercise, func)


class FunctionView:
    """A student's function, or a class whose methods are reached as attributes
    (``student.two_layer_net.TwoLayerNet.predict(net, x)``, ``net`` an :func:`~autograder.protocol.instances.instance`)."""

    def __init__(self, answers, exercise: str, func: str):
        self._answers, self.exercise, self.func = answers, exercise, func

    def __getattr__(self, method: str) -> "FunctionView":
        if method.startswith("_") or "." in self.func:
            raise AttributeError(method)
        return self.method(method)

    def method(self, name: str) -> "FunctionView":
        """A method of this class by name (``.method("__init__")`` for the constructor)."""
        return FunctionView(self._answers, self.exercise, f"{self.func}.{name}")

    def run(self, *args, **kwargs) -> CallResult:
        """Call and return everything observed: value, arguments afterwards, probe counts."""
        try:
            return self._answers.run(self.exercise, self.func, args, kwargs)
        except Exception as exc:
            exc.exercise, exc.func = self.exercise, self.func  # for the Korean message
            raise

    def __call__(self, *args, **kwargs):
        return self.run(*args, **kwargs).value
