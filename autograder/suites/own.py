"""One mistake, one deduction: judge a property relative to the student's own related value.

A test about the batch mean must not fail again for a missing ½ that the
single-sample test owns. So it first asks the student's function for the
related value (the single sample, the one-hot form, the vector start) and,
when that value is the reference's or a catalogued slip another test owns,
expects the same slip here.
"""

import numpy as np

from ..protocol import StudentCodeError
from .support import Failure, numbers


def side_value(call):
    """The student's value of a side call as a float array, or None when it raised or was not numbers
    (the test that owns that call reports it)."""
    try:
        return numbers(call(), "")
    except (StudentCodeError, Failure):
        return None


def side_number(call):
    """:func:`side_value` for a function that returns one number."""
    value = side_value(call)
    return float(value.reshape(())) if value is not None and value.size == 1 else None


def own_scale(got, want, slips, rtol):
    """The factor in ``slips`` (1 = right) by which the student's own value ``got`` differs from ``want``.

    Another test owns each slip; the caller then expects the same factor. 1
    when ``got`` is none of them (or None): judged against the reference.
    """
    for factor in (1, *slips):
        if got is not None and np.isclose(got, factor * want, rtol=rtol):
            return factor
    return 1
