"""The zygote: a clean process with numpy loaded that forks one confined submission at a time.

Started by the grader as ``python -I zygote.py FD DISABLED USER WORK SHARED PARENT``
where FD is its end of a control socket, DISABLED a comma-separated list of
confinement layers to leave off (tests simulate older machines with it),
USER ``name:uid:gid``, the unprivileged user children become when the grader
runs as root (or empty), WORK the children's work folder, which that user
must be able to reach, SHARED the folder of the arena and PARENT the pid of the
process that started it (it exits at once if that one is already gone). Starting Python and
importing numpy once, then forking, is what makes grading a class fast; its
objects are frozen (``gc.freeze``) so that no child's garbage collection
touches, and so copies, the pages it shares with the zygote. The zygote never
imports the solutions, the suites or student code, so a forked child holds
nothing worth stealing.

On start it finds what the machine offers by trying it (:func:`detect.detect`),
builds the Landlock ruleset and the seccomp filter every child will load, and
says so: ``{"caps": {...}, "level": "landlock-abi7+userns+...", "read_roots":
[...]}``. Then, per submission (one byte carrying the submission's socket, then
a :class:`~autograder.protocol.requests.ChildRequest` frame), it forks a
*keeper* and replies at once ``{"keeper": pid}`` (or ``{"error": "..."}``);
the keeper (:mod:`keeper`) sets up the submission's confinement and its host
(:mod:`host`) forks the children. The zygote is a child subreaper and dies
with the grader's worker (PR_SET_PDEATHSIG); each keeper dies with the
zygote, each host with its keeper and each child with its host (and its
namespace's PID 1), a death signal the child's seccomp filter does not let it
clear.
"""

import gc
import os
import signal
import socket
import sys
from dataclasses import replace

import numpy  # noqa: F401 - the point of the zygote: children inherit it loaded
import numpy.random  # noqa: F401 - numpy loads it lazily: every child would import it again

# Standard modules student code and numpy import lazily (numpy.random's default_rng needs secrets):
# loaded here, they work even for a sandbox user who cannot read this Python's installation.
import collections, copy, decimal, fractions, functools, itertools, math, random, secrets, statistics  # noqa: E401,F401,E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))  # -I leaves it out
from autograder.protocol import wire  # noqa: E402
from autograder.protocol.requests import ChildRequest  # noqa: E402
from autograder.sandbox import confine, detect, keeper, levels  # noqa: E402
from autograder.sandbox import syscalls as seccomp  # noqa: E402
from autograder.sandbox.reaping import exited_children  # noqa: E402

del sys.path[0]  # student code must not import the grader's files

PRELOADABLE = ("matplotlib",)
CGROUPS = None  # confine.PidsCgroups, where this machine lets us make them


def _reap(signum, frame):
    for pid in exited_children():
        if CGROUPS is not None:
            CGROUPS.release(pid)  # a keeper's cgroup, empty now


def _preload(names):
    """Import packages a submission uses here, once, so children inherit them ready."""
    for name in names:
        if name == "matplotlib" and "matplotlib.pyplot" not in sys.modules:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot  # noqa: F401 - builds the font cache once, outside the sandbox

            gc.freeze()


def _spawn(channel_fd, request, plan, confinement, control):
    """Fork the keeper and return its pid at once: it sets the submission up while the grader goes on."""
    zygote = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            control.close()
            keeper.keep(channel_fd, request, plan, *confinement, CGROUPS, zygote)
        except BaseException:  # noqa: BLE001 - into the zygote's log; the grader sees "did not start"
            import traceback

            traceback.print_exc()
        finally:
            os._exit(0)
    return pid


def _start(disabled, user, work, shared):
    """Detect what this machine offers; return (caps, plan, (ruleset, seccomp filter), read roots).

    Where each child mounts a tmpfs over ``work``, the ruleset's writable folder is the one holding it.
    """
    global CGROUPS
    caps, plan = detect.detect(disabled, user, [os.path.dirname(work)])  # before reaping starts
    CGROUPS = confine.PidsCgroups.create() if "pids" not in disabled else None
    caps["pids"] = CGROUPS is not None
    rulesets = confine.Rulesets(caps["landlock"])
    ruleset = rulesets.build(os.path.dirname(work) if plan["tmpfs"] else work, shared)
    return caps, plan, (ruleset, seccomp.compiled(seccomp.build()) if caps["seccomp"] else None), rulesets.roots


def main(control_fd, disabled, user, work, shared, parent=None):
    control = socket.socket(fileno=control_fd)
    confine.become_subreaper()
    confine.die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the grader's to handle
    caps, plan, confinement, roots = _start(disabled, user, work, shared)
    signal.signal(signal.SIGCHLD, _reap)
    gc.collect()
    gc.freeze()  # from here on, children share these objects' pages instead of copying them
    wire.send(control, {"caps": caps, "level": levels.level(caps), "read_roots": roots})
    extra = {"read_roots": tuple(roots), "tasks": confine.MAX_TASKS if caps["nproc"] else None}
    while True:
        try:
            _, fds, _, _ = socket.recv_fds(control, 1, 1)
        except InterruptedError:
            continue
        if not fds:
            if CGROUPS is not None:
                CGROUPS.close()
            return  # the grader closed the control socket
        try:
            request = replace(ChildRequest.from_wire(wire.recv(control)), **extra)
            _preload([n for n in request.preload if n in PRELOADABLE])
            reply = {"keeper": _spawn(fds[0], request, plan, confinement, control)}
        except Exception as exc:  # noqa: BLE001 - reported to the grader as its own problem
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        os.close(fds[0])
        wire.send(control, reply)


def _user(spec: str):
    """``name:uid:gid`` as ``(name, uid, gid)``, or None."""
    name, _, ids = spec.partition(":")
    uid, _, gid = ids.partition(":")
    return (name, int(uid), int(gid)) if name and uid and gid else None


if __name__ == "__main__":
    fd, disabled, user, work, shared, parent = (sys.argv[1:7] + [""])[:6]
    main(int(fd), tuple(filter(None, disabled.split(","))), _user(user), work, shared, int(parent) if parent else None)
