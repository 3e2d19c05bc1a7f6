"""``grade``'s late work: ``--late-policy RULE`` and ``--extensions FILE`` (with ``--deadline``).

:func:`deadline_rules` turns the options into the rules :mod:`autograder.collect.sources`
plans each student's submissions by (kept in the :class:`~.grade_run.GradeRun`); :func:`student_results` turns the graded
folders into one result per student (:func:`autograder.grade.late_work.decide`
for every student graded by a deadline).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from ..grade.late import EXAMPLE, PolicyError, parse_policy
from .grade_run import GradeRun, Refused


def policy(text: str):
    """``--late-policy``: the rule of :mod:`autograder.grade.late`."""
    try:
        return parse_policy(text)
    except PolicyError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_options(parser) -> None:
    parser.add_argument("--late-policy", type=policy, metavar="RULE",
                        help=f"마감 뒤 제출을 어떻게 셀지 (기본 none: 받지 않음; {EXAMPLE.replace('%', '%%')}). "
                             "--deadline 과 함께")
    parser.add_argument("--extensions", type=Path, metavar="FILE",
                        help="학생마다 연장한 마감: login,deadline 열의 CSV (--deadline 과 함께)")


def check_args(parser: argparse.ArgumentParser, args) -> None:
    for option in ("late_policy", "extensions"):
        if getattr(args, option, None) is not None and getattr(args, "deadline", None) is None:
            parser.error(f"--{option.replace('_', '-')} 은(는) --deadline 과 함께 씁니다 "
                         "(예: --deadline 2026-12-01T23:59:59+09:00 --late-policy per-day:10%,max:50%)")


def deadline_rules(args):
    """The deadline rules of ``--deadline`` and its options (None without ``--deadline``); Refused when
    the extensions cannot be read."""
    from ..collect import CollectError
    from ..collect.extensions import read_extensions
    from ..collect.sources import DeadlineRules

    if args.deadline is None:
        return None
    extensions = {}
    if args.extensions is not None:
        try:
            extensions = read_extensions(args.extensions)
        except CollectError as exc:
            raise Refused(str(exc), "아무것도 채점하지 않았습니다.") from None
    return DeadlineRules(args.deadline, args.late_policy or parse_policy("none"), extensions)


def student_results(run: GradeRun, graded: dict, order: list[Path]) -> list:
    """One result per student, in order: a folder's own result, or the deadline's decision between a
    student's on-time and late folders. ``graded`` holds the result of every folder graded (or found
    invalid); a student whose folders are not all graded yet (Ctrl-C) is left out."""
    from ..catalog import points
    from ..grade.late_work import Considered, decide

    sources, rules = run.sources, run.rules
    results = []
    for name in sources.students or [sources.labels[p] for p in order]:
        plan = sources.plans.get(name) if rules is not None else None
        if plan is None:
            folders = [p for p in order if sources.labels[p] == name]
            results += [graded[p] for p in folders if p in graded]
            continue
        needed = [p for p in (plan.on_time_path, plan.late_path) if p is not None]
        if any(p not in graded for p in needed):
            continue
        on_time = Considered(plan.on_time.name, plan.on_time.time, graded[plan.on_time_path]) if plan.on_time else None
        late = Considered(plan.late.name, plan.late.time, graded.get(plan.late_path)) if plan.late else None
        results.append(decide(name, rules.policy, plan.deadline, points(), on_time, late, plan.extended))
    return results


def report_extensions(run: GradeRun, console: Console, results: list) -> None:
    """Extensions for nobody graded here (a misspelt login?)."""
    rules = run.rules
    if rules is None or not rules.extensions:
        return
    names = {r.name.lower() for r in results}
    unknown = sorted(login for login in rules.extensions if login not in names)
    used = len(rules.extensions) - len(unknown)
    console.print(f"마감 연장: {used}명" + (f" (채점한 학생에 없는 아이디: {', '.join(unknown)})" if unknown else ""),
                  style="yellow" if unknown else None, markup=False)


def counted_folders(run: GradeRun, results: list, graded: dict) -> dict:
    """The folder whose files each student's grade comes from, by student name (for token similarity)."""
    sources, folders = run.sources, {}
    by_label = {label: path for path, label in sources.labels.items()}
    for result in results:
        plan = sources.plans.get(result.submission) if run.rules is not None else None
        if plan is not None:
            path = plan.late_path if result.timing is not None and result.timing.used == "late" else plan.on_time_path
        else:
            path = by_label.get(result.submission)
        if path is not None and path in graded:
            folders[result.name] = path
    return folders
