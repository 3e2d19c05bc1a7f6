"""What this machine lets a child have, found once per zygote by trying it.

Each way of confining a child is tried, best first, in throwaway processes
that run the keeper's own :func:`keeper.prepare` and the host's
:func:`host.child_mounts` on a probe folder and check the result from inside
a child (PID 1 of a PID namespace of its own, the sandbox user, the Python
installation readable, writes stopped at the probe's budget).
The first one that works is the *plan* every keeper then follows:

1. a user namespace with the other namespaces and a tmpfs work folder;
2. as root where user namespaces are refused: the same namespaces made by
   root, then the sandbox user;
3. 1 and 2 without the tmpfs (the grader then walks the work folder);
4. no namespaces: the sandbox user if it can read Python as it is, else
   (root grader, Python in a folder only root can enter) root without any
   capability, which :mod:`levels` reports as short of class level.

``disabled`` leaves layers off (tests simulate weaker machines with it).
Imports only the standard library and the sandbox's own modules.
"""

import errno
import os
import shutil
import sys
import tempfile

from . import confine, host, keeper, mounts, namespaces, syscalls

PROBE_BYTES = 64 * 1024


def detect(disabled, user, reach=()) -> tuple[dict, dict]:
    """``(caps, plan)``; ``user`` is ``(name, uid, gid)`` when the grader runs as root, else None;
    ``reach``: folders the children must be able to enter besides what they read (the workspace)."""
    linux = sys.platform.startswith("linux")
    caps = {
        "landlock": 0 if "landlock" in disabled else confine.landlock_abi(),
        "seccomp": "seccomp" not in disabled and linux and syscalls.build() is not None,
        "rlimits": "rlimits" not in disabled and _has_resource(),
        "nocaps": linux,  # every child gives up its capabilities, or refuses to run (privileges.drop_all)
    }
    roots = Roots(confine.read_roots() + confine.site_dirs(), list(reach))
    plan = next(p for p in _candidates(disabled, user, roots) if p["namespaces"] is None or _works(p, roots))
    caps.update(namespaces=bool(plan["namespaces"]), userns=plan["namespaces"] == "user", tmpfs=plan["tmpfs"],
                user=user[0] if plan["user"] else None, user_ids=plan["user"],
                root=hasattr(os, "geteuid") and os.geteuid() == 0 and not plan["user"],
                nproc=plan["namespaces"] == "user" and _kernel_at_least(5, 14))
    return caps, plan


class Roots:
    """What a child must read (folders listed, files opened) and what it must only enter."""

    def __init__(self, read, enter):
        self.read, self.enter = read, enter

    def all(self):
        return self.read + self.enter

    def reachable(self) -> bool:
        for root in self.read:
            os.listdir(root) if os.path.isdir(root) else open(root, "rb").close()
        for folder in self.enter:
            os.stat(os.path.join(folder, "."))
        return True


def _candidates(disabled, user, roots):
    ids = tuple(user[1:]) if user else None
    blocked = mounts.blocked_folders(roots.all(), *ids) if ids else {}
    modes = ["user"] + (["root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])
    if "namespaces" not in disabled and sys.platform.startswith("linux"):
        for tmpfs in ([True] if "tmpfs" not in disabled else []) + [False]:
            for mode in modes:
                yield {"namespaces": mode, "tmpfs": tmpfs, "user": ids, "expose": blocked}
    if ids and not blocked and _works({"namespaces": None, "tmpfs": False, "user": ids, "expose": {}}, roots):
        yield {"namespaces": None, "tmpfs": False, "user": ids, "expose": {}}
    yield {"namespaces": None, "tmpfs": False, "user": None, "expose": {}}


def _works(plan: dict, roots) -> bool:
    """Run ``plan`` in a throwaway process and check it from inside."""
    if not hasattr(os, "fork"):
        return False
    probe = _probe_folder(plan["user"])
    read, write = os.pipe()
    try:
        pid = os.fork()
        if pid == 0:
            os.close(read)
            _answer(write, plan, probe, roots)
        os.close(write)
        answer = os.read(read, 1)
        os.waitpid(pid, 0)
        return answer == b"1"
    finally:
        os.close(read)
        shutil.rmtree(probe, ignore_errors=True)


def _answer(write: int, plan: dict, probe: str, roots) -> None:
    """In the throwaway process: prepare as a keeper would, then check from a child as a host forks it."""
    ok = b"0"
    try:
        work = os.path.join(probe, "box", "work")
        keeper.prepare(plan, os.path.dirname(work))
        ok = b"1" if _in_process(lambda: _as_child(plan, work, roots)) else b"0"  # the host
    except BaseException:  # noqa: BLE001 - any failure means "not this plan"
        pass
    finally:
        os.write(write, ok)
        os._exit(0)


def _in_process(check) -> bool:
    """Whether ``check()`` holds in a forked process."""
    pid = os.fork()
    if pid == 0:
        try:
            os._exit(0 if check() else 1)
        except BaseException:  # noqa: BLE001
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _as_child(plan: dict, work: str, roots) -> bool:
    if plan["namespaces"]:
        namespaces.new_pid_namespace(namespaces.own_pid_namespace())
    return _in_process(lambda: _inside_as_planned(plan, work, roots))


def _inside_as_planned(plan: dict, work: str, roots) -> bool:
    try:
        host.child_mounts(plan, work, PROBE_BYTES, 8, {})
        if plan["namespaces"] and os.getpid() != 1:
            return False
        if plan["user"] and (os.getuid(), os.getgid()) != tuple(plan["user"]):
            return False
        roots.reachable()
        return not plan["tmpfs"] or _budget_holds(work)
    except OSError:
        return False


def _budget_holds(work: str) -> bool:
    """Writing twice the probe's budget stops with ENOSPC."""
    fd, written = os.open(os.path.join(work, "probe"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), 0
    try:
        while written <= PROBE_BYTES * 2:
            written += os.write(fd, b"x" * 4096)
    except OSError as exc:
        return exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return False


def _probe_folder(user) -> str:
    probe = tempfile.mkdtemp(prefix="autograder-probe-")
    os.makedirs(os.path.join(probe, "box", "work", "exercises"))
    if user:
        os.chmod(probe, 0o711)
        os.chmod(os.path.join(probe, "box"), 0o711)
        for folder in (os.path.join("box", "work"), os.path.join("box", "work", "exercises")):
            os.chown(os.path.join(probe, folder), *user)
    return probe


def _has_resource() -> bool:
    try:
        import resource  # noqa: F401
    except ImportError:
        return False
    return True


def _kernel_at_least(major: int, minor: int) -> bool:
    """RLIMIT_NPROC counts per user namespace from Linux 5.14 on."""
    try:
        release = os.uname().release.split(".")
        return (int(release[0]), int(release[1].split("-")[0])) >= (major, minor)
    except (ValueError, IndexError):
        return False
