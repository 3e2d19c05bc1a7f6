"""The zygote: a clean process with numpy loaded that forks confined children.

Started by the grader as ``python -I zygote.py FD [DISABLED]`` where FD is its
end of a control socket and DISABLED a comma-separated list of confinement
layers to leave off (tests simulate older machines with it). Starting Python
and importing numpy once, then forking a child per exercise, is what makes
grading a class fast. The zygote never imports the solutions, the suites or
student code, so a forked child holds nothing worth stealing.

On start it detects what the machine offers (:func:`confine.detect`) and says
so: ``{"caps": {...}, "level": "landlock-abi7+userns+pidns+netns+rlimits",
"read_roots": [...]}``. Then, per request (one byte carrying the child's
socket, then a :mod:`wire` frame), it forks a *keeper* and replies at once
``{"keeper": pid}`` (or ``{"error": "..."}``); the keeper enters fresh
namespaces, forks the child (PID 1 of its namespace) and sends the child's
pid, as the grader sees it, as the first frame on the child's channel.
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
import child  # noqa: E402
import confine  # noqa: E402
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


def _spawn(channel_fd, request, caps, ruleset, syscalls, control):
    """Fork the keeper and return its pid at once: it sets the child up while the grader goes on.

    The keeper tells the grader the child's pid itself, as the first frame on the child's channel.
    """
    keeper = os.fork()
    if keeper == 0:
        try:
            control.close()
            _keep(channel_fd, request, caps, ruleset, syscalls)
        except BaseException:  # noqa: BLE001 - into the zygote's log; the grader sees "did not start"
            import traceback

            traceback.print_exc()
        finally:
            os._exit(0)
    return keeper


def _keep(channel_fd, request, caps, ruleset, syscalls):
    """The keeper: its own cgroup and user, fresh namespaces, then the child (PID 1 there), waited for."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    if CGROUPS is not None:  # before giving up root: only root may write the cgroup files
        CGROUPS.enter()
    if request.get("user"):  # the grader runs as root: the child becomes the sandbox user
        uid, gid = request["user"]
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)
        confine.set_dumpable()  # setuid cleared it: /proc/self would stay root's
    confine.die_with_parent()  # after setuid, which clears it
    if caps["namespaces"]:
        confine.enter_namespaces()
    go_read, go_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(go_write)
        said = os.read(go_read, 1)  # speak only after the keeper has said who we are
        os.close(go_read)
        if said != b"g":  # the keeper died first: nobody knows this child, so it must not run
            os._exit(0)
        try:
            child.run(socket.socket(fileno=channel_fd), request, ruleset, syscalls)
        finally:
            os._exit(0)
    channel = socket.socket(fileno=channel_fd)
    wire.send(channel, {"pid": pid})
    os.write(go_write, b"g")
    os.close(go_write)
    os.close(go_read)
    channel.detach()
    os.close(channel_fd)
    os.waitpid(pid, 0)  # the namespace ends with its PID 1


def main(control_fd, disabled=()):
    control = socket.socket(fileno=control_fd)
    confine.become_subreaper()
    confine.die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the grader's to handle
    global CGROUPS
    caps = confine.detect(disabled)  # before reaping starts: detection waits for its own probe
    CGROUPS = confine.PidsCgroups.create() if "pids" not in disabled else None
    caps["pids"] = CGROUPS is not None
    signal.signal(signal.SIGCHLD, _reap)
    rulesets = confine.Rulesets(caps["landlock"])
    syscalls = confine.seccomp_filter() if caps["seccomp"] else None
    wire.send(control, {"caps": caps, "level": confine.level(caps), "read_roots": rulesets.roots})
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
            request["read_roots"] = rulesets.roots
            ruleset = rulesets.for_submission(request["work"], request["shared"])
            reply = {"keeper": _spawn(fds[0], request, caps, ruleset, syscalls, control)}
        except Exception as exc:  # noqa: BLE001 - reported to the grader as its own problem
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        os.close(fds[0])
        wire.send(control, reply)


if __name__ == "__main__":
    main(int(sys.argv[1]), tuple(filter(None, (sys.argv[2] if len(sys.argv) > 2 else "").split(","))))
