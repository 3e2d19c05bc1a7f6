"""Autograder for lecture 4 (신경망 학습): hidden suites, sandboxed runner, reports.

Folders follow the flow of a grade: ``assign`` (stubs and releases made from the
solutions) -> ``suites`` (public and hidden tests) -> ``sandbox`` (student code
in child processes) -> ``grade`` (the engine running the suites) -> ``report``.
"""

__version__ = "0.1.0"
