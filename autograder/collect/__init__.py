"""Getting submissions from where students left them, into folders ``grade`` can read.

- :mod:`.clone`: ``collect``, every repository of a roster cloned or updated with git;
- :mod:`.git`: shallow clones, ``submit/*`` tags, the tree at one tag;
- :mod:`.download`: a ``gh teacher download`` folder (Classroom 50) and its ``scores.csv``;
- :mod:`.notebooks`: nbgrader's ``submitted/<student>/<assignment>/*.ipynb`` back to ``exercises/*.py``;
- :mod:`.sources`: what ``grade`` makes of the folders it is given (and of ``--deadline``).

This layer only moves files; grading stays with :mod:`autograder.grade`.
"""


class CollectError(ValueError):
    """The input cannot be used; the (Korean) message says why."""
