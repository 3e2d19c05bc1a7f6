"""``grade PATH...``: the instructor grades submission folders (public + hidden tests)."""

from __future__ import annotations

import os
from pathlib import Path

from rich.console import Console

from ..catalog import points
from ..grade.result import SubmissionResult
from ..protocol import GraderFault, SubmissionError
from ..sandbox.backend import BACKENDS
from .common import INTERRUPTED, OK, ROOT, USAGE, add_limits, grader_problem, limits, validate
from .grade_run import GradeRun, Refused
from .isolation import TRUST_FLAG, isolation_notice, refusal
from .late import add_options as add_late_options
from .late import check_args, counted_folders, deadline_rules, report_extensions, student_results
from .grade_outputs import add_options as add_output_options
from .grade_outputs import requested_exports, write_exports, write_outputs
from .roster import add_options as add_roster_options
from .roster import join_roster, read_roster_option, report_roster, roster_of_sources
from .sources import add_options as add_source_options
from .sources import expand_sources, report_sources

DEFAULT_SUBMISSIONS = ROOT / "examples" / "submissions"


def add_parser(commands) -> None:
    parser = commands.add_parser("grade", help="제출물 폴더들을 채점합니다 (강사용; grade submissions)")
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="exercises/가 들어 있는 제출물 폴더들 (기본: examples/submissions/ 의 모든 폴더)")
    parser.add_argument("--out", type=Path, default=Path("grading-output"), metavar="DIR",
                        help="성적표, feedback/, gradescope/, 이어서 채점하기 위한 state/ (기본 grading-output)")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1), metavar="N",
                        help="동시에 채점할 제출물 수 (기본 2)")
    parser.add_argument("--fresh", action="store_true", help="저장된 결과를 쓰지 않고 모두 다시 채점합니다")
    parser.add_argument("-q", "--quiet", action="store_true", help="성적표와 요약만 출력합니다")
    parser.add_argument("--skip-invalid", action="store_true",
                        help="잘못된 폴더는 0점(invalid)으로 기록하고 나머지를 채점합니다")
    parser.add_argument("-v", "--verbose", action="store_true", help="통과한 테스트도 보여 줍니다")
    parser.add_argument(TRUST_FLAG, action="store_true", dest="trust_student_code",
                        help="커널 격리가 반 채점 수준에 못 미쳐도(--backend portable 포함) 채점합니다. 학생 코드가 참조 "
                             "구현·숨은 테스트·다른 제출물을 읽거나 바꿀 수 있다는 위험을 받아들일 때만 쓰세요")
    parser.add_argument("--docs-url", metavar="URL",
                        help="피드백(feedback/, gradescope/)과 report.html의 설명 링크가 가리킬 강의 사이트 주소 "
                             "(기본: mkdocs.yml의 site_url, 없으면 origin 저장소의 GitHub Pages 주소; \"\"이면 링크 없음)")
    add_source_options(parser)
    add_late_options(parser)
    add_roster_options(parser)
    add_output_options(parser)
    add_limits(parser)
    parser.set_defaults(run=run, check_args=check_args)


def default_submissions() -> list[Path]:
    return sorted(p for p in DEFAULT_SUBMISSIONS.iterdir() if p.is_dir()) if DEFAULT_SUBMISSIONS.is_dir() else []


def run(args, console: Console) -> int:
    from filelock import FileLock, Timeout

    from ..grade.reference import preflight

    if unconfined_backend_refused(args, console):
        return USAGE
    try:
        grade_run = plan_run(args, console)
    except Refused as exc:
        exc.show(console)
        return USAGE
    paths = grade_run.sources.paths
    if not paths and not grade_run.sources.students:
        console.print("오류: 채점할 제출물 폴더가 없습니다.", style="red")
        return USAGE
    problems = find_problems(paths)
    if problems and not args.skip_invalid:
        for reason in problems.values():
            console.print(f"오류: {reason}", style="red", markup=False)
        console.print("아무것도 채점하지 않았습니다 (--skip-invalid를 주면 나머지 폴더를 채점합니다).")
        return USAGE
    try:
        preflight()
    except GraderFault as exc:
        return grader_problem(console, exc)
    grade_run.out.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(grade_run.out / ".lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        console.print(f"다른 채점이 이미 {grade_run.out}/ 에 결과를 쓰고 있습니다. 그 채점이 끝난 뒤 다시 실행하거나 "
                      "--out으로 다른 폴더를 고르세요.", style="red", markup=False)
        return USAGE
    try:
        return grade_locked(grade_run, console, paths, problems)
    finally:
        lock.release()


def unconfined_backend_refused(args, console: Console) -> bool:
    """A backend without kernel confinement grades a class only with --trust-student-code (said why)."""
    chosen = BACKENDS.get(args.backend)  # None: auto
    if chosen is None or chosen.kernel or args.trust_student_code:
        return False
    refusal(console, chosen.name)
    return True


def plan_run(args, console: Console) -> GradeRun:
    """The run ``args`` ask for: the roster, the deadline rules and the inputs read once (Refused when one
    cannot be used; nothing is graded then)."""
    roster = read_roster_option(args.roster, console)
    rules = deadline_rules(args)
    sources = expand_sources(args.paths or default_submissions(), rules, args.out, console)  # downloads, clones...
    roster = roster if roster is not None else roster_of_sources(sources, console)
    return GradeRun(args.out, sources, roster, rules, docs_url=args.docs_url, exports=requested_exports(args),
                    assignment_name=args.assignment_name, missing_blank=args.missing_blank,
                    limits=limits(args), workers=args.workers, fresh=args.fresh,
                    trust_student_code=args.trust_student_code, quiet=args.quiet, verbose=args.verbose)


