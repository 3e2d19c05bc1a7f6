"""Grade a whole class: worker processes, retries, a watchdog, resumable state.

The parent forks ``workers`` processes; each keeps one
:class:`~autograder.grade.engine.Grader` (and so one zygote) for every
submission it is given, and dies with the parent (PR_SET_PDEATHSIG), taking
its zygote and children along. The parent hands out one submission at a
time, saves each graded result the moment it arrives (``state/<name>.json``,
written atomically) and never depends on a worker surviving: however the
batch ends (finished, Ctrl-C, SIGTERM, SIGHUP), it kills every process the
batch started itself (:mod:`.sweep`).

A failure that is not the student's (the worker or its zygote died, was
stopped, or reported a :class:`~autograder.protocol.GraderFault`; the
watchdog saw a submission run past its time budget) never becomes a grade:
the submission is regraded on a fresh worker, and after
:data:`MAX_ATTEMPTS` it is recorded as a grader problem, which is never
saved for reuse. Workers that die before they are ready, again and again,
stop the batch with a GraderFault.

A machine whose confinement is short of what a class of possibly hostile
students needs (:func:`~autograder.sandbox.levels.shortfalls`) grades
nothing: the first worker to start says so and the batch stops with
:class:`WeakIsolation`, unless the caller accepted the risk (``allow_weak``).

A saved result is reused when everything that decides it is unchanged (its
*fingerprint*: the student's files, suites, messages, catalogue, sandbox,
reference, limits, Python and numpy versions). Saved results are found by
the submission's name, so the same folders given by a relative or an
absolute path, or after their parent folder moved, are found again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import platform
import signal
import time
from dataclasses import asdict
from multiprocessing.connection import wait
from pathlib import Path

import numpy as np

from .. import __version__
from ..fsutil import atomic_write
from ..protocol import GraderFault, Limits
from ..sandbox.submission import PROJECT
from ..sandbox.workspace import find_exercise_files, read_source
from .reference import RECORDED_REFERENCE, SUITES
from .result import SubmissionResult, SubmissionStatus, from_json, slug_for, to_json
from .sweep import Sweep

MAX_ATTEMPTS = 3  # a submission is graded at most this often when the grader fails under it
WATCHDOG_GRACE = 30.0  # seconds beyond the submission's own time budget before its worker is killed
START_FAILURES = 3  # workers dying before they are ready, with none ready: the grader cannot work


def grader_digest() -> str:
    """Everything of the grader's that decides a result: suites and messages, catalogue, protocol,
    sandbox, engine, the reference (or its recorded values), Python and numpy versions."""
    package = SUITES.parent
    files = sorted(package.glob("*.py"))
    for folder in ("suites", "protocol", "sandbox", "grade"):
        files += sorted((package / folder).rglob("*.py"))
    files += sorted((PROJECT / "solutions").glob("*.py")) or [RECORDED_REFERENCE]
    digest = hashlib.sha256(f"{__version__} {platform.python_version()} numpy {np.__version__}".encode())
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(path.parents[1]).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(path: Path, limits: Limits, grader: str) -> str:
    """Identifies everything a result depends on: the student's files, the grader, the limits."""
    digest = hashlib.sha256(grader.encode())
    digest.update(json.dumps(asdict(limits), sort_keys=True, default=list).encode())
    for name, file in find_exercise_files(path).items():
        data, note = read_source(file)
        digest.update(name.encode())
        digest.update(data if data is not None else f"<{note}>".encode())
    return digest.hexdigest()


class WeakIsolation(GraderFault):
    """The confinement this machine gives student code is below class level (and that was not accepted)."""

    def __init__(self, level: str, shortfalls: list[str]):
        super().__init__(f"isolation {level} lacks {', '.join(shortfalls)}")
        self.level, self.shortfalls = level, list(shortfalls)


# --- worker side ----------------------------------------------------------------


