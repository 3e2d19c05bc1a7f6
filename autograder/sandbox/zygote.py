"""The zygote: a clean process with numpy loaded that forks sandboxed children.

Started by the grader as ``python -I zygote.py FD`` where FD is its end of a
control socket. Starting Python and importing numpy once, then forking a
child per exercise, is what makes grading a class fast. The zygote never
imports the solutions, the suites or student code, so a forked child holds
nothing worth stealing.

It is a child subreaper (Linux): processes that student code leaves behind
are re-parented here rather than to init, so the grader can find and kill
every one of them.

Control protocol: the grader sends one byte carrying the child's socket (fd
passing), then a :mod:`wire` frame with the spawn request; the zygote replies
``{"pid": pid}``.
"""

import os
import signal
import socket
import sys

import numpy  # noqa: F401 - the point of the zygote: children inherit it loaded

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # -I leaves it out
import child  # noqa: E402
import wire  # noqa: E402

del sys.path[0]  # student code must not import the grader's files


def _become_subreaper():
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.prctl(36, 1)  # PR_SET_CHILD_SUBREAPER
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: die with the grader
    except (OSError, AttributeError):
        pass


def _reap(signum, frame):
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main(control_fd):
    control = socket.socket(fileno=control_fd)
    _become_subreaper()
    signal.signal(signal.SIGCHLD, _reap)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the grader's to handle
    while True:
        try:
            _, fds, _, _ = socket.recv_fds(control, 1, 1)
        except InterruptedError:
            continue
        if not fds:
            return  # the grader closed the control socket
        request = wire.recv(control)
        pid = os.fork()
        if pid == 0:
            control.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            channel = socket.socket(fileno=fds[0])
            try:
                child.run(channel, request)
            finally:
                os._exit(0)
        os.close(fds[0])
        wire.send(control, {"pid": pid})


if __name__ == "__main__":
    main(int(sys.argv[1]))
