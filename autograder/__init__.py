"""Autograder for lecture 4 (신경망 학습): hidden suites, sandboxed runner, reports.

Folders follow the flow of a grade: ``assign`` (stubs and releases made from the
solutions) -> ``suites`` (public and hidden tests) -> ``sandbox`` (student code
in child processes) -> ``grade`` (the engine running the suites) -> ``report``.
``collect`` brings submissions back (git clones, submission tags, Classroom 50
downloads, nbgrader notebooks); ``classroom50`` is the grader Classroom 50 runs.
"""

__version__ = "0.1.0"
