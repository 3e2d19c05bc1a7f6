"""Grading speed, measured side by side in one run (``nox -s bench``).

Prints the floor (a cold ``python -c "import pytest, numpy"``), the wall time
of grading one submission cold, of batches of N correct submissions, and each
batch's cost per submission as a ratio to the floor. Target: a batch costs at
most 0.5 x N x floor. Every run goes through the real command line with the
sandbox fully on. If nbgrader is installed, ``nbgrader autograde`` of the same
work is timed for comparison.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 0.5


def wall(command: list[str], cwd: Path = ROOT) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def median_wall(command: list[str], repeat: int) -> float:
    return statistics.median(wall(command) for _ in range(repeat))


def make_class(folder: Path, n: int) -> list[Path]:
    """``n`` copies of the reference solutions, laid out like cloned student repositories."""
    paths = []
    for i in range(n):
        target = folder / f"student{i:03d}" / "exercises"
        target.mkdir(parents=True)
        for source in (ROOT / "solutions").glob("*.py"):
            shutil.copyfile(source, target / source.name)
        paths.append(target.parent)
    return paths


def grade_command(paths: list[Path], out: Path) -> list[str]:
    return [sys.executable, "-m", "autograder", "grade", *map(str, paths), "--out", str(out), "--fresh", "-q"]


def nbgrader_seconds(scratch: Path) -> float | None:
    """Wall time of ``nbgrader autograde`` for one student handing in the reference notebooks."""
    try:
        import nbgrader  # noqa: F401

        from .assign.nbgrader_course import ASSIGNMENT, build
        from .assign.nbgrader_course import nbgrader as run_nbgrader
    except ImportError:
        return None
    course = scratch / "course"
    build(course)
    shutil.copytree(course / "source" / ASSIGNMENT, course / "submitted" / "bench" / ASSIGNMENT)
    start = time.perf_counter()
    run_nbgrader(course, "autograde", ASSIGNMENT, "--student", "bench")
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.bench", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 100], help="batch sizes (default 20 100)")
    parser.add_argument("--repeat", type=int, default=5, help="runs for each median (default 5)")
    args = parser.parse_args(argv)
    console = Console()
    with tempfile.TemporaryDirectory(prefix="autograder-bench-") as tmp:
        scratch = Path(tmp)
        floor = median_wall([sys.executable, "-c", "import pytest, numpy"], args.repeat)
        one = make_class(scratch / "one", 1)
        single = median_wall(grade_command(one, scratch / "out-one"), max(1, args.repeat // 2))
        rows = [("floor (import pytest, numpy)", 1, floor, None),
                ("one submission, cold", 1, single, single / floor)]
        verdicts = []
        for n in args.sizes:
            paths = make_class(scratch / f"class{n}", n)
            seconds = wall(grade_command(paths, scratch / f"out{n}"))
            ratio = seconds / (n * floor)
            rows.append((f"batch of {n}", n, seconds, ratio))
            verdicts.append((n, ratio))
            scores = (scratch / f"out{n}" / "grades.csv").read_text(encoding="utf-8").splitlines()[1:]
            if any(",100,100," not in row for row in scores):
                console.print(f"[red]batch of {n}: not every copy of the reference scored 100[/]")
                return 1
        nb = nbgrader_seconds(scratch)
        if nb is not None:
            rows.append(("nbgrader autograde, 1 student", 1, nb, nb / floor))

    table = Table(title=f"grading speed on {os.cpu_count()} cores (Python {sys.version.split()[0]})")
    table.add_column("run")
    table.add_column("N", justify="right")
    table.add_column("wall s", justify="right")
    table.add_column("s each", justify="right")
    table.add_column("each / floor", justify="right")
    for label, n, seconds, ratio in rows:
        table.add_row(label, str(n), f"{seconds:.3f}", f"{seconds / n:.3f}", "" if ratio is None else f"{ratio:.2f}")
    console.print(table)
    for n, ratio in verdicts:
        verdict = "[green]meets[/]" if ratio <= TARGET_RATIO else "[red]misses[/]"
        console.print(f"N={n}: batch costs {ratio:.2f} x N x floor, {verdict} the target of {TARGET_RATIO} x N x floor")
    if nb is None:
        console.print("nbgrader: not installed here (install the nbgrader extra to compare)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