def _worker_main(conn, limits: Limits, protected=(), parent: int | None = None, place: str | None = None) -> None:
    from ..sandbox import backend, workspace
    from ..sandbox.confine import die_with_parent

    die_with_parent(parent)  # a killed grader leaves no worker behind (and so no zygote, no child)
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):  # the parent decides when to stop
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    workspace.PLACE = place  # the parent removes this folder however this process ends
    try:
        sandbox = backend.start(limits.sandbox)  # boots while this worker loads the suites
        from .engine import Grader

        grader = Grader(limits=limits, protected=protected, sandbox=sandbox)  # never told other submissions' paths
        conn.send(("ready", grader.isolation, grader.shortfalls))
    except GraderFault as exc:
        conn.send(("fault", str(exc)))
        return
    with grader:
        while True:
            try:
                task = conn.recv()
            except EOFError:
                return
            if task is None:
                return
            path, label = task
            try:
                conn.send(("result", grader.grade(path, label=label)))
            except GraderFault as exc:
                conn.send(("fault", str(exc)))
                return  # a fresh worker (and zygote) takes over
            except Exception as exc:  # noqa: BLE001 - a grader bug must not stop the batch
                conn.send(("result", SubmissionResult.crashed(label, f"{type(exc).__name__}: {exc}")))


class _Worker:
    def __init__(self, ctx, limits: Limits, protected=(), place: str | None = None):
        self.conn, child_conn = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child_conn, limits, tuple(protected), os.getpid(), place),
                                   daemon=True)
        self.process.start()
        child_conn.close()
        self.ready = False
        self.task: Path | None = None
        self.started = 0.0

    def give(self, path: Path, label: str) -> None:
        self.task, self.started = path, time.monotonic()
        self.conn.send((str(path), label))

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, BrokenPipeError):
            pass

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


# --- parent side ----------------------------------------------------------------


