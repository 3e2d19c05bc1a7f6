"""The isolation level: what confinement a machine gave its children, said as it is.

``caps`` is what the zygote found by trying each layer (see
:mod:`detect`); :func:`level` names the layers in force
(``landlock-abi7+userns+pidns+netns+disk-tmpfs+seccomp+nocaps+pids+rlimits+user:nobody``; the
portable backend's start with ``portable``: on Linux
``portable+landlock-abi7+disk-walk+seccomp+nocaps+rlimits+user:nobody``, on macOS and Windows
``portable`` alone) and :func:`shortfalls` the ones a class of possibly hostile students needs
but this machine lacks. Both sides use it: the zygote to report, the grader
to decide whether it may grade a class. Imports nothing.
"""

#: What grading a class needs, and which ``caps`` entry says it holds.
CLASS_LAYERS = ("landlock", "seccomp", "rlimits")


def level(caps: dict) -> str:
    """The layers in force, ``+``-joined (starting with ``portable`` for the portable backend)."""
    parts = ["portable"] if caps.get("portable") else []
    parts += [f"landlock-abi{caps['landlock']}"] if caps.get("landlock") else []
    if caps.get("namespaces"):
        parts += (["userns"] if caps.get("userns") else []) + ["pidns", "netns"]
    if not caps.get("portable") or caps.get("nocaps"):
        parts.append("disk-tmpfs" if caps.get("tmpfs") else "disk-walk")
    parts += [name for name in ("seccomp", "nocaps", "pids", "nproc") if caps.get(name)]
    if caps.get("rlimits"):
        parts.append("rlimits" if caps.get("memory_limit", True) else "rlimits-no-memory")
    if caps.get("user"):
        parts.append(f"user:{caps['user']}")
    elif caps.get("root"):
        parts.append("root-nocaps" if caps.get("nocaps") else "root")
    return "+".join(parts)


def shortfalls(caps: dict) -> list[str]:
    """Layers missing for grading a class: ``portable``, ``landlock``, ``seccomp``, ``rlimits``, ``root``."""
    if caps.get("portable"):
        return ["portable"]
    missing = [name for name in CLASS_LAYERS if not caps.get(name)]
    return missing + (["root"] if caps.get("root") else [])
