"""Former names of :mod:`.answers` (answer sources, not sandbox backends), for ``assign/common.py``.

Remove once ``assign/common.py`` imports :class:`~.answers.LocalAnswers` and
:class:`~.answers.RecordingAnswers` itself.
"""

from .answers import LocalAnswers as LocalBackend  # noqa: F401
from .answers import RecordingAnswers as RecordingBackend  # noqa: F401
