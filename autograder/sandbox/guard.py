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

Every path is judged where it really leads: symbolic links are resolved
first (``/proc/self/root/<checkout>/solutions`` is the checkout), and all of
``/proc`` is out of reach except the child's own descriptors
(``/proc/self/fd/N``): not its environment, not its parent's, not its root.
``os.mkfifo``, ``os.mknod`` and ``sqlite3.connect`` create files without an
``open`` event; they are held to the work folder too (the first two through
wrappers: Python raises no audit event for them).
"""

import os
import stat
import sys


PROCESS_EVENTS = frozenset({
    "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "os.startfile",
    "subprocess.Popen", "pty.spawn", "sys.remote_exec"})
SIGNAL_EVENTS = frozenset({"os.kill", "os.killpg", "signal.pthread_kill"})
SOCKET_EVENTS = frozenset({"socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"})
INTROSPECTION_EVENTS = frozenset({"gc.get_objects", "gc.get_referrers", "gc.get_referents"})
GRADER_MODULES = frozenset({"solutions", "autograder"})
CODE_ATTRIBUTES = frozenset({"__code__"})  # __closure__ and __globals__ are read-only; namedtuple sets __defaults__
#: event -> (positions of path arguments, positions of dir_fd arguments)
WRITE_EVENTS = (
    ("os.chmod", (0,), (2,)), ("os.chown", (0,), (3,)), ("os.link", (0, 1), (2, 3)), ("os.mkdir", (0,), (2,)),
    ("os.remove", (0,), (1,)), ("os.rename", (0, 1), (2, 3)), ("os.rmdir", (0,), (1,)),
    ("os.symlink", (0, 1), (2,)), ("os.truncate", (0,), ()), ("os.utime", (0,), (3,)),
    ("shutil.copyfile", (1,), ()), ("shutil.copytree", (1,), ()), ("shutil.rmtree", (0,), (1,)),
    ("shutil.move", (0, 1), ()), ("shutil.chown", (0,), ()),
)
READ_EVENTS = frozenset({"os.listdir", "os.scandir", "shutil.copyfile", "shutil.copytree"})


def install(work, shared, read_roots, protected_roots):
    """Add the hook: writes only under ``work`` (and into the ``shared`` arena); no reads under
    ``protected_roots`` unless under ``work`` or ``read_roots``; no processes, signals, sockets or ctypes.

    The tables above are read once, here: rebinding them afterwards reaches nothing. ``read_roots`` come
    from the sandbox with every link already resolved (``os.path.realpath``): they are taken as they are.
    """
    absolute, fold = _absolute(), _folding()
    locate = _locator(absolute)
    work, shared = locate(os.fspath(work)), locate(os.fspath(shared))
    normal = absolute if os.name == "nt" else fold  # (already absolute and normal: only Windows' case is left)
    read_roots = tuple(map(normal, map(os.fspath, read_roots)))
    protected = tuple(locate(os.fspath(p)) for p in protected_roots) + ("/proc", "/sys")
    own = (work, shared, *read_roots, *_own_descriptors())
    check_read, check_write = _path_checks(locate, work, protected, own)
    check_open = _open_check(check_read, check_write, (work, shared + os.sep + "arena"))
    _hold_node_makers(check_write)
    sys.addaudithook(_hook(locate, check_read, check_write, check_open, read_roots))


def _own_descriptors():
    """The folders of this process's own descriptors in /proc (the only part of /proc it may use)."""
    return tuple(f"/proc/{who}/fd" for who in ("self", "thread-self", os.getpid()))


def _refuse(what):
    raise PermissionError(f"채점 환경에서는 허용되지 않는 동작입니다: {what}")


def _absolute():
    """``absolute(path)``: lexically absolute and normalised; None if it cannot be judged."""
    getcwd, sep, windows = os.getcwd, os.sep, os.name == "nt"
    isabs, join, normpath, normcase = os.path.isabs, os.path.join, os.path.normpath, os.path.normcase

    def absolute(path):
        if type(path) not in (str, bytes):
            return None  # PathLike objects are student code: judge nothing they compute
        if type(path) is bytes:
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

    return absolute


