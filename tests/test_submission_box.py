"""One confinement per submission, one process per exercise, one seam per backend.

A submission's children share its host (and so its user and network
namespaces and its keeper) but each is PID 1 of a PID namespace of its own
with a work folder of its own, and they run one at a time (see
``test_children_apart.py``): nothing one exercise writes reaches another.
The command line, the engine and the isolation notice read one registry of
backends, and a child's request crosses the wire as the typed request it was.
"""

from __future__ import annotations

import os
from pathlib import Path

import psutil
import pytest

from autograder.catalog import EXERCISES, points
from autograder.grade.engine import Grader
from autograder.protocol import Limits, wire
from autograder.protocol.requests import ChildRequest
from autograder.sandbox.backend import AUTO, BACKENDS
from conftest import make_submission, scores

NAMESPACES = Path("/proc/self/ns")
KINDS = ("pid", "mnt", "user", "net")


@pytest.mark.skipif(not NAMESPACES.is_dir(), reason="Linux namespaces")
def test_a_submission_has_one_host_and_each_exercise_a_pid_namespace_of_its_own(tmp_path):
    with Grader(limits=Limits(call_timeout=5.0)) as grader:
        if "pidns" not in grader.isolation:
            pytest.skip(f"no namespaces on this machine: {grader.isolation}")
        with grader.submission(make_submission(tmp_path / "s")) as submission:
            seen = []  # (pid, host, {kind: (child's namespace, host's)}), one child at a time
            for exercise in EXERCISES:
                pid = submission._child(exercise.name).pid
                host = psutil.Process(pid).ppid()
                seen.append((pid, host, {kind: (os.readlink(f"/proc/{pid}/ns/{kind}"),
                                                os.readlink(f"/proc/{host}/ns/{kind}")) for kind in KINDS}))
    assert len({pid for pid, _, _ in seen}) == len(EXERCISES) and len({host for _, host, _ in seen}) == 1
    for _, _, namespaces in seen:
        assert namespaces["pid"][0] != namespaces["pid"][1] and namespaces["mnt"][0] != namespaces["mnt"][1]  # own
        assert namespaces["net"][0] == namespaces["net"][1] and namespaces["user"][0] == namespaces["user"][1]


REWRITE_SIBLING = '''
import os
for name in ("gradient.py", "gradient_descent.py"):
    try:
        with open(os.path.join("exercises", name), "w") as fh:
            fh.write("def numerical_gradient(f, x, h=1e-4):\\n    return x * 0\\n"
                     "def numerical_diff(f, x, h=1e-4):\\n    return 0.0\\n"
                     "def gradient_descent(f, init_x, lr=0.01, step_num=100, grad=None):\\n    return init_x\\n")
    except OSError:
        pass
'''


@pytest.mark.parametrize("disabled", [(), ("tmpfs",)], ids=["own-tmpfs", "shared-folder"])
def test_what_one_exercise_writes_never_reaches_another_exercise(tmp_path, disabled):
    """losses.py rewrites its siblings' files when it is imported: each child has a work folder of its own,
    or, where the children share the work folder, the sources are read-only; the other exercises keep their
    full marks."""
    with Grader(limits=Limits(call_timeout=5.0, disabled=disabled)) as grader:
        path = make_submission(tmp_path / "s")
        losses = path / "exercises" / "losses.py"
        losses.write_text(REWRITE_SIBLING + losses.read_text(encoding="utf-8"), encoding="utf-8")
        result = grader.grade(path)
    assert scores(result)["gradient"] == points("gradient")
    assert scores(result)["gradient_descent"] == points("gradient_descent")


def test_backend_choices_and_notices_come_from_the_registry():
    from autograder.cli import build_parser
    from autograder.commands.isolation import missing_layers

    check = build_parser()._subparsers._group_actions[0].choices["check"]
    backend = next(action for action in check._actions if action.dest == "backend")
    assert tuple(backend.choices) == (AUTO, *BACKENDS)
    for name, entry in BACKENDS.items():
        if not entry.kernel:
            assert missing_layers(name) == [entry.notice] and entry.notice


def test_a_child_request_crosses_the_wire_as_it_was():
    request = ChildRequest(work="/w", shared="/s", memory_bytes=None, memory_extra=1 << 20, cpu_seconds=7,
                           output_bytes=4096, disk_bytes=1 << 22, disk_entries=100, guard=True, protected=("/p",),
                           python_path=("/lib",), env={"LANG": "C.UTF-8"}, preload=("matplotlib",), children=5,
                           read_roots=("/usr/lib",), tasks=64).for_exercise("losses", {"gradient": "x = 1\n"})
    assert ChildRequest.from_wire(wire.loads(wire.dumps(request.to_wire())[wire.HEADER.size:])) == request
