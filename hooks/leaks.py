"""MkDocs hook: the built site passes the same leak scan as everything else handed to students.

``on_post_build`` runs :func:`autograder.assign.leaks.find_leaks` on the
built site (every page's text with the tags removed, the search index): no
solution line, no solution expression and no hidden test name may be
published. A leak stops the build, ``mkdocs serve`` included.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent


def on_post_build(config):
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from autograder.assign.leaks import find_leaks, hidden_test_names

    leaks = find_leaks(Path(config["site_dir"]), hidden_names=hidden_test_names())
    if leaks:
        raise PluginError("강의 사이트에 참조 구현이나 숨은 테스트 이름이 드러납니다:\n  "
                          + "\n  ".join(str(leak) for leak in leaks))
