"""The folders a zygote's children may write, and the submission files put into them.

One :class:`Workspace` per zygote, reused by every submission it grades (so
the kernel ruleset built for these paths is reused too):

- ``box/work/``: the children's working folder: ``exercises/`` (the
  student's files, copied and decoded), ``output/`` (what they print) and
  anything they write, within a disk budget. Where the machine allows it
  each child sees a tmpfs of that size mounted over this folder (see
  :mod:`mounts`) and nothing it writes reaches it; elsewhere the grader
  measures it (:mod:`budget`). ``box/`` holds nothing else: the Landlock
  rule for the tmpfs names it (see :class:`confine.Rulesets`);
- ``shared/arena``: one file both sides map. Array arguments are written
  there before a call and read back after it, so what a function did to its
  arguments is observed by the grader, never reported by the child. The
  children may change its bytes but cannot create, remove or rename files
  in ``shared/`` (see :mod:`confine`; the folder is not theirs). Every child
  gets a new one (:meth:`Workspace.new_arena`), and where children share the
  work folder it is emptied and refilled before each: nothing one child
  writes reaches the next, of the same submission or another.
"""

from __future__ import annotations

import math
import mmap
import os
import re
import tempfile
from pathlib import Path

import numpy as np

from ..protocol import GraderFault, StudentCrash, StudentDiskError, SubmissionError
from . import tree
from .budget import DiskBudget

MAX_SOURCE_BYTES = 512 * 1024
MAX_SOURCE_FILES = 64  # exercises/*.py files copied (a real submission has about ten)
MAX_WORK_ENTRIES = 2000
PAGE = 4096
ARENA_BYTES = 8 * 1024 * 1024  # array arguments larger than this travel as copies (not observed)
CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=]", re.MULTILINE)
#: Where workspaces are made (None: the system's temp folder). A batch gives each worker a folder of its
#: own run, which it removes when the run ends, even if the worker was killed before it could clean up.
PLACE: str | None = None


def find_exercise_files(path: Path) -> dict[str, Path]:
    """The ``exercises/*.py`` files of a submission folder, validated."""
    path = Path(path)
    if not path.is_dir():
        raise SubmissionError(f"{path}: 그런 폴더가 없습니다")
    folder = path / "exercises"
    if folder.is_symlink() or not folder.is_dir():
        raise SubmissionError(f"{path}: exercises/ 폴더가 없습니다 (학생의 과제 저장소가 맞나요?)")
    try:
        return {p.name: p for p in sorted(folder.glob("*.py"))}
    except OSError as exc:
        raise SubmissionError(f"{path}: exercises/ 폴더를 읽을 수 없습니다 ({exc.strerror or exc})") from None


def read_source(file: Path) -> tuple[bytes | None, str | None]:
    """A student file's bytes as UTF-8 source, or None and a Korean note saying why it is not used.

    Files saved in CP949/EUC-KR (older Korean Windows editors) are converted
    with a note instead of failing with a raw ``utf-8 codec`` SyntaxError.
    """
    name = _printable(file.name)
    if file.is_symlink() or not file.is_file():
        return None, f"{name}: 심볼릭 링크나 일반 파일이 아닌 파일은 채점에 쓰지 않습니다."
    try:
        size = file.stat().st_size
        if size > MAX_SOURCE_BYTES:
            return None, f"{name}: 파일이 너무 커서({size} 바이트) 채점에 쓰지 않습니다."
        data = file.read_bytes()
    except OSError as exc:
        raise SubmissionError(f"{file}: 파일을 읽을 수 없습니다 ({exc.strerror or exc})") from None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        if CODING.search(data[:400]):
            return data, None  # it declares its own encoding: Python will honour it
        try:
            text = data.decode("cp949")
        except UnicodeDecodeError:
            return data, None  # Python reports the SyntaxError with its line
        return text.encode("utf-8"), (f"{name}: UTF-8이 아니라 CP949(EUC-KR)로 저장된 파일이라 UTF-8로 바꿔 읽었습니다. "
                                      "편집기에서 UTF-8로 저장하세요.")
    return data, None


def _read_only(folder: Path) -> None:
    """The sources as the children find them where they share this folder (no tmpfs of their own): no
    exercise's child can rewrite another exercise's file (changing a mode is refused by seccomp)."""
    if os.name != "posix":
        return  # Windows: a read-only file could not be removed afterwards
    for path in folder.iterdir():
        os.chmod(path, 0o444)
    os.chmod(folder, 0o555)


