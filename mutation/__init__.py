"""Mutation testing of the grading suites (``nox -s mutants``).

Every mutant of the reference ``solutions/`` (made by cosmic-ray's operators,
plus mutants that ignore one argument of an exercise function) is handed in
as a student's submission and graded against the untouched reference. A
mutant survives when it still earns full marks in its exercise; every
survivor must be a reviewed equivalent mutant (``equivalent.toml``).
"""