def _locator(absolute):
    """``locate(path)``: where ``path`` really leads, symbolic links resolved (own descriptors in
    /proc are left as they are); None if it cannot be judged. On macOS, whose file systems ignore case
    and Unicode normalisation, the result is folded: it is only ever compared, never opened."""
    resolve, own, sep, windows = _resolver(), _own_descriptors(), os.sep, os.name == "nt"
    fold = _folding()

    def locate(raw):
        path = absolute(raw)
        if path is None or windows:
            return path
        parent, _, name = path.rpartition(sep)
        if path in own or (parent in own and name.isdigit()):
            return path
        path = resolve(path)
        return None if path is None else fold(path)

    return locate


def _folding():
    """``/Users/x/SOLUTIONS`` is ``/Users/x/solutions`` on macOS (and composed Hangul its decomposed form)."""
    if sys.platform != "darwin":
        return lambda path: path
    import unicodedata

    normalize = unicodedata.normalize
    return lambda path: normalize("NFC", path).casefold()


def _resolver():
    """``resolve(absolute_path)``: every symbolic link followed (``/proc/self/root`` included), like
    ``os.path.realpath`` but with functions captured now; None after 40 links."""
    lstat, readlink, is_link, sep = os.lstat, os.readlink, stat.S_ISLNK, os.sep

    def resolve(path):
        pending, out, links = path.split(sep)[::-1], "", 0
        while pending:
            part = pending.pop()
            if part in ("", "."):
                continue
            if part == "..":
                out = out.rpartition(sep)[0]
                continue
            candidate = out + sep + part
            try:
                link = is_link(lstat(candidate).st_mode)
            except (OSError, ValueError):
                link = False  # not there (yet): judged as written
            if not link:
                out = candidate
                continue
            links += 1
            if links > 40:
                return None
            target = readlink(candidate)
            out = "" if target.startswith(sep) else out
            pending += target.split(sep)[::-1]
        return out or sep

    return resolve


def _hold_node_makers(check_write):
    """``os.mkfifo``/``os.mknod`` (no audit event) only inside the work folder, never by descriptor; and
    no fresh copy of the ``posix`` module with the originals (``_imp.create_builtin``)."""
    system = sys.modules.get(os.name)
    for name in ("mkfifo", "mknod"):
        original = getattr(system, name, None)
        if original is None:
            continue

        def held(path, *args, _original=original, **kwargs):
            path = os.fspath(path) if type(path) is not int else path
            if type(path) is int or kwargs.get("dir_fd") is not None:
                check_write("..")  # relative to a descriptor: refused
            check_write(path)
            return _original(path, *args, **kwargs)

        setattr(system, name, held)
        setattr(os, name, held)
    _hold_builtin_copies()


def _hold_builtin_copies():
    imp = sys.modules["_imp"]
    create, spec_of, system = imp.create_builtin, type(sys.__spec__), os.name

    def create_builtin(spec):
        name = spec.name
        if type(name) is not str or name == system:
            _refuse("운영체제 모듈 다시 만들기")
        return create(spec_of(name, None, origin="built-in"))

    imp.create_builtin = create_builtin


def _under(path, roots, sep=os.sep):
    return any(path == root or path.startswith(root + sep) for root in roots)


def _path_checks(locate, work, protected, own):
    """``check_read(raw) -> path`` and ``check_write(raw, roots)``, refusing with a Korean message."""
    under = _under

    def check_read(raw):
        path = locate(raw)
        if path is None or (under(path, protected) and not under(path, own)):
            raise PermissionError("채점 환경에서는 과제 폴더 밖의 파일을 읽을 수 없습니다")
        return path

    def check_write(raw, roots=(work,)):
        path = locate(raw)
        if path is None or not under(path, roots):
            raise PermissionError("채점 환경에서는 과제 폴더 밖에 파일을 쓰거나 바꿀 수 없습니다")

    return check_read, check_write


def _open_check(check_read, check_write, writable):
    """The "open" event: writes only in ``writable``; no directory descriptor outside it (dir_fd= tricks)."""
    stat_of, is_dir, under = os.stat, stat.S_ISDIR, _under
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    dir_flags = getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_PATH", 0)

    def check_open(args):
        raw, mode, flags = (list(args) + [None, None, 0])[:3]
        if type(raw) is int:
            return  # an already open descriptor
        flags = flags if type(flags) is int else 0
        if flags & write_flags or (type(mode) is str and any(c in mode for c in "wax+")):
            check_write(raw, writable)
            return
        path = check_read(raw)
        if under(path, writable):
            return
        directory = flags & dir_flags
        if not directory:
            try:
                directory = is_dir(stat_of(path).st_mode)
            except OSError:
                directory = False
        if directory:
            raise PermissionError("채점 환경에서는 과제 폴더 밖의 폴더를 열 수 없습니다")

    return check_open


