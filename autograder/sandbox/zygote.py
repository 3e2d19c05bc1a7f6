"""The zygote: a clean process with numpy loaded that forks confined children.

Started by the grader as ``python -I zygote.py FD DISABLED USER WORKSPACE``
where FD is its end of a control socket, DISABLED a comma-separated list of
confinement layers to leave off (tests simulate older machines with it),
USER ``name:uid:gid``, the unprivileged user children become when the grader
runs as root (or empty), and WORKSPACE the folder holding the children's
work folder, which that user must be able to reach. Starting Python
and importing numpy once, then forking a child per exercise, is what makes
grading a class fast. The zygote never imports the solutions, the suites or
student code, so a forked child holds nothing worth stealing.

On start it finds what the machine offers by trying it (:func:`detect.detect`)
and says so: ``{"caps": {...}, "level": "landlock-abi7+userns+...",
"read_roots": [...]}``. Then, per request (one byte carrying the child's
socket, then a :mod:`wire` frame), it forks a *keeper* and replies at once
``{"keeper": pid}`` (or ``{"error": "..."}``); the keeper (:mod:`keeper`)
sets up the child's confinement, forks the child (PID 1 of its namespace) and
sends the child's pid, as the grader sees it, as the first frame on the
child's channel.
Killing that pid ends every process the student started. The zygote is a
child subreaper and dies with the grader's worker (PR_SET_PDEATHSIG).
"""

import os
import select
import signal
import socket
import sys

import numpy  # noqa: F401 - the point of the zygote: children inherit it loaded

# Standard modules student code and numpy import lazily (numpy.random's default_rng needs secrets):
# loaded here, they work even for a sandbox user who cannot read this Python's installation.
import collections, copy, decimal, fractions, functools, itertools, math, random, secrets, statistics  # noqa: E401,F401,E402

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [_HERE, os.path.join(os.path.dirname(_HERE), "protocol")]  # -I leaves them out
import confine  # noqa: E402
import detect  # noqa: E402
import keeper  # noqa: E402
import levels  # noqa: E402
import syscalls as seccomp  # noqa: E402
import wire  # noqa: E402

del sys.path[:2]  # student code must not import the grader's files

PRELOADABLE = ("matplotlib",)


CGROUPS = None  # confine.PidsCgroups, where this machine lets us make them


def _reap(signum, frame):
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        if CGROUPS is not None:
            CGROUPS.release(pid)  # a keeper's cgroup, empty now


def _preload(names):
    """Import packages a submission uses here, once, so children inherit them ready."""
    for name in names:
        if name == "matplotlib" and "matplotlib.pyplot" not in sys.modules:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot  # noqa: F401 - builds the font cache once, outside the sandbox


def _spawn(channel_fd, request, plan, rulesets, syscalls, control):
    """Fork the keeper and return its pid at once: it sets the child up while the grader goes on."""
    pid = os.fork()
    if pid == 0:
        try:
            control.close()
            keeper.keep(channel_fd, request, plan, rulesets, syscalls, CGROUPS)
        except BaseException:  # noqa: BLE001 - into the zygote's log; the grader sees "did not start"
            import traceback

            traceback.print_exc()
        finally:
            os._exit(0)
    return pid


def main(control_fd, disabled=(), user=None, workspace=None):
    control = socket.socket(fileno=control_fd)
    confine.become_subreaper()
    confine.die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the grader's to handle
    global CGROUPS
    caps, plan = detect.detect(disabled, user, [workspace] if workspace else [])  # before reaping starts
    CGROUPS = confine.PidsCgroups.create() if "pids" not in disabled else None
    caps["pids"] = CGROUPS is not None
    signal.signal(signal.SIGCHLD, _reap)
    rulesets = confine.Rulesets(caps["landlock"])
    syscalls = seccomp.build() if caps["seccomp"] else None
    wire.send(control, {"caps": caps, "level": levels.level(caps), "read_roots": rulesets.roots})
    while True:
        try:
            _, fds, _, _ = socket.recv_fds(control, 1, 1)
        except InterruptedError:
            continue
        if not fds:
            if CGROUPS is not None:
                CGROUPS.close()
            return  # the grader closed the control socket
        request = wire.recv(control)
        try:
            _preload([n for n in request.get("preload", ()) if n in PRELOADABLE])
            request.update(read_roots=rulesets.roots, tasks=confine.MAX_TASKS if caps["nproc"] else None)
            reply = {"keeper": _spawn(fds[0], request, plan, rulesets, syscalls, control)}
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
    arguments = sys.argv[1:] + ["", "", ""]
    main(int(arguments[0]), tuple(filter(None, arguments[1].split(","))), _user(arguments[2]), arguments[3] or None)