class Batch:
    """Grades ``paths`` with ``workers`` processes, saving state in ``state_dir``.

    ``protected``: folders student code must not read (the folders holding the class's submissions, the
    output folder); ``allow_weak``: grade even below class level (the caller accepted the risk).
    """

    def __init__(self, paths: list[Path], limits: Limits = Limits(), workers: int = 2,
                 state_dir: Path | None = None, fresh: bool = False, labels: dict | None = None,
                 protected=(), allow_weak: bool = False):
        self.paths = list(paths)
        self.protected, self.allow_weak = tuple(str(p) for p in protected), allow_weak
        self.limits = limits
        self.workers = max(1, min(workers, len(self.paths) or 1))
        self.state_dir = Path(state_dir) if state_dir else None
        self.fresh = fresh
        self.labels = labels or {p: str(p) for p in self.paths}
        self.slugs = slug_for(self.paths)
        self.results: dict[Path, SubmissionResult] = {}
        self.reused = 0
        self.isolation: str | None = None
        self.attempts: dict[Path, int] = {}
        self._fingerprints: dict[Path, str] | None = None

    @property
    def fingerprints(self) -> dict[Path, str]:
        """Each submission's fingerprint (computed when first needed: by then the workers are starting)."""
        if self._fingerprints is None:
            grader = grader_digest()
            self._fingerprints = {p: fingerprint(p, self.limits, grader) for p in self.paths}
        return self._fingerprints

    # -- saved state --

    def state_file(self, path: Path) -> Path:
        return self.state_dir / f"{self.slugs[path]}.json"

    def _load_saved(self) -> None:
        if self.state_dir is None or self.fresh:
            return
        for path in self.paths:
            try:
                saved = json.loads(self.state_file(path).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if not isinstance(saved, dict) or saved.get("fingerprint") != self.fingerprints[path]:
                continue
            try:
                result = from_json(saved["result"])
            except (KeyError, TypeError, ValueError):
                continue
            if result.status is SubmissionStatus.GRADED:
                self.results[path] = result.relabel(self.labels[path])
                self.reused += 1

    def _save(self, path: Path, result: SubmissionResult) -> None:
        if self.state_dir is not None:
            atomic_write(self.state_file(path), json.dumps(
                {"fingerprint": self.fingerprints[path], "name": self.slugs[path], "result": to_json(result)},
                ensure_ascii=False))

    # -- running --

    def run(self, on_start=None, on_result=None, display=contextlib.nullcontext) -> list[SubmissionResult]:
        """Grade everything not already saved; return results in the order of ``paths``.

        ``on_start(path)`` and ``on_result(path, result)`` report progress;
        ``display()`` is entered once the workers exist (a progress bar's thread
        must not be running when they are forked). On KeyboardInterrupt (the
        command line turns SIGTERM and SIGHUP into one too) every process of the
        batch is killed at once and the exception propagates; every finished
        result is already saved. Raises GraderFault if workers cannot start.
        """
        ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        self._sweep, workers = Sweep(), []
        try:
            if (self.fresh or self.state_dir is None) and self.paths:  # nothing to reuse: start while fingerprinting
                workers = [self._worker(ctx) for _ in range(self.workers)]
            self._fingerprints = self.fingerprints  # before any submission is graded: saved is what was graded
            self._load_saved()
            pending = [p for p in self.paths if p not in self.results]
            if not workers:
                workers = [self._worker(ctx) for _ in range(min(self.workers, len(pending)))]
            with display():
                for path in self.paths:
                    if path in self.results and on_result:
                        on_result(path, self.results[path])
                self._grade(ctx, workers, pending, on_start, on_result)
        except BaseException:
            self._shutdown(workers, at_once=True)
            raise
        self._shutdown(workers)
        return [self.results[p] for p in self.paths]

    def _worker(self, ctx) -> _Worker:
        return _Worker(ctx, self.limits, self.protected, self._sweep.folder)

    def _grade(self, ctx, workers, pending, on_start, on_result) -> None:
        queue, start_failures = list(pending), 0
        while queue or any(w.task is not None for w in workers):
            for worker in workers:
                if worker.ready and worker.task is None and queue:
                    path = queue.pop(0)
                    if on_start:
                        on_start(path)
                    worker.give(path, self.labels[path])
            ready = wait([w.conn for w in workers] + [w.process.sentinel for w in workers], timeout=1.0)
            for worker in list(workers):
                reason = self._step(worker, ready, on_result)
                if reason is None:
                    continue
                if not worker.ready:
                    start_failures += 1
                    if start_failures >= START_FAILURES and not any(w.ready for w in workers):
                        raise GraderFault(f"채점 프로세스가 시작하자마자 멈춥니다 ({START_FAILURES}번): {reason}")
                if worker.task is not None:
                    self._retry(worker.task, reason, queue, on_result)
                worker.kill()
                workers.remove(worker)
                if queue and len(workers) < self.workers:
                    workers.append(self._worker(ctx))
            self._sweep.reap([w.process.pid for w in workers])

    def _step(self, worker: _Worker, ready, on_result) -> str | None:
        """Handle what ``worker`` sent; return why it must be replaced, if it must."""
        message = self._receive(worker) if worker.conn in ready else None
        if message and message[0] == "ready":
            worker.ready, self.isolation = True, self.isolation or message[1]
            if message[2] and not self.allow_weak:
                raise WeakIsolation(message[1], message[2])
        elif message and message[0] == "result" and worker.task is not None:
            self._finish(worker.task, message[1], on_result)
            worker.task = None
        elif message:
            return str(message[1])
        elif not worker.process.is_alive():
            return f"grading process died (exit {worker.process.exitcode})"
        elif self._overdue(worker):
            return "stopped by the watchdog: the submission ran far past its time budget"
        return None

    @staticmethod
    def _receive(worker: _Worker):
        try:
            return worker.conn.recv() if worker.conn.poll() else None
        except (EOFError, OSError):
            return None

    def _overdue(self, worker: _Worker) -> bool:
        limit = self.limits.submission_timeout + WATCHDOG_GRACE
        return worker.task is not None and time.monotonic() - worker.started > limit

    def _retry(self, path: Path, reason: str, queue: list[Path], on_result) -> None:
        """Grade ``path`` again on a fresh worker, or record a grader problem (never saved)."""
        self.attempts[path] = self.attempts.get(path, 1) + 1
        if self.attempts[path] <= MAX_ATTEMPTS:
            queue.insert(0, path)
            return
        self._finish(path, SubmissionResult.crashed(self.labels[path],
                                                    f"grader problem after {MAX_ATTEMPTS} attempts: {reason}"), on_result)

    def _shutdown(self, workers, at_once: bool = False) -> None:
        """Stop the workers (``at_once``: kill them, their zygotes and children now), then every process the
        batch left behind, whoever its parent was when it was left."""
        if not at_once:
            for worker in workers:
                worker.stop()
            deadline = time.monotonic() + 5
            for worker in workers:
                worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
        self._sweep.close([w.process.pid for w in workers if w.process.is_alive()])  # unreaped: never a reused pid
        for worker in workers:
            worker.kill()

    def _finish(self, path: Path, result: SubmissionResult, on_result) -> None:
        self.results[path] = result
        if result.status is SubmissionStatus.GRADED:
            self._save(path, result)
        if on_result:
            on_result(path, result)
