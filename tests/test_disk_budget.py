"""The work folder's disk budget holds, and a folder a student shaped never costs anyone else a grade.

Each case runs where the kernel holds the budget (a tmpfs in the child's own
mount namespace) and where the grader has to walk the folder instead
(``tmpfs`` disabled, as on a machine without namespaces), beside honest twins.
"""

from __future__ import annotations

import os
import re
import tempfile
import time

import pytest

from autograder.grade.batch import Batch
from autograder.grade.engine import Grader
from autograder.protocol import Limits
from autograder.sandbox import workspace
from conftest import build, failing, make_submission, scores, sse_prefix

DISK_MODES = {"tmpfs": (), "walk": ("tmpfs",)}
DISK_ERROR = "작업 폴더에 파일을 너무 많이"
DEEP = "import os\nfor _ in range(1500):\n    os.mkdir('a')\n    os.chdir('a')\n"


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """Workspaces go to a folder of this test's own, so that what is left behind can be counted."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def leftovers(folder) -> list[str]:
    return [n for n in os.listdir(folder) if n.startswith("autograder-") and "matplotlib" not in n]


@pytest.mark.parametrize("mode", list(DISK_MODES))
def test_a_deep_folder_costs_only_its_own_submission(tmp_path, private_tmp, mode):
    """1,500 nested folders made at import used to break the walk and the cleanup (RecursionError): the
    attacker and every later submission of its worker came out as grader errors."""
    folders = [make_submission(tmp_path / "before"), build(tmp_path / "deep", {"prepend": {"losses.py": DEEP}}),
               make_submission(tmp_path / "after"), make_submission(tmp_path / "last")]
    limits = Limits(call_timeout=5.0, disabled=DISK_MODES[mode])
    results = Batch(folders, limits=limits, workers=1).run()
    assert [r.score for r in (results[0], *results[2:])] == [100, 100, 100], [failing(r) for r in results]
    deep = results[1]
    assert deep.status == "graded" and not deep.internal_errors
    assert all(t.status != "internal_error" for t in deep.tests())
    if mode == "walk":  # the grader sees the folders: deeper than it measures is over budget
        assert all(DISK_ERROR in t.message for t in failing(deep).values() if t.exercise == "losses")
        assert scores(deep)["losses"] == 0
    assert {e: s for e, s in scores(deep).items() if e != "losses"} == \
        {e: s for e, s in scores(results[0]).items() if e != "losses"}
    assert leftovers(private_tmp) == []


@pytest.mark.parametrize("mode", list(DISK_MODES))
@pytest.mark.parametrize("kilobytes, over", [(900, False), (1200, True)], ids=["just-under", "just-over"])
def test_the_budget_is_exact(tmp_path, mode, kilobytes, over):
    """Just under a 1 MB budget is fine; just over it is a disk error (a budget loosened to twice its size
    would let 1.2 MB through). The grader's copies of the sources are not the student's to pay for."""
    write = (f"for i in range({kilobytes // 100}):\n"
             "    with open('f%d' % i, 'wb') as fh:\n        fh.write(b'x' * 102400)")
    with Grader(limits=Limits(call_timeout=5.0, disk_mb=1, output_kb=2048, disabled=DISK_MODES[mode]),
                exercises=("losses",)) as grader:
        result = grader.grade(build(tmp_path / "s", sse_prefix(write)))
    sse = failing(result).get("sse_textbook")
    if over:
        assert sse is not None and DISK_ERROR in sse.message and "1 MB" in sse.message
    else:
        assert sse is None, sse.message


GROW_AFTER_RETURN = """
import os, threading, time
_returned, _calls, written = threading.Event(), [], 0


