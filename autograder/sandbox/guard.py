"""The friendly first layer: an audit hook that refuses risky actions in Korean.

It is not the boundary. The kernel confinement of :mod:`confine` (Landlock,
namespaces, rlimits) is what holds against hostile code; this hook exists so
that a student who opens the reference, starts a program or opens a socket
gets a clear Korean message naming the rule instead of a bare ``EACCES``, and
so that a machine without Landlock still has a fence.

Student code cannot switch it off: audit hooks cannot be removed, and the
hook keeps no module globals. Everything it consults (the roots, and the
builtins ``os.stat``, ``os.getcwd``) is captured in a closure when it is
installed, so replacing module attributes afterwards changes nothing; it
never calls a method of an audited argument (a ``str`` subclass's
``__str__`` would run student code inside the hook) and refuses replacing a
function's ``__code__``. Directory descriptors (``dir_fd=``) are covered by
refusing to open any directory outside the work folder and any relative path
that climbs with ``..``.
"""

import os
import stat
import sys


def install(work, shared, read_roots, protected_roots):
    """Add the hook: writes only under ``work`` (and into ``shared`` buffers); no reads under
    ``protected_roots`` unless under ``work`` or ``read_roots``; no processes, signals, sockets or ctypes."""
    norm = os.path.normcase
    _install(norm(os.fspath(work)), norm(os.fspath(shared)), tuple(norm(os.fspath(p)) for p in read_roots),
             tuple(norm(os.fspath(p)) for p in protected_roots) + ("/proc", "/sys"), os.getpid())


def _install(work, shared, read_roots, protected_roots, pid):
    # Captured once: student code replacing these names later does not reach the hook.
    getcwd, stat_of, is_dir = os.getcwd, os.stat, stat.S_ISDIR
    windows = os.name == "nt"
    isabs, join, normpath, normcase = os.path.isabs, os.path.join, os.path.normpath, os.path.normcase
    sep, write_flags = os.sep, os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    dir_flags = getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_PATH", 0)
    own_proc = (f"/proc/{pid}", "/proc/self")
    process_events = frozenset({
        "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "os.startfile",
        "subprocess.Popen", "pty.spawn", "sys.remote_exec"})
    signal_events = frozenset({"os.kill", "os.killpg", "signal.pthread_kill"})
    socket_events = frozenset({"socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"})
    introspection_events = frozenset({"gc.get_objects", "gc.get_referrers", "gc.get_referents"})
    grader_modules = frozenset({"solutions", "autograder"})
    code_attributes = frozenset({"__code__", "__closure__", "__globals__", "__defaults__", "__kwdefaults__"})
    # event -> (positions of path arguments, positions of dir_fd arguments)
    write_events = {
        "os.chmod": ((0,), (2,)), "os.chown": ((0,), (3,)), "os.link": ((0, 1), (2, 3)),
        "os.mkdir": ((0,), (2,)), "os.remove": ((0,), (1,)), "os.rename": ((0, 1), (2, 3)),
        "os.rmdir": ((0,), (1,)), "os.symlink": ((0, 1), (2,)), "os.truncate": ((0,), ()),
        "os.utime": ((0,), (3,)), "shutil.copyfile": ((1,), ()), "shutil.copytree": ((1,), ()),
        "shutil.rmtree": ((0,), (1,)), "shutil.move": ((0, 1), ()), "shutil.chown": ((0,), ()),
    }
    read_events = frozenset({"os.listdir", "os.scandir", "shutil.copyfile", "shutil.copytree"})

    def refuse(what):
        raise PermissionError(f"채점 환경에서는 허용되지 않는 동작입니다: {what}")

    def absolute(path):
        """Lexically absolute, normalised path; None if it cannot be judged (``..`` in a relative path)."""
        if type(path) not in (str, bytes):
            return None  # PathLike objects are student code: judge nothing they compute
        if isinstance(path, bytes):
            path = path.decode("utf-8", "surrogateescape")
        if windows:  # drive letters and both separators; the file system ignores case
            path = normcase(path if isabs(path) else join(getcwd(), path))
            return None if ".." in path.split("\\") else normcase(normpath(path))
        parts = path.split(sep)
        if not path.startswith(sep):
            if ".." in parts:
                return None  # relative to an unknown dir_fd, possibly
            parts = getcwd().split(sep) + parts
        out = []
        for part in parts:
            if part == "..":
                if out:
                    out.pop()
            elif part and part != ".":
                out.append(part)
        return sep + sep.join(out)

    def under(path, roots):
        for root in roots:
            if path == root or path.startswith(root + sep):
                return True
        return False

    def check_read(raw):
        path = absolute(raw)
        if path is None or (under(path, protected_roots) and not under(path, (work, shared, *read_roots, *own_proc))):
            raise PermissionError("채점 환경에서는 과제 폴더 밖의 파일을 읽을 수 없습니다")
        return path

    def check_write(raw, roots=(work,)):
        path = absolute(raw)
        if path is None or not under(path, roots):
            raise PermissionError("채점 환경에서는 과제 폴더 밖에 파일을 쓰거나 바꿀 수 없습니다")

    def check_open(args):
        raw, mode, flags = (list(args) + [None, None, 0])[:3]
        if type(raw) is int:
            return  # an already open descriptor
        flags = flags if type(flags) is int else 0
        writing = flags & write_flags or (type(mode) is str and any(c in mode for c in "wax+"))
        if writing:
            check_write(raw, (work, shared))
            return
        path = check_read(raw)
        if under(path, (work, shared)):
            return
        directory = flags & dir_flags
        if not directory:
            try:
                directory = is_dir(stat_of(path).st_mode)
            except OSError:
                directory = False
        if directory:  # a directory descriptor would let dir_fd= calls bypass the path checks
            raise PermissionError("채점 환경에서는 과제 폴더 밖의 폴더를 열 수 없습니다")

    def hook(event, args):
        # Only builtin types are looked at: a str subclass's __str__ would run student code inside the hook.
        if event == "object.__setattr__" and len(args) > 1 and type(args[1]) is str and args[1] in code_attributes:
            refuse("함수의 코드 바꾸기")
        if event in process_events:
            refuse("다른 프로그램이나 프로세스 실행")
        if event in signal_events:
            refuse("다른 프로세스에 신호 보내기")
        if event in socket_events:
            refuse("네트워크 연결")
        if event in introspection_events or event.startswith("ctypes."):
            refuse(event)
        if event == "import" and args and type(args[0]) is str and args[0].split(".")[0] in grader_modules:
            raise PermissionError(f"채점 환경에서는 채점기 파일을 가져올 수 없습니다: {args[0]}")
        if event == "open" and args:
            check_open(args)
        elif event in write_events:
            paths, dir_fds = write_events[event]
            if any(i < len(args) and not (args[i] is None or (type(args[i]) is int and args[i] == -1)) for i in dir_fds):
                check_write("..")  # relative to a descriptor: refused
            for i in paths:
                if i < len(args) and not isinstance(args[i], int):
                    check_write(args[i])
            if event in read_events and not isinstance(args[0], int):
                check_read(args[0])  # the source of a copy
        elif event in read_events and args and not isinstance(args[0], int):
            listed = absolute(args[0])
            if listed is None or not any(root.startswith(listed + sep) for root in read_roots):
                check_read(args[0])  # folders holding allowed files may be listed (the import system does)
        elif event == "os.chdir" and args and not isinstance(args[0], int):
            check_write(args[0])

    sys.addaudithook(hook)
