"""``bench``: grading speed, measured side by side in one run (``nox -s bench``).

Prints the floor (a cold ``python -c "import pytest, numpy"``), a student's
cold ``check``, the wall time of grading one submission cold and batches of N
correct submissions, the physical limit (the student's and the reference's
functions alone), and each one's cost per submission as a ratio to the floor
(:mod:`bench_grading`). Targets: a check costs at most 3 x floor, a batch of 20
at most 0.3 x N x floor, a batch of 100 at most 0.2 x N x floor. Every run
goes through the real command line with the sandbox fully on. ``--profile``
adds the CPU time of one submission by component (:mod:`grading_profile`).
If nbgrader is installed, ``nbgrader autograde`` of the same work is timed for
comparison. If MkDocs is installed, the lecture site's
``mkdocs build --strict`` is timed cold (an empty cache: every network
trained, every figure drawn) and warm (built again, as after editing a page),
against :data:`DOCS_TARGETS`, with the CPU time beside the wall time (the
wall time grows when other programs share the cores; the CPU time does not).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .bench_grading import TARGETS, measure, print_profile, print_rows
from .common import OK, ROOT

DOCS_TARGETS = {"cold": 30.0, "warm": 5.0}  # seconds of wall time for a docs build


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
    parser.add_argument("--batch-repeat", type=int, default=3, help="배치마다 중앙값을 낼 실행 횟수 (기본 3)")
    parser.add_argument("--profile", action="store_true",
                        help="제출물 하나의 CPU 시간을 구성 요소별로도 보여 줍니다 (샌드박스, 호출, 테스트 묶음, 물리적 한계)")
    parser.add_argument("--only", choices=("grading", "docs"), help="채점 속도나 강의 사이트 빌드만 잽니다")
    parser.set_defaults(run=run)


def run(args, console: Console) -> int:
    with tempfile.TemporaryDirectory(prefix="autograder-bench-") as tmp:
        if getattr(args, "only", None) != "docs":
            rows = measure(Path(tmp), args.sizes, args.repeat, args.batch_repeat, nbgrader_seconds)
            if rows is None:
                console.print("[red]참조 구현을 복사한 제출물이 모두 100점을 받지 못했습니다[/]")
                return 1
            print_rows(console, rows)
            if args.profile:
                print_profile(console, Path(tmp), args.repeat, rows[0].seconds)
        docs = docs_builds(Path(tmp)) if getattr(args, "only", None) != "grading" else None
        if docs is not None:
            print_docs(console, docs)
    return OK