def _database_check(check_write):
    """``sqlite3.connect``: in memory, or a file in the work folder (no URI, no path object)."""

    def check_database(database):
        if type(database) is str and database in ("", ":memory:"):
            return
        if type(database) not in (str, bytes) or database[:5] in ("file:", b"file:"):
            check_write("..")  # a URI or a path object: not judged, refused
        check_write(database)

    return check_database


def _descriptor_folder():
    """``folder_of(dir_fd)``: None for no descriptor, else where the descriptor's folder is (``..``,
    refused by every check, where it cannot be told): ``shutil.rmtree`` removes by descriptor."""
    readlink = os.readlink

    def folder_of(fd):
        if fd is None or (type(fd) is int and fd in (-1, -100)):
            return None
        if type(fd) is not int:
            return ".."
        try:
            return readlink(f"/proc/self/fd/{fd}")
        except (OSError, ValueError):
            return ".."

    return folder_of


def _joined():
    """``joined(folder, path)``: ``path`` relative to ``folder`` (a path object or an escape stays ``..``)."""
    sep = os.sep

    def joined(folder, path):
        if folder == ".." or type(path) not in (str, bytes):
            return ".."
        path = path.decode("utf-8", "surrogateescape") if type(path) is bytes else path
        return path if path.startswith(sep) else folder + sep + path

    return joined


def _written_check(check_write):
    """``check_written(event, args, paths, dir_fds)``: every path a write event names, relative to its
    descriptor's folder where it has one (a symbolic link's place never is)."""
    folder_of, joined = _descriptor_folder(), _joined()

    def check_written(event, args, paths, dir_fds):
        folders = [folder_of(args[i]) if i < len(args) else None for i in dir_fds]
        if event == "os.symlink" and folders and folders[0] is not None:
            check_write("..")  # the link's place relative to a descriptor: refused
        for k, i in enumerate(paths):
            if i < len(args) and type(args[i]) is not int:
                base = folders[k] if k < len(folders) and event != "os.symlink" else None
                check_write(args[i] if base is None else joined(base, args[i]))

    return check_written


def _hook(locate, check_read, check_write, check_open, read_roots):
    refusals = ((PROCESS_EVENTS, "다른 프로그램이나 프로세스 실행"), (SIGNAL_EVENTS, "다른 프로세스에 신호 보내기"),
                (SOCKET_EVENTS, "네트워크 연결"))
    introspection, grader_modules, code_attributes = INTROSPECTION_EVENTS, GRADER_MODULES, CODE_ATTRIBUTES
    write_events, read_events, sep = {e: (p, d) for e, p, d in WRITE_EVENTS}, READ_EVENTS, os.sep
    refuse = _refuse  # captured: rebinding guard._refuse later reaches nothing
    check_database, check_written = _database_check(check_write), _written_check(check_write)

    def hook(event, args):
        # Only builtin types are looked at: a str subclass's __str__ would run student code inside the hook.
        if event == "object.__setattr__" and len(args) > 1 and type(args[1]) is str and args[1] in code_attributes:
            refuse("함수의 코드 바꾸기")
        for events, what in refusals:
            if event in events:
                refuse(what)
        if event in introspection or event.startswith("ctypes."):
            refuse(event)
        if event == "import" and args and type(args[0]) is str and args[0].split(".")[0] in grader_modules:
            raise PermissionError(f"채점 환경에서는 채점기 파일을 가져올 수 없습니다: {args[0]}")
        if event == "open" and args:
            check_open(args)
        elif event == "sqlite3.connect" and args:
            check_database(args[0])
        elif event in write_events:
            check_written(event, args, *write_events[event])
            if event in read_events and type(args[0]) is not int:
                check_read(args[0])  # the source of a copy
        elif event in read_events and args and type(args[0]) is not int:
            listed = locate(args[0])
            if listed is None or not any(root.startswith(listed + sep) for root in read_roots):
                check_read(args[0])  # folders holding allowed files may be listed (the import system does)
        elif event == "os.chdir" and args and type(args[0]) is not int:
            check_write(args[0])

    return hook