def _grow():
    global written
    _returned.wait()
    time.sleep(0.005)  # the call has returned and the grader has looked at the folder
    for i in range(40):
        try:
            fd = os.open("d/f%d" % i, os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                written += os.write(fd, b"x" * 200000)
            finally:
                os.close(fd)
        except OSError:
            return


threading.Thread(target=_grow, daemon=True).start()
"""
# cross_entropy_error's first call makes d/ and lets it settle (a walk after the second call may trust it);
# once the second call has returned, the thread fills d/ (8 MB); later calls give it time and report it.
REPORT_WRITTEN = [("def cross_entropy_error(y, t):\n", """def cross_entropy_error(y, t):
    _calls.append(1)
    if len(_calls) == 1:
        os.makedirs("d", exist_ok=True)
    if len(_calls) == 2:
        _returned.set()
    else:
        time.sleep(0.1)
    return float(written)
""")]


def written_values(result) -> list[float]:
    """What the growing thread had written by each call (the value cross_entropy_error returned)."""
    return [float(m) for t in failing(result).values() for m in re.findall(r"반환값 ([0-9.e+]+)", t.message)]


@pytest.mark.parametrize("mode", list(DISK_MODES))
def test_a_folder_grown_after_a_call_returns_stays_within_budget(tmp_path, mode):
    """A subfolder made early, left to settle, then filled (8 MB) once a call has returned: only the three
    top folders used to be watched, so the walk was skipped for good. With the kernel's tmpfs the child
    never holds more than the budget (4 MB); with the walk, every folder is watched and every run is caught."""
    limits = Limits(call_timeout=3.0, disk_mb=4, output_kb=256, disabled=DISK_MODES[mode])
    attack = {"prepend": {"losses.py": GROW_AFTER_RETURN}, "replace": {"losses.py": REPORT_WRITTEN}}
    quiet = [("def cross_entropy_error(y, t):\n", "def cross_entropy_error(y, t):\n    return 0.0\n")]
    with Grader(limits=limits, exercises=("losses",)) as grader:
        twin = grader.grade(make_submission(tmp_path / "twin", replace={"losses.py": quiet}))
        for run in range(20):
            attacked = grader.grade(build(tmp_path / f"run{run}", attack))
            assert attacked.status == "graded" and attacked.score <= twin.score, failing(attacked)
            values = written_values(attacked)
            if mode == "tmpfs":
                assert values and max(values) <= limits.disk_mb * 1024 * 1024, (run, values)
            else:
                assert any(DISK_ERROR in t.message for t in failing(attacked).values()), (run, failing(attacked))
        honest = grader.grade(make_submission(tmp_path / "honest"))
    assert honest.score == honest.max_score


def test_a_workspace_that_cannot_be_cleared_is_replaced_not_reused(tmp_path, monkeypatch):
    """If a submission's files cannot be removed, it keeps its own result and the next one gets a fresh
    workspace and zygote (fault injected: no real submission can make removal fail any more)."""
    calls = []
    original = workspace.Workspace.clear

    def clear(self, everything=False):
        calls.append(everything)
        return False if everything and len(calls) == 2 else original(self, everything)

    monkeypatch.setattr(workspace.Workspace, "clear", clear)
    with Grader(limits=Limits(call_timeout=5.0), exercises=("losses",)) as grader:
        first_zygote = grader._zygote_alive()
        first = grader.grade(make_submission(tmp_path / "first"))
        assert not first_zygote.alive()
        second = grader.grade(make_submission(tmp_path / "second"))
        assert grader._zygote_alive() is not first_zygote
    assert first.status == second.status == "graded"
    assert first.score == second.score == first.max_score


def test_a_tree_any_depth_is_measured_and_removed_without_recursion(tmp_path):
    from autograder.sandbox import tree

    folder = tmp_path / "deep"
    folder.mkdir()
    os.chdir(folder)
    try:
        for _ in range(3000):
            os.mkdir("a")
            os.chdir("a")
    finally:
        os.chdir(tmp_path)
    with pytest.raises(tree.TooBig):
        tree.measure(str(folder), 10 ** 9, 10 ** 6)
    assert tree.measure(str(folder), 10 ** 9, 10 ** 6, max_depth=5000).entries == 3000
    assert tree.remove(str(folder)) and not folder.exists()


def test_the_walk_is_not_trusted_while_a_folder_changes(tmp_path):
    """Change times are snapshotted before listing and checked after: a folder changed since is walked again."""
    from autograder.sandbox.budget import DiskBudget

    from autograder.sandbox import tree

    (tmp_path / "sub").mkdir()
    budget = DiskBudget(tmp_path)
    budget.check(10 ** 6, 100, 1000)
    assert not budget._tracked  # folders changed a moment ago: not trusted yet
    time.sleep(0.1)
    budget.check(10 ** 6, 100, 1000)
    assert len(budget._tracked) == 2  # both folders, not only the top one
    (tmp_path / "sub" / "big").write_bytes(b"x" * 2 * 10 ** 6)  # a change inside the subfolder only
    with pytest.raises(tree.TooBig):
        budget.check(10 ** 6, 100, 1000)
    budget.forget()


def test_files_unlinked_but_held_open_count(tmp_path):
    from autograder.sandbox import openfiles

    path = tmp_path / "hidden"
    with open(path, "wb") as fh:
        fh.write(b"x" * 300000)
        fh.flush()
        path.unlink()
        held, files = openfiles.unlinked([os.getpid()], os.stat(tmp_path).st_dev)
    assert files >= 1 and held >= 300000


def test_a_flood_of_source_files_is_capped_and_said(tmp_path):
    """Thousands of .py files would be copied into every workspace (and every tmpfs): only the first 64 are."""
    files = {f"exercises/zz{i:04d}.py": "x = 1\n" * 1000 for i in range(300)}
    with Grader(limits=Limits(call_timeout=5.0, disk_mb=1), exercises=("losses",)) as grader:
        flooded = grader.grade(make_submission(tmp_path / "flood", files=files))
        twin = grader.grade(make_submission(tmp_path / "twin"))
    assert flooded.score == twin.score == twin.max_score
    assert any("처음 64개만" in note for note in flooded.notes)


WRITE_IN_THE_BACKGROUND = """
import os, threading
_go = threading.Event()


def _fill():
    _go.wait()  # from the first call on
    os.makedirs("bg", exist_ok=True)
    for i in range(400):
        try:
            fd = os.open("bg/f%d" % i, os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                os.write(fd, b"x" * 100000)
            finally:
                os.close(fd)
        except OSError:
            return


threading.Thread(target=_fill, daemon=True).start()
"""


IMPORT_WRITER = """
import os, threading, time


def _trickle():
    os.makedirs("trickle", exist_ok=True)
    for i in range(400):
        try:
            with open("trickle/f%d" % i, "wb") as fh:
                fh.write(b"x" * 100000)
        except OSError:
            return
        time.sleep(0.01)


threading.Thread(target=_trickle, daemon=True).start()
"""


class SlowReference:
    """The reference, taking its time like a grader computing between calls, and watching the work folder
    grow (or not) meanwhile."""

    def __init__(self, inner):
        self.inner, self.work, self.growth = inner, None, []

    def size(self) -> int:
        from autograder.sandbox import tree

        return tree.measure(self.work, 10 ** 12, 10 ** 6).bytes

    def run(self, *call):
        before = self.size()
        time.sleep(0.2)
        self.growth.append(self.size() - before)
        return self.inner.run(*call)


def test_nothing_grows_while_the_grader_computes(tmp_path):
    """Where the grader walks the work folder, student code runs only while the grader waits for it and
    measures: a child is stopped between its calls, and the next exercise's child is not started ahead
    (its import would run, unmeasured, during the earlier exercise's tests). The fast writer is caught; the
    slow one, stopped with its child, never gets far."""
    from autograder.grade.engine import preflight

    reference = SlowReference(preflight())
    limits = Limits(call_timeout=3.0, disk_mb=4, disabled=("tmpfs",))
    attack = {"prepend": {"losses.py": WRITE_IN_THE_BACKGROUND, "gradient.py": IMPORT_WRITER},
              **sse_prefix("_go.set()")}
    with Grader(limits=limits, exercises=("losses", "gradient"), reference=reference) as grader:
        reference.work = str(grader._zygote_alive().workspace.work)
        attacked = grader.grade(build(tmp_path / "bg", attack))
    assert attacked.status == "graded"
    assert reference.growth and max(reference.growth) <= 0, reference.growth
    assert any(DISK_ERROR in t.message for t in failing(attacked).values() if t.exercise == "losses")