def _printable(name: str) -> str:
    """A file name as it may appear in a note (student-chosen: no control or formatting characters)."""
    return "".join(c if c.isprintable() and c not in "`*#<>[]" else "?" for c in name)[:100]


class Workspace:
    def __init__(self, user: tuple[int, int] | None = None):
        self.user, self._offset, self.source_bytes, self.modules = None, 0, 0, frozenset()
        self.root = Path(tempfile.mkdtemp(prefix="autograder-", dir=PLACE))
        self.root.chmod(0o711)  # a sandbox user may pass through to its own folders, never list them
        self.box, self.shared = self.root / "box", self.root / "shared"
        self.box.mkdir(mode=0o711)  # holds only the work folder (read-only where children mount a tmpfs on it)
        self.work = self.box / "work"
        self.work.mkdir(mode=0o700)
        self.shared.mkdir(mode=0o711)  # children open the arena in it, never create anything there
        self._arena_path, self.arena = str(self.shared / "arena"), None
        self.new_arena()
        self.budget = DiskBudget(self.work)
        if user:
            self.hand_to(user)

    def hand_to(self, user: tuple[int, int]) -> None:
        """Let the (unprivileged) user the children run as into the folders (the grader is root)."""
        self.user = user
        for path in (self.work, self.shared / "arena"):
            os.chown(path, *user)

    def new_arena(self) -> None:
        """A new arena file (a new inode, all zeros) in place of the last child's, made while no child is
        alive: nothing a child wrote into it or set on it (an attribute, an ACL) reaches the next one."""
        if self.arena is not None:
            self.arena.close()
        part = self.shared / "arena.new"
        part.unlink(missing_ok=True)
        fd = os.open(part, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.ftruncate(fd, ARENA_BYTES)
            if self.user:
                os.fchown(fd, *self.user)
            self.arena = mmap.mmap(fd, ARENA_BYTES)
            if hasattr(self.arena, "madvise") and hasattr(mmap, "MADV_RANDOM"):
                # no read-ahead: a first touch of the sparse file would otherwise read (zero-fill) a large
                # block around it on a disk file system, ten times the cost of the few pages a call uses
                self.arena.madvise(mmap.MADV_RANDOM)
        finally:
            os.close(fd)
        os.replace(part, self._arena_path)

    # -- a submission's files -----------------------------------------------------

    def load(self, files: dict[str, Path], provided: dict | None = None) -> tuple[list[str], list[str]]:
        """Empty the work folder, copy ``files`` in, then ``provided`` ({module: source}) over them;
        return (notes, packages to preload)."""
        if not self.clear(everything=True):
            raise GraderFault("the work folder of the previous submission could not be emptied")
        target = self.work / "exercises"
        notes, preload = [], set()
        names = sorted(n for n in files if n != "__init__.py")  # ours is empty: a broken one must not sink all
        if len(names) > MAX_SOURCE_FILES:
            notes.append(f"exercises/ 폴더에 .py 파일이 너무 많아({len(names)}개) 이름 순으로 처음 {MAX_SOURCE_FILES}개만 "
                         "채점에 씁니다.")
        for name in names[:MAX_SOURCE_FILES]:
            data, note = read_source(files[name])
            notes += [note] if note else []
            if data is not None:
                (target / name).write_bytes(data)
                preload.update({"matplotlib"} if b"matplotlib" in data else set())
        for name, source in (provided or {}).items():
            (target / f"{name}.py").write_text(source, encoding="utf-8")
        (target / "__init__.py").write_text("", encoding="utf-8")
        if self.user:
            for path in (target, self.work / "output", *target.iterdir()):
                os.chown(path, *self.user)
        self.source_bytes = sum(-(-p.stat().st_size // PAGE) * PAGE for p in target.iterdir())  # as a tmpfs counts
        self.modules = frozenset(p.stem for p in target.iterdir() if p.suffix == ".py")
        _read_only(target)
        return notes, sorted(preload)

    def clear(self, everything: bool = False) -> bool:
        """Delete what student code wrote (with ``everything``, the copied sources too).

        However deep or odd the tree, nothing here raises: False means something could not be
        deleted, and the workspace must then not be used for anyone else.
        """
        try:
            return self._clear(everything)
        except Exception:  # noqa: BLE001 - a tree a student shaped must never become a grader error
            return False

    def _clear(self, everything: bool) -> bool:
        self.budget.forget()
        kept = () if everything else ("exercises", "output")
        if everything and os.name == "posix" and (self.work / "exercises").is_dir():
            os.chmod(self.work / "exercises", 0o700)  # read-only while graded (see _read_only)
        for entry in os.scandir(self.work):
            if entry.name not in kept:
                tree.remove(entry.path)
        for folder in ("exercises", "output"):
            (self.work / folder).mkdir(exist_ok=True)
            if self.user:
                os.chown(self.work / folder, *self.user)
        leftovers = [e.name for e in os.scandir(self.work) if e.name not in ("exercises", "output")]
        if everything:
            leftovers += [e.name for folder in ("exercises", "output") for e in os.scandir(self.work / folder)]
        return not leftovers

    def check_disk(self, megabytes: int, file_limit: int | None, pids=()) -> None:
        """Raise StudentDiskError if student code wrote more than ``megabytes`` into the work folder (the
        copied sources are not counted), or too many entries or levels (:mod:`budget`), counting files the
        children ``pids`` unlinked but hold open.

        Any failure while checking counts as over budget: it is that submission's problem, never the
        grader's or the next student's.
        """
        try:
            allowed = megabytes * 1024 * 1024 + self.source_bytes + 2 * PAGE  # a disk counts our two folders too
            self.budget.check(allowed, MAX_WORK_ENTRIES, file_limit, pids)
        except Exception:  # noqa: BLE001 - tree.TooBig, but also whatever a hostile tree provokes
            raise StudentDiskError(megabytes) from None

    # -- array arguments in the arena ------------------------------------------------

    def begin(self) -> None:
        """A new call: its arguments fill the arena from the start (checked first: see :meth:`intact`)."""
        self._offset = 0
        if not self.intact():
            raise StudentCrash("the shared argument buffer was tampered with")  # only this child had it

    def put(self, values):
        """Array arguments (and instances' params) into the arena; return (message values, slots to read back).

        A slot is ``(offset, dtype, shape)``, or for an instance ``{param: slot}``.
        """
        keys = range(len(values)) if isinstance(values, list) else list(values)
        out, slots = (list(values) if isinstance(values, list) else dict(values)), {}
        for key in keys:
            value = values[key]
            if isinstance(value, dict) and isinstance(value.get("__instance__"), str):
                params = dict(value.get("params", {}))
                inner = {k: self._place(v) for k, v in params.items()}
                out[key] = {**value, "params": {k: inner[k][0] if inner[k] else params[k] for k in params}}
                slots[key] = {k: inner[k][1] for k in params if inner[k]}
            elif (placed := self._place(value)) is not None:
                out[key], slots[key] = placed
        return out, slots

    def _place(self, value):
        """(descriptor, slot) for a numeric array written into the arena, or None."""
        if not (isinstance(value, np.ndarray) and value.size and value.dtype.kind in "biuf"):
            return None
        array = np.ascontiguousarray(value, dtype=value.dtype.newbyteorder("="))
        offset = -(-self._offset // 16) * 16  # aligned for any dtype
        if offset + array.nbytes > ARENA_BYTES:
            return None  # too big to share: sent as a copy
        self.arena[offset:offset + array.nbytes] = array.tobytes()
        self._offset = offset + array.nbytes
        return ({"__shared__": "arena", "offset": offset, "dtype": array.dtype.str, "shape": list(array.shape)},
                (offset, array.dtype, array.shape))

    def intact(self) -> bool:
        """False if the arena file was shrunk (touching the mapping then would crash the grader)."""
        try:
            return os.stat(self._arena_path, follow_symlinks=False).st_size >= ARENA_BYTES
        except OSError:
            return False

    def take(self, slots) -> dict:
        """The arrays in ``slots`` as they are now in the arena (copies).

        A shrunk arena (possible only where the kernel confinement is missing) was shrunk by the one child
        that had it since it was made: that student's crash (:class:`StudentCrash`), never a grader fault.
        """
        if slots and not self.intact():
            raise StudentCrash("the shared argument buffer was tampered with")
        return {key: {k: self._read(s) for k, s in slot.items()} if isinstance(slot, dict) else self._read(slot)
                for key, slot in slots.items()}

    def _read(self, slot):
        offset, dtype, shape = slot
        count = math.prod(shape)
        return np.frombuffer(self.arena, dtype=dtype, count=count, offset=offset).reshape(shape).copy()

    def close(self) -> None:
        self.arena.close()
        self.budget.forget()
        tree.remove(str(self.root))
