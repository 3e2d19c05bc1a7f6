"""The isolation level told to the instructor: the layers in force, and what each missing one allows.

The level comes from the sandbox (``sandbox/levels.py``): every layer it
names was found working on this machine. Each layer it does not name gets
one plain Korean sentence saying what student code can then do.
"""

from __future__ import annotations

from rich.console import Console

from ..sandbox.backend import BACKENDS, PORTABLE_LINUX

TRUST_FLAG = "--trust-student-code"

#: (missing when no token starts with this, what student code can then do)
MISSING = (
    ("landlock", "Landlock 없음: 학생 코드가 채점기를 실행한 사용자가 읽을 수 있는 모든 파일(참조 구현 solutions/, "
                 "숨은 테스트, 다른 학생의 제출물, 성적 파일)을 읽고, 그 사용자가 쓸 수 있는 파일을 바꿀 수 있습니다. "
                 "막는 것은 파이썬 감시 훅뿐인데, 훅은 경계가 아닙니다."),
    ("seccomp", "seccomp 없음: 학생 코드가 프로그램을 실행하고(메모리에 만든 실행 파일 포함) 소켓으로 데이터를 보내며, "
                "다른 프로세스에 신호를 보내거나 우선순위를 바꿔 같이 채점되는 학생을 느리게 할 수 있습니다."),
    ("pidns", "PID·네트워크 네임스페이스 없음: 학생 코드가 프로세스를 만들거나 네트워크에 닿는 것을 막는 층은 "
              "seccomp뿐입니다(seccomp도 없으면 둘 다 할 수 있습니다)."),
    ("disk-tmpfs", "작업 폴더 크기를 커널(tmpfs)이 지키지 못함: 학생 코드는 채점기가 기다리며 0.25초마다 작업 폴더를 "
                   "재는 동안에만 돌지만, 검사와 검사 사이에는 예산보다 많이 쓸 수 있습니다(그 제출물만 디스크 오류가 "
                   "나고, 다음 제출물 전에 폴더를 비웁니다)."),
    ("rlimits", "자원 제한(rlimit) 없음: 메모리·CPU 시간·파일 크기를 제한하지 못해 메모리 폭탄이 이 기계의 메모리를 "
                "다 쓸 수 있습니다."),
)
THREADS = ("스레드 수 제한 없음(pids cgroup도, 자기 사용자 네임스페이스의 RLIMIT_NPROC도 없음): 스레드 폭탄이 이 사용자의 "
           "프로세스 한도를 채우면 같은 시간에 채점 중인 다른 제출물의 자식이 시작하지 못할 수 있습니다(그 제출물은 "
           "다시 채점됩니다).")
ROOT = ("자식이 root로 실행됨(capability는 없음): 채점용 사용자가 이 파이썬 설치를 읽을 수 없고 마운트 네임스페이스도 "
        "쓸 수 없어 사용자를 바꾸지 못했습니다. root 소유 파일의 소유자 권한이 남아 Landlock만이 파일 경계입니다. "
        "파이썬을 모든 사용자가 읽을 수 있는 곳에 설치하세요.")


def missing_layers(level: str) -> list[str]:
    """One Korean sentence per layer ``level`` lacks, saying what student code can then do (a backend without
    kernel confinement has a notice of its own: see sandbox/backend.py)."""
    unconfined = BACKENDS.get(level)
    if unconfined is not None and not unconfined.kernel:
        return [unconfined.notice]
    tokens = level.split("+")
    if tokens[0] == "portable":  # on Linux: the layers that need no namespace, each named
        return [PORTABLE_LINUX] + missing_layers("+".join(tokens[1:]))
    lines = [text for prefix, text in MISSING if not any(t.startswith(prefix) for t in tokens)]
    if not {"pids", "nproc"} & set(tokens):
        lines.append(THREADS)
    if "root" in tokens or "root-nocaps" in tokens:
        lines.append(ROOT)
    return lines


def isolation_notice(console: Console, level: str | None) -> None:
    """``격리 수준: ...`` and, in yellow, what each missing layer allows."""
    if not level:
        return
    console.print(f"격리 수준: {level}", markup=False)
    for line in missing_layers(level):
        console.print(f"- {line}", style="yellow", markup=False)


def refusal(console: Console, level: str) -> None:
    """Why a class is not graded at this level, and the flag that accepts the risk."""
    isolation_notice(console, level)
    console.print(f"이 격리 수준으로는 반 전체를 채점하지 않습니다: 한 학생의 악의적인 코드가 다른 학생의 성적이나 채점기의 "
                  f"비밀을 건드릴 수 있습니다. Landlock과 seccomp가 있는 리눅스에서 채점하거나(root로 채점한다면 파이썬을 모든 "
                  f"사용자가 읽을 수 있게), 모든 제출물을 믿을 수 있을 때만 {TRUST_FLAG}를 주세요.", style="red", markup=False)
