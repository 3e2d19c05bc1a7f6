"""Grade a whole class: worker processes, resumable state, progress.

The parent process imports the engine once and forks ``workers`` processes
from it; each worker keeps one :class:`~autograder.grade.engine.Grader` (and
so one zygote) for every submission it is given. The parent hands out one
submission at a time, saves each result the moment it arrives
(``state/<slug>.json``, written atomically) and never depends on a worker
surviving: a worker that dies costs only the submission it was grading,
which is recorded as a grader error, and a fresh worker takes its place.

A saved result is reused when the submission's files, the suites and the
limits are unchanged (its *fingerprint*), so an interrupted batch resumes
where it stopped and a re-run regrades only what changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import re
import signal
import time
from dataclasses import asdict
from multiprocessing.connection import wait
from pathlib import Path

from .. import __version__
from ..sandbox.client import Limits, find_exercise_files
from ..report.files import atomic_write
from .engine import SUITES


def slug_for(paths: list[Path]) -> dict[Path, str]:
    """A file-name-safe, unique name per submission (its folder name, usually the GitHub user)."""
    slugs, seen = {}, {}
    for path in paths:
        base = re.sub(r"[^\w.-]+", "_", Path(path).resolve().name).strip("._") or "submission"
        seen[base] = seen.get(base, 0) + 1
        slugs[path] = base
    for path in paths:
        if seen[slugs[path]] > 1:
            digest = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:8]
            slugs[path] = f"{slugs[path]}-{digest}"
    return slugs


def _suites_digest() -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(SUITES.rglob("*.py")) + sorted(SUITES.parent.joinpath("sandbox").glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(path: Path, limits: Limits, suites_digest: str) -> str:
    """Identifies everything a result depends on: student files, suites, limits."""
    digest = hashlib.sha256(suites_digest.encode())
    digest.update(json.dumps(asdict(limits), sort_keys=True).encode())
    for name, file in find_exercise_files(path).items():
        digest.update(name.encode())
        digest.update(file.read_bytes() if file.is_file() and not file.is_symlink() else b"<not a file>")
    return digest.hexdigest()


def crashed_result(path: Path, reason: str) -> dict:
    return {"submission": str(path), "score": 0, "max_score": 0, "status": "internal_error", "elapsed": 0.0,
            "notes": [], "internal_errors": [reason], "exercises": []}


# --- worker side ----------------------------------------------------------------


def _worker_main(conn, limits: Limits, protected: list[str]) -> None:
    from .engine import Grader

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    with Grader(limits=limits, protected=protected) as grader:
        while True:
            try:
                task = conn.recv()
            except EOFError:
                return
            if task is None:
                return
            path, label = task
            try:
                result = grader.grade(path, label=label)
            except Exception as exc:  # noqa: BLE001 - a grader bug must not stop the batch
                result = crashed_result(Path(label), f"{type(exc).__name__}: {exc}")
            conn.send(result)


class _Worker:
    def __init__(self, ctx, limits: Limits, protected: list[str]):
        self.conn, child_conn = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child_conn, limits, protected), daemon=True)
        self.process.start()
        child_conn.close()
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


# --- parent side ----------------------------------------------------------------


class Batch:
    """Grades ``paths`` with ``workers`` processes, saving state in ``state_dir``."""

    def __init__(self, paths: list[Path], limits: Limits = Limits(), workers: int = 2,
                 state_dir: Path | None = None, fresh: bool = False, labels: dict | None = None):
        self.paths = list(paths)
        self.limits = limits
        self.workers = max(1, min(workers, len(self.paths) or 1))
        self.state_dir = Path(state_dir) if state_dir else None
        self.fresh = fresh
        self.labels = labels or {p: str(p) for p in self.paths}
        self.slugs = slug_for(self.paths)
        self.results: dict[Path, dict] = {}
        self.reused = 0
        digest = _suites_digest()
        self.fingerprints = {p: fingerprint(p, limits, digest) for p in self.paths}

    # -- saved state --

    def _state_file(self, path: Path) -> Path:
        return self.state_dir / f"{self.slugs[path]}.json"

    def _load_saved(self) -> None:
        if self.state_dir is None or self.fresh:
            return
        for path in self.paths:
            file = self._state_file(path)
            try:
                saved = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if saved.get("fingerprint") == self.fingerprints[path] and saved.get("result", {}).get("status") == "graded":
                self.results[path] = saved["result"]
                self.reused += 1

    def _save(self, path: Path, result: dict) -> None:
        if self.state_dir is not None:
            atomic_write(self._state_file(path), json.dumps(
                {"fingerprint": self.fingerprints[path], "result": result}, ensure_ascii=False))

    # -- running --

    def run(self, on_start=None, on_result=None, display=contextlib.nullcontext) -> list[dict]:
        """Grade everything not already saved; return results in the order of ``paths``.

        ``on_start(path)`` and ``on_result(path, result)`` report progress;
        ``display()`` is entered once the workers exist (a progress bar's thread
        must not be running when they are forked). On KeyboardInterrupt the
        workers are stopped and the exception propagates; every finished
        result is already saved.
        """
        self._load_saved()
        pending = [p for p in self.paths if p not in self.results]
        ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        protected = [str(p) for p in self.paths]
        workers = [_Worker(ctx, self.limits, protected) for _ in range(min(self.workers, len(pending)))]
        with display():
            for path in self.paths:
                if path in self.results and on_result:
                    on_result(path, self.results[path])
            self._grade(ctx, workers, protected, pending, on_start, on_result)
        return [self.results[p] for p in self.paths]

    def _grade(self, ctx, workers, protected, pending, on_start, on_result) -> None:
        queue = list(pending)
        try:
            for worker in workers:
                self._next(worker, queue, on_start)
            while any(w.task is not None for w in workers):
                busy = [w for w in workers if w.task is not None]
                ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=1.0)
                for i, worker in enumerate(list(workers)):
                    if worker.task is None:
                        continue
                    if worker.conn in ready and worker.conn.poll():
                        try:
                            result = worker.conn.recv()
                        except (EOFError, OSError):
                            result = None
                        if result is not None:
                            self._finish(worker.task, result, on_result)
                            self._next(worker, queue, on_start)
                            continue
                    if not worker.process.is_alive():
                        self._finish(worker.task, crashed_result(
                            Path(self.labels[worker.task]),
                            f"grading process died (exit code {worker.process.exitcode})"), on_result)
                        worker.kill()
                        workers[i] = _Worker(ctx, self.limits, protected)
                        self._next(workers[i], queue, on_start)
        finally:
            for worker in workers:
                worker.stop()
            deadline = time.monotonic() + 5
            for worker in workers:
                worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
                worker.kill()

    def _next(self, worker: _Worker, queue: list[Path], on_start) -> None:
        worker.task = None
        if queue:
            path = queue.pop(0)
            if on_start:
                on_start(path)
            worker.give(path, self.labels[path])

    def _finish(self, path: Path, result: dict, on_result) -> None:
        self.results[path] = result
        if result.get("status") == "graded":
            self._save(path, result)
        if on_result:
            on_result(path, result)
