"""The portable backend's child: one exercise in a fresh Python process, on any platform.

Started by the grader as ``python -I portable_child.py``. It speaks the same
:mod:`wire` frames as a forked child, over its stdin and stdout: it says it is
there, reads the request (a :class:`~autograder.protocol.requests.ChildRequest`),
then calls and replies exactly as in :mod:`child`.
The limits this platform supports are applied by :func:`child.run`; those
it cannot enforce are said in its first reply (``"refused"``), and the
grader tells the student once, as a property of the machine.

``request.simulate`` makes this process behave like another platform in
tests (``"windows"``: no ``resource`` module and no sessions; ``"macos"``:
``setrlimit(RLIMIT_AS)`` raises ``ValueError``, as it does there).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))  # -I leaves it out
from autograder.protocol import wire  # noqa: E402
from autograder.protocol.requests import ChildRequest  # noqa: E402
from autograder.sandbox import child  # noqa: E402

del sys.path[0]  # student code must not import the grader's files


class FdChannel:
    """The protocol's own descriptors (copies of stdin and stdout, which the child then redirects)."""

    def __init__(self, read_fd, write_fd):
        self.fds = (read_fd, write_fd)

    def fileno(self):
        return self.fds[0]

    def recv(self, size):
        return os.read(self.fds[0], size)

    def sendall(self, data):
        view = memoryview(data)
        while view:
            view = view[os.write(self.fds[1], view):]


def simulate(platform):
    if platform == "windows":
        sys.modules["resource"] = None  # import resource -> ImportError, as on Windows
        for name in ("setsid", "fork", "killpg"):
            if hasattr(os, name):
                delattr(os, name)
    elif platform == "macos":
        import resource

        real = resource.setrlimit

        def setrlimit(limit, values):
            if limit == resource.RLIMIT_AS:
                raise ValueError("current limit exceeds maximum limit")  # what macOS says
            real(limit, values)

        resource.setrlimit = setrlimit


def main():
    channel = FdChannel(os.dup(0), os.dup(1))
    channel.sendall(wire.dumps({"child": True}))  # every child's first frame (the fork backend learns its pid)
    request = ChildRequest.from_wire(wire.recv(channel))
    simulate(request.simulate)
    import numpy  # noqa: F401 - loaded before the limits, as in the zygote

    if "matplotlib" in request.preload:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot  # noqa: F401
    child.run(channel, request)


if __name__ == "__main__":
    main()
