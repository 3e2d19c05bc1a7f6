"""What a child's reply means to the grader, believed only as far as it is checked.

A child reports errors, the instances' params and notes about the machine;
everything it sends is student-controlled: text is made safe for a terminal,
numbers and lists are checked, and nothing is executed. Once the student's
module was imported, whatever the child says is the student's doing (their
code can replace the child's own reporting code, ``instances.state`` say),
so a reply that breaks the protocol's shapes is that student's error for
that call (``MalformedReply``), never a grader fault. Every string in a
reply, and in an error the child reports, goes through ``redact`` (see
``grade/hidden.py``) before any message, feedback or gradebook can show it.
"""

from __future__ import annotations

import errno
import re

import numpy as np

from ..protocol import CallResult, StudentCodeError, StudentDiskError, StudentError, StudentMemoryError

MACHINE_NOTES = {
    "memory": "이 컴퓨터에서는 메모리 제한을 걸 수 없어 검사하지 않습니다 (채점 환경의 성질이며 점수와는 관계없습니다).",
    "cpu": "이 컴퓨터에서는 CPU 시간 제한을 걸 수 없어 호출마다의 시간 제한만 검사합니다 (점수와는 관계없습니다).",
    "file": "이 컴퓨터에서는 출력 파일 크기 제한을 걸 수 없어 검사하지 않습니다 (점수와는 관계없습니다).",
    "group": "이 컴퓨터에서는 학생 코드가 만든 프로세스를 한꺼번에 정리할 수 없어 함수를 실행한 프로세스만 끝냅니다 "
             "(점수와는 관계없습니다).",
}
DISK_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))  # the kernel's tmpfs budget said no
NUMBERS = (int, float)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str, limit: int = 500) -> str:
    """Student-controlled text made safe for a terminal: control and bidi characters neutralised."""
    return CONTROL.sub(lambda m: "\\x%02x" % ord(m.group()) if ord(m.group()) < 0x100 else "\\u%04x" % ord(m.group()),
                       str(text))[:limit]


def student_error(error, disk_mb: int, during_import: bool = False) -> StudentError:
    """The error a child reported; a write the kernel's tmpfs budget refused is a disk error."""
    if isinstance(error, dict) and error.get("errno") in DISK_FULL:
        return StudentDiskError(disk_mb)
    return code_error(error, during_import)


def code_error(error, during_import: bool = False) -> StudentCodeError:
    error = error if isinstance(error, dict) else {}
    kind = clean(error.get("type", "Error"), 100)
    message = clean(error.get("message", ""), 500)
    frames = [[clean(f[0], 200), f[1] if isinstance(f[1], int) else 0, clean(f[2], 100), clean(f[3], 200)]
              for f in error.get("frames", []) if isinstance(f, list) and len(f) == 4][:5]
    module = clean(error.get("module", ""), 100)
    cls = StudentMemoryError if kind == "MemoryError" else StudentCodeError
    return cls(kind, message, frames, during_import, module)


def scrub(value, redact):
    """``value`` with every string in it (keys of dicts included) passed through ``redact``; where only its
    strings joined hold what ``redact`` clears (a line cut between an error's type and its message, or
    between the items of a list, or a dict's keys), every string of it (keys only where they take part) is
    cleared."""
    scrubbed = _each_string(value, redact, redact)
    for keys in (False, True):
        texts = list(_strings(scrubbed, keys))
        joined = "".join(texts)
        if len(texts) > 1 and (cleared := redact(joined)) != joined:
            return _each_string(scrubbed, lambda text: cleared, (lambda text: cleared) if keys else str)
    return scrubbed


def _strings(value, keys: bool):
    """The strings of ``value`` in order (its dicts' keys too, with ``keys``)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item, keys)
    elif isinstance(value, dict):
        for key, item in value.items():
            if keys:
                yield from _strings(key, keys)
            yield from _strings(item, keys)


def _each_string(value, change, change_key):
    """``value`` with ``change`` applied to every string in it, ``change_key`` to its dicts' string keys."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_each_string(v, change, change_key) for v in value)
    if isinstance(value, dict):
        return {change_key(k) if isinstance(k, str) else k: _each_string(v, change, change_key)
                for k, v in value.items()}
    return value


def malformed(what: str) -> StudentCodeError:
    return StudentCodeError("MalformedReply", what, [])


def call_result(reply: dict, after: dict, positions: int, names, redact) -> CallResult:
    """The :class:`CallResult` of a successful reply, or :func:`malformed` if a part breaks the protocol."""
    return CallResult(value=scrub(reply.get("value"), redact),
                      args_after=[after.get(i) for i in range(positions)],
                      kwargs_after={k: after.get(("kw", k)) for k in names},
                      probes=scrub(_probes(reply.get("probes", [])), redact),
                      instances_after=_instances(reply.get("instances_after", {})))


def _probes(probes) -> list[dict]:
    """``[{"name": str, "calls": int, "foreign_calls": int?, "batches": [number]?}]`` as the child counted."""
    if not isinstance(probes, list) or not all(isinstance(p, dict) for p in probes):
        raise malformed("probes")
    for probe in probes:
        counts = [probe.get("calls"), *([probe["foreign_calls"]] if "foreign_calls" in probe else [])]
        if not (isinstance(probe.get("name"), str) and all(type(c) is int and c >= 0 for c in counts)
                and set(probe) <= {"name", "calls", "foreign_calls", "batches"}):
            raise malformed("probes")
        if "batches" in probe and not (isinstance(probe["batches"], list)
                                       and all(type(b) in NUMBERS for b in probe["batches"])):
            raise malformed("probes")
    return probes


def _instances(reported) -> dict:
    """Each instance argument's ``params`` as the child reports them (``{param: float array}`` or None),
    keyed by argument position or name."""
    if not isinstance(reported, dict):
        raise malformed("instances_after")
    out = {}
    for key, params in reported.items():
        if not isinstance(key, str) or not (params is None or _float_arrays(params)):
            raise malformed("instances_after")
        out[int(key) if key.isdigit() else key] = params
    return out


def _float_arrays(params) -> bool:
    return isinstance(params, dict) and all(isinstance(k, str) and isinstance(v, np.ndarray) and v.dtype == np.float64
                                            for k, v in params.items())


def refused_limits(refused) -> list[str]:
    """The names of the limits a child said this platform refused (strings only)."""
    return [n for n in (refused if isinstance(refused, list) else []) if isinstance(n, str)]
