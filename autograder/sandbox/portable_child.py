"""The portable backend's child: one exercise in a fresh Python process, on any platform.

Started by the grader as ``python -I portable_child.py PARENT``. It speaks the
same :mod:`wire` frames as a forked child, over its stdin and stdout: it says
it is there, reads the request (a :class:`~autograder.protocol.requests.ChildRequest`),
then calls and replies exactly as in :mod:`child`. It dies with PARENT (Linux:
a death signal its seccomp filter keeps it from clearing).
The limits this platform supports are applied by :func:`child.run`; those
it cannot enforce are said in its first reply (``"refused"``), and the
grader tells the student once, as a property of the machine.

``request.layers`` (Linux) names the kernel layers the grader found working:
become the sandbox user (``user``, when the grader is root; with the folders
it cannot enter on the way to Python covered, in a mount namespace of its
own, by ones holding only what it may read: ``expose``), enter Landlock
(``landlock``: its ABI) and load seccomp (``seccomp``), all before student
code is imported; if one cannot be had, the child stops before saying it is
confined. ``request.probe`` only applies them, checks that Python can still
be read, and answers ``{"probe": True}``.

``request.simulate`` makes this process behave like another platform in
tests (``"windows"``: no ``resource`` module and no sessions; ``"macos"``:
``setrlimit(RLIMIT_AS)`` raises ``ValueError``, as it does there).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))  # -I leaves it out
from autograder.protocol import wire  # noqa: E402
from autograder.protocol.requests import ChildRequest  # noqa: E402
from autograder.sandbox import child, confine, keeper, syscalls  # noqa: E402

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


def kernel_layers(request, parent):
    """Become the sandbox user and build the Landlock ruleset and seccomp filter ``request.layers`` names
    (each raises if it cannot be had); ``(ruleset, filter)``, either None where not asked for."""
    layers = request.layers or {}
    if layers.get("user"):  # Python exposed to that user in a mount namespace of our own, if it must be
        keeper.prepare({"namespaces": None, "tmpfs": False, "user": layers["user"], "expose": layers.get("expose")},
                       os.path.dirname(request.work))
        confine.die_with_parent(parent)  # a change of user clears it
    ruleset = confine.Rulesets(layers["landlock"]).build(request.work, request.shared) \
        if layers.get("landlock") else None
    seccomp = syscalls.build() if layers.get("seccomp") else None
    if layers.get("seccomp") and seccomp is None:
        raise RuntimeError("seccomp is not available")
    return ruleset, syscalls.compiled(seccomp) if seccomp is not None else None


def probe(channel, request, ruleset, seccomp):
    """Apply the layers as a child would, then read what a child must read: Python and its packages."""
    child._isolate(channel, request, ruleset, seccomp)
    child._reply(channel, {"confined": True, "refused": []})
    for root in request.read_roots:
        os.listdir(root) if os.path.isdir(root) else open(root, "rb").close()
    child._reply(channel, {"probe": True})


def main():
    parent = int(sys.argv[1]) if len(sys.argv) > 1 else None
    if sys.platform.startswith("linux"):
        confine.die_with_parent(parent)
    channel = FdChannel(os.dup(0), os.dup(1))
    channel.sendall(wire.dumps({"child": True}))  # every child's first frame (the fork backend learns its pid)
    request = ChildRequest.from_wire(wire.recv(channel))
    simulate(request.simulate)
    import numpy  # noqa: F401 - loaded before the limits, as in the zygote

    if "matplotlib" in request.preload:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot  # noqa: F401
    ruleset, seccomp = kernel_layers(request, parent)
    if request.probe:
        probe(channel, request, ruleset, seccomp)
        return
    child.run(channel, request, ruleset, seccomp)


if __name__ == "__main__":
    main()
