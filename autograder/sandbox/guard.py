"""An audit hook that fences student code inside its child process.

Installed in the sandboxed child right before the student module loads
(audit hooks cannot be removed once added). It refuses:

- reading or listing files under the protected roots (the instructor's
  repository with the solutions and hidden suites, other submissions, the
  temporary folder where other submissions are being graded, other processes
  in /proc), except the child's own work folder and the Python installation;
- starting processes, sending signals, loading native code through ctypes and
  walking the garbage collector's object graph.

This is defence in depth: the score is decided in the grader process on data
the child returns, and the grader kills every process left behind. A process
that escapes anyway cannot change a score, only waste time until the kill.
"""

import os
import sys

DENIED_EVENTS = frozenset({
    "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
    "subprocess.Popen", "pty.spawn", "os.kill", "os.killpg", "signal.pthread_kill",
    "gc.get_objects", "gc.get_referrers", "gc.get_referents", "sys.remote_exec",
})
DENIED_MODULES = frozenset({
    "subprocess", "_posixsubprocess", "multiprocessing", "_multiprocessing", "pty",
    "ctypes", "_ctypes", "cffi", "solutions", "autograder",
})
PATH_EVENTS = frozenset({"open", "os.listdir", "os.scandir", "os.chdir", "shutil.copyfile"})


def _under(path, roots):
    return any(path == root or path.startswith(root + os.sep) for root in roots)


def install(protected_roots, allowed_roots):
    """Add the hook. Paths are compared after resolving symlinks."""
    # /proc: other processes' memory and environment (the grader's included); our own entry stays readable.
    protected = tuple(os.path.realpath(p) for p in (*protected_roots, "/proc"))
    allowed = tuple(os.path.realpath(p) for p in (*allowed_roots, f"/proc/{os.getpid()}"))
    realpath, fspath = os.path.realpath, os.fspath

    def hook(event, args):
        if event in DENIED_EVENTS or event.startswith("ctypes."):
            raise PermissionError(f"채점 환경에서는 허용되지 않는 동작입니다: {event}")
        if event == "import" and args and str(args[0]).split(".")[0] in DENIED_MODULES:
            raise PermissionError(f"채점 환경에서는 가져올 수 없는 모듈입니다: {args[0]}")
        if event in PATH_EVENTS and args and isinstance(args[0], (str, bytes, os.PathLike)):
            target = fspath(args[0])
            if isinstance(target, bytes):
                target = target.decode(errors="surrogateescape")
            path = realpath(target)
            if _under(path, protected) and not _under(path, allowed):
                raise PermissionError("채점 환경에서는 과제 폴더 밖의 파일을 읽을 수 없습니다")

    sys.addaudithook(hook)
