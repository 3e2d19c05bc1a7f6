"""Grading speed, side by side in one run: the floor, a student's check, batches, the physical limit, nbgrader.

Every grading row runs the real command line with the sandbox fully on, as
a cold process. The floor is a cold ``python -c "import pytest, numpy"``;
each row's cost per submission is given as a ratio to it, and the targets
(:data:`TARGETS`, :data:`CHECK_TARGET`) are judged in the same run, so a busy
machine slows both sides of a ratio.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .common import ROOT

TARGETS = {20: 0.3, 100: 0.2}  # a batch of N costs at most this x N x floor
CHECK_TARGET = 3.0  # a student's check of one submission costs at most this x floor


@dataclass(frozen=True)
class Row:
    label: str  # Korean
    n: int  # submissions
    seconds: float
    target: float | None = None  # the most it may cost, x N x floor


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


def all_full_marks(out: Path) -> bool:
    scores = (out / "grades.csv").read_text(encoding="utf-8").splitlines()[1:]
    return bool(scores) and all(",100,100," in row for row in scores)


def measure(scratch: Path, sizes, repeat: int, batch_repeat: int, nbgrader_seconds) -> list[Row] | None:
    """The rows, the floor first; None if a copy of the reference did not get full marks."""
    floor = median_wall([sys.executable, "-c", "import pytest, numpy"], repeat)
    one = make_class(scratch / "one", 1)
    rows = [Row("기준선: python -c \"import pytest, numpy\" (중앙값)", 1, floor),
            Row("학생의 확인: python -m autograder check (공개 테스트, 명령 전체, 중앙값)", 1,
                median_wall([sys.executable, "-m", "autograder", "check", str(one[0])], repeat), CHECK_TARGET),
            Row("제출물 하나, 처음부터 (grade 명령 전체, 중앙값)", 1,
                median_wall(grade_command(one, scratch / "out-one"), max(1, repeat // 2)))]
    for n in sizes:
        paths, out = make_class(scratch / f"class{n}", n), scratch / f"out{n}"
        rows.append(Row(f"배치: 올바른 제출물 {n}개 (중앙값 {batch_repeat}번)", n,
                        median_wall(grade_command(paths, out), batch_repeat), TARGETS.get(n)))
        if not all_full_marks(out):
            return None
    rows += physical_rows(repeat)
    nb = nbgrader_seconds(scratch)
    if nb is not None:
        rows.append(Row("같은 답안의 nbgrader autograde (학생 1명)", 1, nb))
    return rows


def physical_rows(repeat: int) -> list[Row]:
    """The student's and the reference's functions alone on the suites' inputs (CPU time), serial and on
    every core: what no grader can go below."""
    from .grading_profile import physical_ms

    serial = physical_ms(repeat) / 1000
    return [Row("물리적 한계: 학생·참조 함수만, 제출물 하나 (직렬, CPU)", 1, serial),
            Row(f"물리적 한계: 같은 것을 {os.cpu_count()}코어에 나누면", 1, serial / (os.cpu_count() or 1))]


def print_rows(console: Console, rows: list[Row]) -> None:
    floor = rows[0].seconds
    table = Table(title=f"채점 속도: {os.cpu_count()}코어, Python {sys.version.split()[0]}")
    for column in ("실행", "N", "전체 (초)", "제출물당 (초)", "제출물당 / 기준선"):
        table.add_column(column, justify="left" if column == "실행" else "right")
    for row in rows:
        table.add_row(row.label, str(row.n), f"{row.seconds:.3f}", f"{row.seconds / row.n:.4f}",
                      "" if row is rows[0] else f"{row.seconds / row.n / floor:.3f}")
    console.print(table)
    for row in rows:
        if row.target is not None:
            ratio = row.seconds / (row.n * floor)
            verdict = "[green]만족[/]" if ratio <= row.target else "[red]미달[/]"
            console.print(f"{row.label.split(':')[0]} (N={row.n}): {ratio:.2f} × N × 기준선, 목표 {row.target:g} "
                          f"× N × 기준선 {verdict}")
    console.print(f"부하 평균 {', '.join(f'{v:.1f}' for v in os.getloadavg())} (1, 5, 15분)")


def print_profile(console: Console, scratch: Path, repeat: int, floor: float) -> None:
    """``--profile``: CPU time per submission by component (see :mod:`grading_profile`)."""
    from .grading_profile import components

    rows, calls = components(make_class(scratch / "profile", 1)[0], 20, repeat)
    table = Table(title=f"제출물 하나의 CPU 시간, 구성 요소별 (제출물 20개의 평균; 학생 함수 호출 {calls}번)")
    for column in ("구성 요소", "ms", "/ 기준선"):
        table.add_column(column, justify="left" if column == "구성 요소" else "right")
    for row in rows:
        table.add_row(row.label, f"{row.ms:.1f}", f"{row.ms / 1000 / floor:.3f}")
    console.print(table)
