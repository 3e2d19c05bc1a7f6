"""What a sandboxed child does: fence itself, load one exercise, answer calls.

Runs in a process forked by the zygote, never in the grader. Protocol (all
frames via :mod:`wire`):

1. child -> grader: ``{"ok": True}`` once the exercise module is imported,
   or ``{"ok": False, "error": {...}}`` if importing it failed;
2. grader -> child: ``{"func": name, "args": [...], "kwargs": {...}}``;
   child -> grader: ``{"ok": True, "value", "args_after", "kwargs_after",
   "probes"}`` or ``{"ok": False, "error": {"type", "message", "frames"}}``.
"""

import importlib
import os
import resource
import signal
import sys
import traceback
import types

import guard
import probes
import wire

MAX_MESSAGE = 500


def run(channel, request):
    """Serve ``request["exercise"]`` on ``channel`` until the grader hangs up."""
    _isolate(request)
    try:
        module = _load(request)
    except BaseException as exc:  # noqa: BLE001 - anything the student's import raised
        _reply(channel, {"ok": False, "error": _describe(exc, request["workdir"])})
        return
    _reply(channel, {"ok": True})
    while True:
        try:
            message = wire.recv(channel)
        except wire.WireError:
            return
        _reply(channel, _call(module, message, request["workdir"]))


def _isolate(request):
    os.setsid()  # own session and process group: the grader kills the group
    _set_parent_death_signal()
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # oversized output: EFBIG, not death
    for limit, value in (
        (resource.RLIMIT_AS, request["memory_bytes"]),
        (resource.RLIMIT_CPU, request["cpu_seconds"]),
        (resource.RLIMIT_FSIZE, request["output_bytes"]),
        (resource.RLIMIT_CORE, 0),
    ):
        resource.setrlimit(limit, (value, value))
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
        out = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, fd)
        os.close(out)
    os.chdir(request["workdir"])
    sys.dont_write_bytecode = True
    sys.argv = ["exercise"]
    if request.get("guard", True):
        guard.install(request["protected"], [request["workdir"], *request["allowed"]])


def _set_parent_death_signal():
    """Die with the zygote (Linux only; elsewhere the grader's kill suffices)."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError, ImportError):
        pass


def _load(request):
    workdir = request["workdir"]
    sys.path[:] = [workdir, os.path.join(workdir, "exercises")] + request["python_path"]
    package = importlib.import_module("exercises")
    for name in request.get("standins", ()):
        standin = _analytic_gradient_module(f"exercises.{name}")
        sys.modules[f"exercises.{name}"] = sys.modules[name] = standin
        setattr(package, name, standin)
    return importlib.import_module(f"exercises.{request['exercise']}")


def _analytic_gradient_module(name):
    """Stand-in module for ``exercises/<name>.py`` (see probes.exact_gradient_functions)."""
    module = types.ModuleType(name, "채점용 대체 모듈: 정확한 기울기를 돌려줍니다.")
    for function_name, function in probes.exact_gradient_functions().items():
        setattr(module, function_name, function)
    return module


def _call(module, message, workdir):
    try:
        name = str(message["func"])
        function = getattr(module, name, None)
        if not callable(function):
            return {"ok": False, "error": {"type": "MissingFunction", "message": name, "frames": []}}
        args, kwargs, built = probes.materialize(message.get("args", []), dict(message.get("kwargs", {})))
        value = function(*args, **kwargs)
        return {
            "ok": True,
            "value": value,
            "args_after": [None if isinstance(a, probes.Probe) else a for a in args],
            "kwargs_after": {k: None if isinstance(v, probes.Probe) else v for k, v in kwargs.items()},
            "probes": [p.stats() for p in built],
        }
    except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt included
        return {"ok": False, "error": _describe(exc, workdir)}


def _reply(channel, reply):
    try:
        frame = wire.dumps(reply)
    except (wire.WireError, MemoryError, RecursionError, ValueError, TypeError) as exc:
        frame = wire.dumps({"ok": False, "error": {"type": "ReturnTypeError", "message": _text(exc), "frames": []}})
    channel.sendall(frame)


def _describe(exc, workdir):
    """Exception type, message and the student's own stack frames (never ours)."""
    frames = []
    try:
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename.startswith(workdir + os.sep):
                rel = os.path.relpath(frame.filename, workdir)
                frames.append([rel, frame.lineno or 0, frame.name, (frame.line or "")[:200]])
        if isinstance(exc, SyntaxError) and exc.filename and exc.filename.startswith(workdir):
            frames.append([os.path.relpath(exc.filename, workdir), exc.lineno or 0, "<module>", (exc.text or "").strip()[:200]])
    except BaseException:  # noqa: BLE001 - a hostile exception may break introspection
        frames = []
    message = exc.msg if isinstance(exc, SyntaxError) and isinstance(exc.msg, str) else exc
    return {"type": _text(type(exc).__name__), "message": _text(message), "frames": frames[-5:]}


def _text(value):
    try:
        return str(value)[:MAX_MESSAGE]
    except BaseException:  # noqa: BLE001 - __str__ is student code too
        return "<설명할 수 없는 오류>"
