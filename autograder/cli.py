"""Command line: ``python -m autograder {grade,check,stubs,release,nbgrader,collect,bench}``, one parser.

- ``grade PATH...``: the instructor grades submission folders (public + hidden tests), also a
  ``gh teacher download`` folder, ``collect``'s folder or nbgrader's ``submitted/``; ``--deadline``
  grades each repository at its last submission tag before the deadline.
  ``--roster CSV`` adds student numbers and names and records who did not submit;
  ``--export canvas|moodle FILE`` writes a gradebook import file for the LMS.
- ``check [PATH]``: a student checks their own work (public tests; ``--hidden`` adds the hidden ones).
- ``stubs``: regenerate ``exercises/`` from ``solutions/`` (``--check`` only compares).
- ``release OUTDIR``: the student template repository (``--classroom50 BUNDLEDIR``: the Classroom 50 grader).
- ``nbgrader [COURSE]``: the nbgrader course for JupyterHub.
- ``collect --roster CSV --url-template URL DEST``: clone or update every student's repository.
- ``bench``: grading speed.

Exit statuses: 0 done, 1 not full marks (``check --require-full``) or a failed
check, 2 bad arguments (nothing was done), 3 the grader itself could not work,
130 interrupted (Ctrl-C, and SIGTERM or SIGHUP, which end a run the same way).
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import threading

from rich.console import Console

from .commands import common
from .protocol import GraderFault

COMMANDS = ("grade", "check", "stubs", "release", "nbgrader", "collect", "bench")  # modules in commands/
DESCRIPTION = """4강 «신경망 학습» 실습 과제의 채점기 (autograder for lecture 4).

종료 코드: 0 완료, 1 만점이 아님(check --require-full), 2 잘못된 인수(아무것도 하지 않음),
3 채점기 자체의 문제(제출물의 잘못이 아님), 130 중단."""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Every command's parser, or only the command ``only`` (a run of one command imports no other's module)."""
    parser = argparse.ArgumentParser(prog="python -m autograder", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="{" + ",".join(COMMANDS) + "}")
    for name in COMMANDS:
        if only is None or name == only:
            importlib.import_module(f".commands.{name}", __package__).add_parser(commands)
    return parser


def parser_for(argv: list[str]) -> argparse.ArgumentParser:
    """The parser ``argv`` needs: its command's alone when it starts with one, else every command's."""
    return build_parser(argv[0] if argv and argv[0] in COMMANDS else None)


def _interrupt(signum, frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


def interrupt_on_termination() -> None:
    """SIGTERM and SIGHUP end a run like Ctrl-C: finished results saved, every process of the run killed."""
    if threading.current_thread() is threading.main_thread():
        for name in ("SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), _interrupt)


def main(argv=None, parser: argparse.ArgumentParser | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = parser or parser_for(argv)
    args = parser.parse_args(argv)
    common.check_positive(parser, args)
    if hasattr(args, "check_args"):
        args.check_args(parser, args)
    console = Console(soft_wrap=True)  # messages are never cut mid-sentence; tables keep their width
    interrupt_on_termination()
    try:
        return args.run(args, console)
    except KeyboardInterrupt:
        console.print("중단되었습니다.")
        return common.INTERRUPTED
    except GraderFault as exc:
        return common.grader_problem(console, exc)


if __name__ == "__main__":
    sys.exit(main())
