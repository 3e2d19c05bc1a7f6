"""What a sandboxed child does: confine itself, load one exercise, answer calls.

Runs in a process forked for one exercise of one submission (by the
submission's host, see :mod:`host`), never in the grader. Protocol (all
frames via :mod:`wire`):

0. child -> grader: ``{"child": True}`` as soon as the process exists (sent
   by the host's fork or by :mod:`portable_child`: the kernel attaches the
   sender's pid, see :mod:`channels`);
1. child -> grader: ``{"confined": True, "refused": [...]}`` once confined
   (the limits this platform refused), before any student code runs;
2. grader -> child: ``{"go": True, "standins": {...}}`` when this child may
   run (no other child of the submission is alive then): only now does it get
   its exercise's stand-ins, and only now does student code run. A child can
   so be started ahead and wait, confined, holding no grader material;
   child -> grader: ``{"ok": True}`` once the exercise module is imported, or
   ``{"ok": False, "error": {...}}`` if importing it failed;
3. grader -> child: ``{"func": name, "args": [...], "kwargs": {...}}``;
   child -> grader: ``{"ok": True, "value", "probes", "printed_truncated"}``
   or ``{"ok": False, "error": {"type", "message", "frames"}}``.

Array arguments arrive as shared buffers (``{"__shared__": name, ...}``): the
student function works on memory the grader reads back itself after the
call, so whether ``x`` was restored is observed, never reported by code
running here. Everything this process says is treated as untrusted.
"""

import importlib
import math
import io
import mmap
import os
import signal
import sys
import traceback
import types

from ..protocol import instances, wire
from . import confine, guard, privileges

