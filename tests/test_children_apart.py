"""Student code of exercise A can never observe grader material given to exercise B's code.

The grader hands some children material the student does not have: the
stand-ins (its own versions of ``losses`` and ``gradient``, run in the
``gradient_descent`` and ``two_layer_net`` children) and each exercise's test
inputs. Whatever design runs the children (one process per exercise, one
confinement per submission), these tests hold it to that invariant:

- no two children of a submission ever run student code at the same time:
  when a child is let run, no other child of the submission exists (checked
  from outside); a child may be started ahead, but it waits, confined and
  holding no grader material, until then;
- nothing written by one child (the shared argument arena, the work folder,
  anywhere it can write) reaches another child, of the same submission or of
  the next one graded by the same worker: a ``two_layer_net`` that publishes
  the ``losses`` stand-in's code everywhere it can, and a ``losses`` with no
  code of its own that looks for it everywhere, score exactly like the
  honest twin that has no loss code either;
- so the disk budget holds per submission: four exercises that each fill
  60 MB of a 64 MB budget never hold more than one budget at once (a child
  waiting to run holds only the submission's sources).

The audit hook is off: it is no boundary, the kernel layers and the grader's
own logic are.
"""

from __future__ import annotations

import contextlib

import psutil
import pytest

from autograder.catalog import points
from autograder.grade.engine import Grader
from autograder.protocol import Limits
from conftest import build, failing, make_submission, scores

LIMITS = Limits(call_timeout=5.0, submission_timeout=120.0, guard=False)
#: Published by two_layer_net at import: the losses stand-in's code (it runs in that child) to every place
#: a child can write: the arena's tail (wherever the arena lies beside the work folder), the work folder,
#: /tmp, /dev/shm.
PUBLISH = """
import marshal, mmap, os, sys
_standin = sys.modules.get("exercises.losses")
_blob = marshal.dumps([_standin.sum_squared_error.__code__, _standin.cross_entropy_error.__code__,
                       _standin._batch.__code__])
_frame = b"RELAY" + len(_blob).to_bytes(4, "little") + _blob
for _path in ("../shared/arena", "../../shared/arena", "relay.bin", "exercises/relay.bin",
              "/tmp/relay-{marker}.bin", "/dev/shm/relay-{marker}.bin"):
    try:
        if _path.endswith("arena"):
            with open(_path, "r+b") as _fh:
                _arena = mmap.mmap(_fh.fileno(), 0)
                _arena[7 << 20:(7 << 20) + len(_frame)] = _frame
        else:
            with open(_path, "wb") as _fh:
                _fh.write(_frame)
    except OSError:
        pass
"""
#: losses.py with no loss code: it looks for the relayed stand-in everywhere, waiting a little for it.
LOOK = """
import marshal, mmap, os, time, types, math
import numpy as np

def _read(path):
    try:
        with open(path, "rb") as fh:
            if path.endswith("arena"):
                data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)[7 << 20:(7 << 20) + (1 << 20)]
            else:
                data = fh.read()
    except OSError:
        return None
    if data[:5] != b"RELAY":
        return None
    return marshal.loads(data[9:9 + int.from_bytes(data[5:9], "little")])

_found = None
for _ in range(30):
    for _path in ("../shared/arena", "../../shared/arena", "relay.bin", "exercises/relay.bin",
                  "/tmp/relay-{marker}.bin", "/dev/shm/relay-{marker}.bin"):
        _found = _found or _read(_path)
    if _found:
        break
    time.sleep(0.1)
_space = {{"np": np, "math": math}}
if _found:
    for _code in _found:
        _space[_code.co_name] = types.FunctionType(_code, _space)

def sum_squared_error(y, t):
    return _space["sum_squared_error"](y, t) if _found else 0.0

def cross_entropy_error(y, t):
    return _space["cross_entropy_error"](y, t) if _found else 0.0
"""
NO_LOSS_CODE = "def sum_squared_error(y, t):\n    return 0.0\n\n\ndef cross_entropy_error(y, t):\n    return 0.0\n"


