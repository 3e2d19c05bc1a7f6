"""Score reports in the terminal (rich), in Korean, readable at 80 columns."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..analysis.summary import ClassSummary, standing_text
from ..grade.result import Status, SubmissionResult, TestResult, slug_for
from .links import test_link
from .student import hidden_summary, public_tests

LINK = "강의 노트: "  # before the address of the lecture-site section a test links to
STYLE = {Status.PASSED: "green", Status.FAILED: "red", Status.ERROR: "red", Status.TIMEOUT: "yellow",
         Status.MEMORY: "yellow", Status.INTERNAL: "magenta"}


def test_lines(test: TestResult, title: str, indent: str = "  ", site: str | None = None) -> list[str]:
    """A test's line, and for one not passed its diagnosis and (with ``site``) where to read about it."""
    mark = "[green]✔[/]" if test.passed else "[red]✘[/]"
    lines = [f"{indent}{mark} {escape(title)}  [dim]{test.score}/{test.max_score}[/]"]
    if not test.passed:
        lines.append(f"{indent}    [{STYLE[test.status]}]{test.status.label}[/]: {escape(without_label(test))}")
    link = test_link(test, site)
    if link:
        lines.append(f"{indent}    {LINK}{escape(link)}")
    return lines


def without_label(test: TestResult) -> str:
    """The message without the status word it may already start with ("시간 초과: ..." after "시간 초과")."""
    return test.message.removeprefix(f"{test.status.label}:").lstrip()


def print_check(result: SubmissionResult, console: Console | None = None, heading: str = "공개 테스트",
                site: str | None = None) -> None:
    """What a student sees after ``nox -s check``: every public test, the hidden ones as a count, the total.

    ``site`` is the lecture site's address: each public test that did not pass links to its section.
    """
    console = console or Console()
    console.print(f"[b]{heading} 결과[/]")
    for exercise in result.exercises:
        console.print(f"\n[b]{escape(exercise.title)}[/] ({exercise.name})  {exercise.score}/{exercise.max_score}점")
        for test in public_tests(exercise):
            for line in test_lines(test, test.title, site=site):
                console.print(line, soft_wrap=line.lstrip().startswith(LINK))  # an address must not be broken
        summary = hidden_summary(exercise)
        if summary:
            console.print(f"  {summary}")
    console.print()
    console.print(exercises_table(result, f"{heading} 점수"))
    failed = result.not_passed()
    if failed:
        console.print(f"통과하지 못한 테스트가 {len(failed)}개 있습니다. 위의 설명을 보고 고쳐 보세요.")
    else:
        console.print(f"[green]{heading}를 모두 통과했습니다.[/]"
                      + (" 제출하면 숨은 테스트로도 채점합니다." if heading == "공개 테스트" else ""))
    _print_notes(result, console)


def exercises_table(result: SubmissionResult, title: str | None = None) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("과제")
    table.add_column("내용")
    table.add_column("점수", justify="right")
    for exercise in result.exercises:
        table.add_row(exercise.name, exercise.title, f"{exercise.score}/{exercise.max_score}")
    table.add_row("[b]합계[/]", "", f"[b]{result.score}/{result.max_score}[/]")
    return table


def print_graded(result: SubmissionResult, console: Console | None = None, verbose: bool = False) -> None:
    """One submission for the instructor: total, per-exercise scores, each test not passed."""
    console = console or Console()
    parts = " · ".join(f"{e.name} {e.score}/{e.max_score}" for e in result.exercises)
    console.print(f"[b]{escape(result.submission)}[/]  [b]{result.score}/{result.max_score}[/]"
                  f"  ({parts})  [dim]{result.elapsed:.2f}초[/]")
    for test in result.tests():
        if verbose or not test.passed:
            for line in test_lines(test, f"{test.exercise}/{test.name}"):
                console.print(line)
    _print_notes(result, console)
    for error in result.internal_errors:
        console.print(f"[magenta]채점기 내부 오류[/] {escape(error)}")


def _print_notes(result: SubmissionResult, console: Console) -> None:
    for note in result.notes:
        console.print(f"  참고: {escape(note)}")


def gradebook_table(summary: ClassSummary) -> Table:
    """Every student of the class summary: total, per-exercise points, where they stand.

    A name is never wrapped (``park-seoy`` / ``eon`` would read as two students),
    whatever the width of the terminal or of a file the output goes to."""
    results = summary.results
    slugs = slug_for([r.submission for r in results])
    table = Table(title="성적표", title_justify="left")
    table.add_column("학생", no_wrap=True, min_width=max((len(s) for s in slugs.values()), default=2))
    table.add_column("합계", justify="right", no_wrap=True)
    names = list(dict.fromkeys(e.name for r in results for e in r.exercises))
    for name in names:
        table.add_column(name, justify="right")
    table.add_column("상태")
    for r in results:
        scores = {e.name: f"{e.score}/{e.max_score}" for e in r.exercises}
        table.add_row(escape(slugs[r.submission]), f"{r.score}/{r.max_score}", *[scores.get(n, "-") for n in names],
                      escape(standing_text(r)))
    return table



class batch_progress:
    """A progress bar for a batch: current submissions, count, elapsed time."""

    def __init__(self, console: Console, total: int):
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=False)
        self.task = self.progress.add_task("채점 준비 중", total=total)
        self.console = self.progress.console

    def live(self):
        return self.progress

    def describe(self, running) -> None:
        names = ", ".join(sorted(escape(p.name) for p in running))
        self.progress.update(self.task, description=f"채점 중: {names}" if names else "채점 중")

    def advance(self, running) -> None:
        self.progress.advance(self.task)
        self.describe(running)
