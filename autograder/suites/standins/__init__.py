"""Stand-ins for sibling exercises while an exercise that uses them is graded (no double penalty).

``gradient_descent`` calls ``numerical_gradient`` from ``exercises/gradient.py``
and ``two_layer_net`` calls ``cross_entropy_error`` and ``numerical_gradient``:
while those are graded, the student's own modules are replaced by these
(sent to the sandboxed child as source), so a mistake in one exercise costs
points only in that exercise's tests. They ship with the hidden suites, never
with the student template.
"""
