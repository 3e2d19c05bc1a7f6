"""Run a command as on a kernel that refuses user namespaces, then exec it.

    python tests/without_userns.py [--no-namespaces] -- COMMAND [ARG...]

Installs a seccomp filter, inherited by everything COMMAND starts, that makes
``unshare()`` and ``clone()`` with ``CLONE_NEWUSER`` fail with EPERM, as
Ubuntu 23.10+'s AppArmor restriction does for unprivileged users. With
``--no-namespaces`` every namespace flag and ``mount()`` fail too, as under
Docker's default seccomp profile. ``clone3()`` says ENOSYS (a filter cannot
read its flags), so the C library falls back on ``clone()``.
"""

import errno
import os
import sys

import pyseccomp as seccomp

CLONE_NEWUSER = 0x10000000
ALL_NAMESPACES = (0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000, 0x00000080)


def install(no_namespaces: bool) -> None:
    syscalls = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    refuse = seccomp.ERRNO(errno.EPERM)
    for flag in ALL_NAMESPACES if no_namespaces else (CLONE_NEWUSER,):
        for name in ("unshare", "clone"):
            syscalls.add_rule(refuse, name, seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    if no_namespaces:
        syscalls.add_rule(refuse, "mount")
    syscalls.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    syscalls.load()


def main(argv: list[str]) -> None:
    no_namespaces = "--no-namespaces" in argv[: argv.index("--")]
    command = argv[argv.index("--") + 1:]
    install(no_namespaces)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