def find_problems(paths: list[Path]) -> dict[Path, str]:
    problems = {}
    for path in paths:
        try:
            validate(path)
        except SubmissionError as exc:
            problems[path] = str(exc)
    return problems


def grade_locked(run: GradeRun, console: Console, paths: list[Path], problems: dict) -> int:
    from ..grade.batch import Batch, WeakIsolation

    valid = [p for p in paths if p not in problems]
    labels = run.sources.labels
    batch = Batch(valid, limits=run.limits, workers=run.workers, state_dir=run.out / "state", fresh=run.fresh,
                  labels={p: labels[p] for p in valid}, protected=protected_folders(valid, run.out),
                  allow_weak=run.trust_student_code)
    try:
        interrupted = run_batch(batch, run, console, len(valid))
    except WeakIsolation as exc:
        refusal(console, exc.level)
        return USAGE
    except GraderFault as exc:
        return grader_problem(console, exc)
    graded = {p: SubmissionResult.invalid(labels[p], problems[p], points()) for p in problems} | batch.results
    results = join_roster(run.roster, student_results(run, graded, paths), run.sources.students)
    run.summary = class_summary(run, results)
    run.similarity = similar_answers(results, counted_folders(run, results, batch.results))
    write_outputs(results, run)
    report_run(console, run, batch, results)
    report_sources(run, console, results)
    report_roster(run.roster, console, results)
    report_extensions(run, console, results)
    write_exports(run, console, results, interrupted)
    finish_output(run, console, batch, paths)
    if interrupted:
        done = sum(1 for p in valid if p in batch.results)
        console.print(f"중단됨: {done}/{len(valid)}개 채점 완료. 같은 명령을 다시 실행하면 이어서 채점합니다.")
        return INTERRUPTED
    return OK


def class_summary(run: GradeRun, results: list[SubmissionResult]):
    from ..analysis.summary import summarize

    if run.rules is None:
        return summarize(results)
    extended = sum(1 for r in results if r.timing is not None and r.timing.extended)
    return summarize(results, run.rules.deadline, run.rules.policy, extended)


def finish_output(run: GradeRun, console: Console, batch, paths: list[Path]) -> None:
    """Keep this run's state and snapshots; remove every file an earlier run left in the output folder."""
    for path in batch.paths:
        run.output.keep(batch.state_file(path))
    for path in paths:
        run.output.keep(path)  # a snapshot or a converted notebook: only kept when inside the folder
    removed = run.output.finish()
    if removed:
        console.print(f"{run.out}/ 에서 이전 실행이 남긴 파일 {len(removed)}개를 지웠습니다 (이번 채점과 무관한 피드백·"
                      "상태 파일 등).", markup=False)


def protected_folders(paths: list[Path], out: Path) -> list[Path]:
    """Folders no student may read: those holding the class's submissions (each child is told only
    these, never another student's path) and the output folder."""
    folders = {p.resolve().parent for p in paths} | {out.resolve()}
    return sorted(f for f in folders if f.parent != f)  # never the file system's root


def run_batch(batch, run: GradeRun, console: Console, total: int) -> bool:
    """Grade with a progress bar; True if interrupted (Ctrl-C)."""
    from ..report import console as report

    progress = report.batch_progress(console, total)
    running: set = set()

    def on_start(path):
        running.add(path)
        progress.describe(running)

    def on_result(path, result):
        running.discard(path)
        progress.advance(running)
        if not run.quiet:
            report.print_graded(result, progress.console, verbose=run.verbose)

    try:
        batch.run(on_start, on_result, display=progress.live)
    except KeyboardInterrupt:
        return True
    return False


def report_run(console: Console, run: GradeRun, batch, results: list[SubmissionResult]) -> None:
    from ..report import console as report
    from ..report.timing import when

    isolation_notice(console, batch.isolation or next((r.isolation for r in results if r.isolation), None))
    summary = run.summary
    if summary.rule:
        console.print(f"마감 {when(summary.deadline)} · 지각 규칙: {summary.rule}", markup=False)
    console.print(report.gradebook_table(summary) if not run.quiet or len(results) <= 50 else "")
    console.print(summary.line(), markup=False)
    if batch.reused:
        console.print(f"이전 실행에서 채점한 제출물 {batch.reused}개는 다시 채점하지 않았습니다 (--fresh로 모두 다시 채점).")
    findings = run.similarity
    if findings is not None and findings.groups:
        console.print(f"확인해 볼 만한 쌍: {len(findings.groups)}개 (같은 숨은 테스트에서 어떤 알려진 실수로도 설명되지 않는 "
                      f"똑같은 오답; 점수에는 영향이 없습니다). {run.out}/report.html, {run.out}/similarity.json")
    console.print(f"결과: {run.out}/ (report.html, grades.csv, grades.json, feedback/, gradescope/)")


def similar_answers(results: list[SubmissionResult], folders: dict):
    """Submissions sharing unexplained wrong answers (for the instructor; never changes a score)."""
    from ..analysis.similarity import find_groups

    return find_groups(results, folders, ROOT / "exercises")
