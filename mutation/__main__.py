"""``python -m mutation`` (``nox -s mutants``): mutation testing of the hidden suites.

Grades every mutant of solutions/ with the hidden suites alone and every
known mistake with all suites, prints the survivors that are not reviewed
equivalents, and compares (``--write-readme``: rewrites) the README's two
generated blocks: the mutation score and the table of how points fall for
each known mistake. Exit status 1 when a mutant survives unexplained, a
listed equivalent is killed or names no mutant, or the README is stale.
"""

from __future__ import annotations

import argparse
import sys
import time

from . import readme, report, table
from .equivalents import load, unmatched
from .generate import all_mutants
from .grading import grade_all
from .known import KNOWN


def progress(done: int, total: int) -> None:
    if done % 100 == 0 or done == total:
        print(f"  {done}/{total}", flush=True)


def problems_of(summary, stale) -> list[str]:
    lines = [f"살아남음: {m.file}:{m.line} [{m.function}] {m.operator}: {m.before!r} → {m.after!r}"
             + (f" (채점기 문제: {o.error})" if o.error else "") for m, o in summary.survivors]
    lines += [f"목록에 있지만 이제 점수를 잃음 (목록에서 지우세요): {m.file} [{m.function}] {m.after!r}"
              for m in summary.listed_but_killed]
    lines += [f"목록의 항목이 어떤 돌연변이와도 맞지 않음: {e.file} [{e.function}] {e.after!r}" for e in stale]
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mutation", description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--write-readme", action="store_true", help="rewrite README.md's generated blocks")
    args = parser.parse_args(argv)
    start = time.monotonic()
    mutants, equivalents = all_mutants(), load()
    print(f"돌연변이 {len(mutants)}개를 숨은 테스트로 채점합니다 (작업 프로세스 {args.workers}개)", flush=True)
    outcomes = grade_all(mutants, ("hidden",), args.workers, progress)
    summary = report.summarise(mutants, outcomes, {e.key for e in equivalents})
    known = grade_all([table.as_mutant(k) for k in KNOWN], ("public", "hidden"), args.workers)
    blocks = {"mutation-score": report.render(summary), "mistake-points": table.render(known)}
    print(blocks["mutation-score"])
    problems = problems_of(summary, unmatched(equivalents, mutants))
    for name, content in blocks.items():
        if args.write_readme:
            readme.write_block(name, content)
        elif readme.block(name) != content:
            problems.append(f"README.md의 {name} 블록이 이 실행의 결과와 다릅니다 (--write-readme로 다시 쓰세요)")
    print("\n".join(problems) or "설명되지 않은 생존 돌연변이가 없습니다.")
    print(f"({time.monotonic() - start:.0f}초)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
