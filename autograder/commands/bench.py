"""``bench``: grading speed, measured side by side in one run (``nox -s bench``).

Prints the floor (a cold ``python -c "import pytest, numpy"``), the wall time
of grading one submission cold, of batches of N correct submissions, and each
batch's cost per submission as a ratio to the floor. Targets (:data:`TARGETS`):
a batch of 20 costs at most 0.3 x N x floor, a batch of 100 at most 0.2 x N x
floor. Every run goes through the real command line with the sandbox fully
on. If nbgrader is installed, ``nbgrader autograde`` of the same work is
timed for comparison.
"""

from __future__ import annotations

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

from .common import OK, ROOT

TARGETS = {20: 0.3, 100: 0.2}  # a batch of N costs at most this x N x floor


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

        from ..assign.nbgrader_course import ASSIGNMENT, Course, build
        from ..assign.nbgrader_course import nbgrader as run_nbgrader
    except ImportError:
        return None
    course = scratch / "course"
    build(Course(course))
    shutil.copytree(course / "source" / ASSIGNMENT, course / "submitted" / "bench" / ASSIGNMENT)
    start = time.perf_counter()
    run_nbgrader(course, "autograde", ASSIGNMENT, "--student", "bench")
    return time.perf_counter() - start


def add_parser(commands) -> None:
    parser = commands.add_parser("bench", help="채점 속도를 잽니다 (measure grading speed)")
    parser.add_argument("--sizes", type=int, nargs="+", default=sorted(TARGETS), help="배치 크기 (기본 20 100)")
    parser.add_argument("--repeat", type=int, default=5, help="중앙값을 낼 실행 횟수 (기본 5)")
    parser.set_defaults(run=run)


def run(args, console: Console) -> int:
    with tempfile.TemporaryDirectory(prefix="autograder-bench-") as tmp:
        rows = measure(Path(tmp), args.sizes, args.repeat)
        if rows is None:
            console.print("[red]참조 구현을 복사한 제출물이 모두 100점을 받지 못했습니다[/]")
            return 1
    floor = rows[0][2]
    table = Table(title=f"채점 속도: {os.cpu_count()}코어, Python {sys.version.split()[0]}")
    for column in ("실행", "N", "전체 (초)", "제출물당 (초)", "제출물당 / 기준선"):
        table.add_column(column, justify="left" if column == "실행" else "right")
    for label, n, seconds in rows:
        table.add_row(label, str(n), f"{seconds:.3f}", f"{seconds / n:.3f}", "" if n == 1 and label.startswith("기준선")
                      else f"{seconds / n / floor:.2f}")
    console.print(table)
    for label, n, seconds in rows:
        if n in TARGETS and label.startswith("배치"):
            ratio = seconds / (n * floor)
            verdict = "[green]만족[/]" if ratio <= TARGETS[n] else "[red]미달[/]"
            console.print(f"N={n}: 배치 전체가 {ratio:.2f} × N × 기준선, 목표 {TARGETS[n]} × N × 기준선 {verdict}")
    return OK


def measure(scratch: Path, sizes, repeat: int):
    """Rows (label, N, seconds): the floor first, then one cold submission, the batches, nbgrader."""
    floor = median_wall([sys.executable, "-c", "import pytest, numpy"], repeat)
    one = make_class(scratch / "one", 1)
    rows = [("기준선: python -c \"import pytest, numpy\" (중앙값)", 1, floor),
            ("제출물 하나, 처음부터 (명령 전체)", 1, median_wall(grade_command(one, scratch / "out-one"), max(1, repeat // 2)))]
    for n in sizes:
        paths = make_class(scratch / f"class{n}", n)
        rows.append((f"배치: 올바른 제출물 {n}개", n, wall(grade_command(paths, scratch / f"out{n}"))))
        scores = (scratch / f"out{n}" / "grades.csv").read_text(encoding="utf-8").splitlines()[1:]
        if any(",100,100," not in row for row in scores):
            return None
    nb = nbgrader_seconds(scratch)
    if nb is not None:
        rows.append(("같은 답안의 nbgrader autograde (학생 1명)", 1, nb))
    return rows