MAX_MESSAGE = 500
MAX_RECURSION = 20000  # deeper recursion is reported as RecursionError, not as a timeout
SAFE_ENV_KEYS = ("LANG", "LC_ALL", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def run(channel, request, ruleset=None, syscalls=None):
    """Serve ``request.exercise`` (a :class:`~autograder.protocol.requests.ChildRequest`) on ``channel``
    until the grader hangs up; ``ruleset`` and ``syscalls`` are the Landlock ruleset and seccomp filter."""
    out, refused = _isolate(channel, request, ruleset, syscalls)
    _reply(channel, {"confined": True, "refused": refused})  # dying before this is the grader's problem
    if not _await_go(channel, request):
        return
    try:
        module = _load(request)
    except BaseException as exc:  # noqa: BLE001 - anything the student's import raised
        _reply(channel, {"ok": False, "error": _describe(exc, request.work)})
        return
    _reply(channel, {"ok": True})
    while True:
        try:
            message = wire.recv(channel)
        except wire.WireError:
            return
        reply = _call(module, message, request)
        reply["printed_truncated"] = out.truncated
        _reply(channel, reply)


def _await_go(channel, request) -> bool:
    """Wait until the grader lets this child run; its stand-ins come with that word (False: hung up)."""
    try:
        message = wire.recv(channel)
    except wire.WireError:
        return False
    if not (isinstance(message, dict) and message.get("go") is True):
        return False
    request.standins.update(dict(message.pop("standins", {})))
    return True


# --- confinement, before any student code --------------------------------------


class CappedText(io.TextIOBase):
    """``sys.stdout``/``sys.stderr``: keeps the first ``limit`` characters, drops the rest.

    Debug ``print`` never costs points; writing to the descriptor directly
    still meets the file-size limit.
    """

    def __init__(self, stream, limit):
        self.stream, self.limit, self.written, self.truncated = stream, limit, 0, False

    def write(self, text):
        text = str(text)
        room = self.limit - self.written
        if len(text) > room:
            self.truncated = True
            text = text[:max(room, 0)]
        if text:
            self.written += len(text)
            self.stream.write(text)
            self.stream.flush()
        return len(text)

    def flush(self):
        self.stream.flush()

    def writable(self):
        return True


class _Both:
    def __init__(self, *streams):
        self.streams = streams

    @property
    def truncated(self):
        return any(s.truncated for s in self.streams)


def _isolate(channel, request, ruleset, syscalls):
    """Confine this process; return (output streams, names of the limits this platform refused)."""
    group = _own_session()
    confine.die_with_parent()
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # oversized output: EFBIG, not death
    memory = request.memory_bytes or _own_size() + request.memory_extra
    refused = confine.set_limits(memory, request.cpu_seconds, request.output_bytes, tasks=request.tasks)
    _redirect(request, keep={*getattr(channel, "fds", (channel.fileno(),))}
              | ({ruleset.fileno()} if ruleset is not None else set()))
    os.environ.clear()  # never the grader's environment
    os.environ.update({k: v for k, v in request.env.items()})
    os.chdir(request.work)
    privileges.drop_all()  # every capability, in every mode (PermissionError: this child must not run)
    if ruleset is not None:
        confine.restrict(ruleset)  # and close it: nothing may add rules to a ruleset other children get
    if syscalls is not None:
        syscalls.load()  # last: the calls above are among those it refuses
    streams = _python_level(request)
    if request.guard:
        guard.install(request.work, request.shared, request.read_roots, request.protected)
    return streams, [n for n in refused if n in ("memory", "cpu", "file")] + ([] if group else ["group"])


def _own_session():
    """A session and process group of our own; False where the platform has none (Windows)."""
    if not hasattr(os, "setsid"):
        return False
    try:
        os.setsid()
    except OSError:
        pass  # already a session leader (the portable backend starts it so)
    return True


def _redirect(request, keep):
    """stdin from /dev/null, stdout/stderr into the work folder, every other descriptor but ``keep`` closed."""
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    for fd, name in ((1, "stdout"), (2, "stderr")):
        out = os.open(os.path.join(request.work, "output", f"{request.exercise}.{name}"),
                      os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        os.dup2(out, fd)
    for fd in _open_fds():
        if fd not in keep | {0, 1, 2}:
            try:
                os.close(fd)
            except OSError:
                pass


def _python_level(request):
    """What Python itself offers: capped print, a recursion cap, no stdin, no bytecode files."""
    sys.dont_write_bytecode = True
    sys.argv = ["exercise"]
    if "tempfile" in sys.modules:  # the zygote's own choice (/tmp) would be cached: TMPDIR is the work folder
        sys.modules["tempfile"].tempdir = None
    set_limit = sys.setrecursionlimit
    sys.setrecursionlimit = lambda limit: set_limit(min(int(limit), MAX_RECURSION))
    sys.stdin = io.StringIO()
    limit = max(request.output_bytes // 4, 1024)
    sys.stdout = CappedText(io.TextIOWrapper(os.fdopen(1, "wb", closefd=False), encoding="utf-8"), limit)
    sys.stderr = CappedText(io.TextIOWrapper(os.fdopen(2, "wb", closefd=False), encoding="utf-8",
                                             errors="backslashreplace"), limit)
    return _Both(sys.stdout, sys.stderr)


def _own_size():
    """This process's address space now (the portable backend's children start fresh, not forked)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        import psutil

        return psutil.Process().memory_info().vms


def _open_fds():
    try:
        return [int(fd) for fd in os.listdir("/proc/self/fd")]
    except OSError:
        return range(3, 256) if os.name == "posix" else ()


def _load(request):
    """The student's module, its sibling modules replaced by the stand-ins. The stand-ins' source is
    compiled (without docstrings) and dropped before any student code runs: their import path holds no
    student file, and the request keeps only their names."""
    work = request.work
    sys.path[:] = list(request.python_path)
    standins = {name: _standin(name, request.standins.pop(name)) for name in list(request.standins)}
    request.standins.update(dict.fromkeys(standins))
    sys.path[:] = [work, os.path.join(work, "exercises"), *request.python_path]
    package = importlib.import_module("exercises")  # the grader's own (empty) package file
    for name, standin in standins.items():
        sys.modules[f"exercises.{name}"] = sys.modules[name] = standin
        setattr(package, name, standin)
    del standins
    return importlib.import_module(f"exercises.{request.exercise}")


def _standin(name, source):
    standin = types.ModuleType(f"exercises.{name}", "채점용 대체 모듈 (no double penalty)")
    exec(compile(source, f"<채점용 대체 모듈 {name}>", "exec", optimize=2), standin.__dict__)
    return standin


_ARENA = {}


def _shared(description, shared_dir):
    """A writable array over the grader's arena (what the student changes, the grader sees)."""
    import numpy as np

    if description.get("__shared__") != "arena":
        raise ValueError("bad shared buffer")
    if "arena" not in _ARENA:
        fd = os.open(os.path.join(shared_dir, "arena"), os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
        try:
            _ARENA["arena"] = mmap.mmap(fd, 0)
        finally:
            os.close(fd)
    dtype, shape = np.dtype(str(description["dtype"])), tuple(int(n) for n in description["shape"])
    count = math.prod(shape)
    return np.frombuffer(_ARENA["arena"], dtype=dtype, count=count, offset=int(description["offset"])).reshape(shape)


def _materialize(module, message, shared_dir, analytic):
    def value(v):
        if isinstance(v, dict) and "__shared__" in v:
            return _shared(v, shared_dir)
        if instances.is_instance(v):
            return {**v, "params": {str(k): value(p) for k, p in dict(v.get("params", {})).items()}}
        return v

    args = [value(v) for v in message.get("args", [])]
    kwargs = {str(k): value(v) for k, v in dict(message.get("kwargs", {})).items()}
    return instances.materialize(args, kwargs, classes=lambda name: getattr(module, name), analytic=analytic)


def _function(module, name):
    """``name`` or ``Class.method`` in the student's module (None if there is no such function)."""
    owner, _, attribute = name.rpartition(".")
    if owner:
        cls = getattr(module, owner, None)
        if not isinstance(cls, type) or "." in owner or (attribute.startswith("_") and attribute != "__init__"):
            return None
        module, name = cls, attribute
    function = getattr(module, name, None)
    return function if callable(function) else None


def _call(module, message, request):
    try:
        name = str(message["func"])
        function = _function(module, name)
        if function is None:
            return {"ok": False, "error": {"type": "MissingFunction", "message": name, "frames": []}}
        args, kwargs, built, objects = _materialize(module, message, request.shared, bool(request.standins))
        value = function(*args, **kwargs)
        return {"ok": True, "value": value, "probes": [p.stats() for p in built],
                "instances_after": {str(k): instances.state(o) for k, o in objects.items()}}
    except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt included
        return {"ok": False, "error": _describe(exc, request.work)}


def _reply(channel, reply):
    try:
        frame = wire.dumps(reply)
    except (wire.WireError, MemoryError, RecursionError, ValueError, TypeError, OverflowError) as exc:
        frame = wire.dumps({"ok": False, "error": {"type": "ReturnTypeError", "message": _text(exc), "frames": []}})
    channel.sendall(frame)


def _describe(exc, work):
    """Exception type, message and the student's own stack frames (never ours)."""
    frames = []
    try:
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename.startswith(work + os.sep):
                rel = os.path.relpath(frame.filename, work)
                frames.append([rel, frame.lineno or 0, frame.name, (frame.line or "")[:200]])
        if isinstance(exc, SyntaxError) and exc.filename and exc.filename.startswith(work):
            frames.append([os.path.relpath(exc.filename, work), exc.lineno or 0, "<module>",
                           (exc.text or "").strip()[:200]])
    except BaseException:  # noqa: BLE001 - a hostile exception may break introspection
        frames = []
    message = exc.msg if isinstance(exc, SyntaxError) and isinstance(exc.msg, str) else exc
    described = {"type": _text(type(exc).__name__), "message": _text(message), "frames": frames[-5:]}
    if isinstance(exc, ModuleNotFoundError) and isinstance(exc.name, str):
        described["module"] = exc.name[:100]
    if isinstance(exc, OSError) and type(exc.errno) is int:
        described["errno"] = exc.errno  # ENOSPC: the work folder's tmpfs is full (a disk error)
    return described


def _text(value):
    try:
        return str(value)[:MAX_MESSAGE]
    except BaseException:  # noqa: BLE001 - __str__ is student code too
        return "<설명할 수 없는 오류>"
