"""``bench``: grading speed, measured side by side in one run (``nox -s bench``).

Prints the floor (a cold ``python -c "import pytest, numpy"``), the wall time
of grading one submission cold, of batches of N correct submissions, and each
batch's cost per submission as a ratio to the floor. Targets (:data:`TARGETS`):
a batch of 20 costs at most 0.3 x N x floor, a batch of 100 at most 0.2 x N x
floor. Every run goes through the real command line with the sandbox fully
on. If nbgrader is installed, ``nbgrader autograde`` of the same work is
timed for comparison. If MkDocs is installed, the lecture site's
``mkdocs build --strict`` is timed cold (an empty cache: every network
trained, every figure drawn) and warm (built again, as after editing a page),
against :data:`DOCS_TARGETS`, with the CPU time beside the wall time (the
wall time grows when other programs share the cores; the CPU time does not).
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
DOCS_TARGETS = {"cold": 30.0, "warm": 5.0}  # seconds of wall time for a docs build


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


def docs_builds(scratch: Path) -> list[tuple[str, float, float]] | None:
    """(kind, wall seconds, CPU seconds) of a cold and a warm ``mkdocs build --strict``; None without MkDocs."""
    try:
        import mkdocs  # noqa: F401
        import resource
    except ImportError:
        return None
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LECTURE_SITE_CACHE": str(scratch / "docs-cache"),
           "NO_MKDOCS_2_WARNING": "1"}
    rows = []
    for kind in DOCS_TARGETS:
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(scratch / "site")],
                       cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        rows.append((kind, time.perf_counter() - start,
                     after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime))
    return rows


def print_docs(console: Console, rows) -> None:
    table = Table(title="강의 사이트 빌드 (mkdocs build --strict)")
    for column in ("빌드", "벽시계 (초)", "CPU (초)", "목표 (초)"):
        table.add_column(column, justify="left" if column == "빌드" else "right")
    labels = {"cold": "처음부터 (캐시 없음: 신경망 학습, 그림 모두)", "warm": "다시 (페이지를 고친 뒤처럼)"}
    for kind, seconds, cpu in rows:
        verdict = "[green]만족[/]" if seconds <= DOCS_TARGETS[kind] else "[red]미달[/]"
        table.add_row(labels[kind], f"{seconds:.1f}", f"{cpu:.1f}", f"{DOCS_TARGETS[kind]:g} {verdict}")
    console.print(table)
    console.print(f"이 기계의 코어 {os.cpu_count()}개, 부하 평균 {', '.join(f'{v:.1f}' for v in os.getloadavg())} "
                  "(1, 5, 15분): 다른 프로그램이 코어를 쓰면 벽시계 시간이 늘어납니다.")


def add_parser(commands) -> None:
    parser = commands.add_parser("bench", help="채점 속도를 잽니다 (measure grading speed)")
    parser.add_argument("--sizes", type=int, nargs="+", default=sorted(TARGETS), help="배치 크기 (기본 20 100)")
    parser.add_argument("--repeat", type=int, default=5, help="중앙값을 낼 실행 횟수 (기본 5)")
    parser.add_argument("--only", choices=("grading", "docs"), help="채점 속도나 강의 사이트 빌드만 잽니다")
    parser.set_defaults(run=run)


def run(args, console: Console) -> int:
    with tempfile.TemporaryDirectory(prefix="autograder-bench-") as tmp:
        if getattr(args, "only", None) != "docs":
            rows = measure(Path(tmp), args.sizes, args.repeat)
            if rows is None:
                console.print("[red]참조 구현을 복사한 제출물이 모두 100점을 받지 못했습니다[/]")
                return 1
            print_grading(console, rows)
        docs = docs_builds(Path(tmp)) if getattr(args, "only", None) != "grading" else None
        if docs is not None:
            print_docs(console, docs)
    return OK


def print_grading(console: Console, rows) -> None:
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
