"""One ``grade`` run: what its arguments ask for, read and checked once, then handed to every writer.

:func:`autograder.commands.grade.plan_run` builds it from the arguments
(the roster, the deadline rules and the inputs: :mod:`.roster`, :mod:`.late`,
:mod:`.sources`); a step that cannot use its input raises :class:`Refused`
with the Korean message to print, and nothing is graded. After grading, the
run also carries the class summary and the similarity findings, the two
things every writer reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from ..analysis.similarity import Findings
from ..analysis.summary import ClassSummary
from ..collect.sources import DeadlineRules, Sources
from ..exports.lms import DEFAULT_ASSIGNMENT
from ..lecture_site import course_site
from ..protocol import Limits
from ..roster import Roster
from .output_folder import OutputFolder


class Refused(Exception):
    """An input ``grade`` cannot use: the Korean reason (printed in red), then what happened."""

    def __init__(self, reason: str, outcome: str = ""):
        super().__init__(reason)
        self.reason, self.outcome = reason, outcome

    def show(self, console: Console) -> None:
        console.print(f"오류: {self.reason}", style="red", markup=False)
        if self.outcome:
            console.print(self.outcome, markup=False)


@dataclass
class GradeRun:
    """Everything one ``grade`` run reads besides the results: where to write, who the students are, how."""

    out: Path
    sources: Sources = field(default_factory=Sources)
    roster: Roster | None = None
    rules: DeadlineRules | None = None  # --deadline, --extensions, --late-policy
    docs_url: str | None = None  # the lecture site; None: the course's (lecture_site.course_site), "": no links
    exports: list[tuple[str, Path]] = field(default_factory=list)  # (format, file): --json, --csv, --export
    assignment_name: str = DEFAULT_ASSIGNMENT
    missing_blank: bool = False
    limits: Limits = field(default_factory=Limits)
    workers: int = 1
    fresh: bool = False
    trust_student_code: bool = False
    quiet: bool = False
    verbose: bool = False
    output: OutputFolder = field(init=False)
    summary: ClassSummary | None = None  # after grading: what every writer reads
    similarity: Findings | None = None  # after grading, when analysed

    def __post_init__(self):
        self.out = Path(self.out)
        self.output = OutputFolder(self.out)

    @property
    def site(self) -> str | None:
        """The lecture site failed tests link to: ``--docs-url``, else the configured one (None: no links)."""
        return course_site() if self.docs_url is None else self.docs_url or None
