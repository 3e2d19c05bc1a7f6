"""The sandbox backend seam: what a backend offers, and the one registry of backends.

A backend runs student code in child processes. The grader starts one per
worker (:func:`start`), then per submission opens a :class:`Box` (one
confinement for the whole submission) and asks it for one child per
exercise. :class:`~autograder.sandbox.submission.Submission` is written
against these two protocols only.

:data:`BACKENDS` is read by the engine (which backend to start), the command
line (``--backend`` choices) and the isolation notice (what a backend without
kernel confinement means): adding a backend is one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol

from ..protocol import GraderFault, SandboxOptions
from ..protocol.requests import ChildRequest


class Channel(Protocol):
    """Wire frames to and from one child (:mod:`channels`)."""

    def first(self, deadline: float) -> tuple[object, int | None]: ...
    def send(self, value) -> None: ...
    def readable(self, timeout: float) -> bool: ...
    def recv(self, deadline: float): ...
    def close(self) -> None: ...


class Box(Protocol):
    """One submission's confinement; its children share it, each in a process of its own."""

    def spawn(self, exercise: str, standins: dict) -> tuple[int | None, Channel]:
        """A child serving ``exercise``: its pid if already known, and its channel."""

    def close(self) -> None:
        """End the submission's confinement (its children are killed and waited for first)."""


class SandboxBackend(Protocol):
    caps: dict  # the layers this machine gave the children (see levels.py)
    level: str  # the same, said as the isolation level
    user: tuple[int, int] | None  # (uid, gid) children run as, if not the grader's
    workspace: object  # the Workspace its children's folders live in

    def alive(self) -> bool: ...
    def base_memory(self) -> int | None: ...
    def open_box(self, request: ChildRequest) -> Box: ...
    def kill_descendants(self) -> int: ...
    def close(self) -> None: ...


@dataclass(frozen=True)
class Backend:
    """A registered backend: how to start it, whether this machine has it, what confines it."""

    name: str  # also its isolation level, where it is not confined by the kernel
    start: Callable[[SandboxOptions], SandboxBackend]
    available: Callable[[], bool]
    kernel: bool  # confined by the kernel (else a class is graded only with --trust-student-code)
    help: str  # Korean, for --backend
    notice: str = ""  # Korean, without kernel confinement: what student code can then do


def _fork(options: SandboxOptions) -> SandboxBackend:
    from .client import Zygote, sandbox_user

    return Zygote(disabled=options.disabled, user=sandbox_user(options.sandbox_user))


def _fork_available() -> bool:
    from .portable import fork_backend_available

    return fork_backend_available()


def _portable(options: SandboxOptions) -> SandboxBackend:
    from .client import sandbox_user, zygote_env
    from .portable import PortableZygote

    return PortableZygote(zygote_env(), options.simulate, sandbox_user(options.sandbox_user))


BACKENDS = {backend.name: backend for backend in (
    Backend("fork", _fork, _fork_available, True, "리눅스의 격리된 zygote"),
    Backend("portable", _portable, lambda: True, False, "과제마다 새 Python 프로세스, 모든 운영체제",
            "portable 방식(커널 격리 없음: macOS, Windows): 학생 코드는 채점기와 같은 사용자로, 경계가 아닌 파이썬 "
            "감시 훅만 거쳐 실행됩니다. 악의적인 제출물은 참조 구현과 숨은 테스트를 읽고, 다른 제출물과 성적 파일을 "
            "바꾸고, 채점기 프로세스의 환경 변수(GH_TOKEN 같은 토큰)와 메모리를 읽고, 채점기의 파이썬 환경에 "
            "파일(.pth)을 심어 다음 실행 때 채점기의 권한으로 코드를 실행할 수 있습니다. 리눅스에서는 네임스페이스 "
            "없이 설 수 있는 층(사용자 바꾸기, capability 버리기, Landlock, seccomp, 자원 제한)이 서고 격리 수준이 "
            "그 층을 밝힙니다. 학생이 자기 과제를 확인하는 용도입니다."),
)}
#: The portable backend's children on Linux, said before the layers it lacks (see commands/isolation.py).
PORTABLE_LINUX = ("portable 방식(리눅스): 과제마다 새 파이썬 프로세스가 학생 코드를 불러오기 전에 아래에 빠졌다고 적히지 "
                  "않은 층에 들어갑니다. 네임스페이스는 쓰지 않습니다.")
AUTO = "auto"


def start(options: SandboxOptions) -> SandboxBackend:
    """The backend ``options.backend`` names, or with ``auto`` the first this machine has."""
    if options.backend == AUTO:
        return next(b for b in BACKENDS.values() if b.available()).start(options)
    backend = BACKENDS[options.backend]
    if not backend.available():
        other = next(b.name for b in BACKENDS.values() if b.available())
        raise GraderFault(f"이 컴퓨터에서는 {backend.name} 방식의 샌드박스를 쓸 수 없습니다 (--backend {other}을 쓰세요).")
    return backend.start(options)