def _children_below(zygote_pid: int) -> list[int]:
    """Live processes three levels below the zygote: the children (zygote, a submission's keeper, its host)."""
    try:
        keepers = psutil.Process(zygote_pid).children()
        hosts = [h for k in keepers for h in k.children()]
        return [c.pid for h in hosts for c in h.children() if c.status() != psutil.STATUS_ZOMBIE]
    except psutil.Error:
        return []


@contextlib.contextmanager
def one_child_at_a_time(grader):
    """Fails if, when a child is let run student code, any other child of the grader's sandbox still exists.

    (A child may be started ahead and wait, confined, for that word: it runs no student code and holds no
    grader material until then.)"""
    from autograder.sandbox.submission import Submission

    zygote, release, seen = grader._zygote_alive(), Submission._release, []

    def watched(submission, exercise):
        child = release(submission, exercise)
        seen.append((exercise, [pid for pid in _children_below(zygote.process.pid) if pid != child.pid]))
        return child

    Submission._release = watched
    try:
        yield seen
    finally:
        Submission._release = release
    assert seen and all(not others for _, others in seen), seen


def relay(folder, marker: str, look: bool = True, publish: bool = True):
    files = {"exercises/losses.py": LOOK.format(marker=marker) if look else NO_LOSS_CODE}
    path = build(folder, {"files": files})
    if publish:
        net = path / "exercises" / "two_layer_net.py"
        net.write_text(PUBLISH.format(marker=marker) + net.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_a_stand_in_published_by_one_exercise_reaches_no_other_exercise(tmp_path):
    """The two_layer_net child holds the losses stand-in; the losses child must never see it: not within
    the submission (children never overlap) and not in the next submission graded by the same worker."""
    with Grader(limits=LIMITS) as grader, one_child_at_a_time(grader):
        attacker = grader.grade(relay(tmp_path / "attacker", "apart1"))
        colluder = grader.grade(relay(tmp_path / "colluder", "apart1", publish=False))
        honest = grader.grade(relay(tmp_path / "twin", "apart1", look=False, publish=False))
    assert honest.status == attacker.status == colluder.status == "graded"
    assert scores(attacker)["losses"] == scores(colluder)["losses"] == scores(honest)["losses"] < points("losses")
    for result in (attacker, colluder):  # everything but losses is the reference's, untouched
        assert {e: s for e, s in scores(result).items() if e != "losses"} == \
            {e: s for e, s in scores(honest).items() if e != "losses"}


def test_stand_ins_are_held_only_after_the_exercises_they_replace_are_done_for_good(tmp_path):
    """The children start in suite order, one at a time; an exercise whose stand-in another child has held
    is never run again (asking for it is a grader fault, never a student's score)."""
    from autograder.protocol import GraderFault, StudentCodeError

    with Grader(limits=LIMITS) as grader, one_child_at_a_time(grader) as seen:
        grader.grade(make_submission(tmp_path / "order"))
        with grader.submission(make_submission(tmp_path / "late")) as late:
            with pytest.raises(StudentCodeError):  # the child ran (and held both stand-ins)
                late.call("two_layer_net", "TwoLayerNet.predict", ())
            with pytest.raises(GraderFault):
                late.call("losses", "sum_squared_error", (1.0, 1.0))
    started = [exercise for exercise, _ in seen]
    assert started[:4] == ["losses", "gradient", "gradient_descent", "two_layer_net"]


FILL = """
import os as _os
_os.makedirs("fill", exist_ok=True)
for _i in range(240):
    with open(f"fill/{_i}", "wb") as _fh:
        _fh.write(b"x" * 250_000)
"""


def test_the_disk_budget_holds_per_submission(tmp_path):
    """Each exercise fills 60 MB of a 64 MB budget when imported: each is within its budget, and since no
    child outlives the moment the next may run (a child started ahead holds only the sources until then),
    the submission never holds more than one budget at once."""
    path = make_submission(tmp_path / "fill")
    for name in ("losses", "gradient", "gradient_descent", "two_layer_net"):
        module = path / "exercises" / f"{name}.py"
        module.write_text(FILL + module.read_text(encoding="utf-8"), encoding="utf-8")
    with Grader(limits=Limits(call_timeout=10.0, disk_mb=64, guard=False)) as grader, one_child_at_a_time(grader):
        result = grader.grade(path)
    assert result.score == 100, failing(result)
