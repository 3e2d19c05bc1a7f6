"""Data-only messages between the grader and a sandboxed child.

A message is a JSON document; numpy arrays travel as ``{"__array__": dtype,
"shape": [...], "data": base64}``. Only numbers, strings, lists, dicts and
numeric arrays can cross: decoding never creates any other kind of object
(no pickle), so a child cannot smuggle code or objects into the grader.

Each frame on the socket is an 8-byte big-endian length followed by the UTF-8
JSON body. Frames are read with a deadline and a size cap, never "until EOF",
so a process the student leaves holding the socket cannot hang the reader.

This file runs on both sides and imports nothing but the standard library and
numpy.
"""

import base64
import json
import math
import select
import struct
import time

import numpy as np

HEADER = struct.Struct(">Q")
MAX_FRAME = 4 * 1024 * 1024  # far more than any value the suites exchange; bounds the grader's memory
MAX_INT_BITS = 1330  # about 400 decimal digits; larger integers are refused when encoding
MAX_INT_DIGITS = 410
ALLOWED_KINDS = "biuf"  # bool, signed, unsigned, float: no object, string or void dtypes
MAX_DEPTH = 32


class WireError(Exception):
    """A value cannot be encoded, or a frame is malformed."""


class WireTimeout(WireError):
    """No complete frame arrived before the deadline."""


class WireClosed(WireError):
    """The other side closed the socket (usually: the child died)."""


def encode(value, _depth=0):
    """Turn ``value`` into JSON-compatible data; raise WireError for anything else."""
    if _depth > MAX_DEPTH:
        raise WireError("value is nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)) and type(value) in (int, float):
        if type(value) is int and value.bit_length() > MAX_INT_BITS:
            raise WireError("integer too large")
        return _finite_or_tagged(value)
    if isinstance(value, np.generic):
        value = np.asarray(value)
    if isinstance(value, (int, float)):  # subclasses: keep only the number
        return encode(float(value) if isinstance(value, float) else int(value), _depth + 1)
    if isinstance(value, np.ndarray):
        array = np.asarray(value)
        if not array.flags.c_contiguous:
            array = array.copy(order="C")  # (np.ascontiguousarray would turn 0-d into 1-d)
        if array.dtype.kind not in ALLOWED_KINDS:
            raise WireError(f"unsupported array dtype {array.dtype}")
        array = array.astype(array.dtype.newbyteorder("<"), copy=False)
        return {
            "__array__": array.dtype.str,
            "shape": list(array.shape),
            "data": base64.b64encode(array.tobytes()).decode("ascii"),
        }
    if isinstance(value, (list, tuple)):
        return {"__seq__": type(value) is tuple, "items": [encode(v, _depth + 1) for v in value]}
    if isinstance(value, dict):
        if not all(type(k) is str for k in value):
            raise WireError("dict keys must be strings")
        return {"__dict__": {k: encode(v, _depth + 1) for k, v in value.items()}}
    raise WireError(f"unsupported type {type(value).__name__}")


def _finite_or_tagged(number):
    if isinstance(number, float) and not math.isfinite(number):
        return {"__float__": repr(number)}
    return number


def decode(data, _depth=0):
    """Inverse of :func:`encode`, validating every field of untrusted input."""
    if _depth > MAX_DEPTH:
        raise WireError("value is nested too deeply")
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is list:
        raise WireError("bare list in message")
    if type(data) is not dict:
        raise WireError(f"unexpected JSON type {type(data).__name__}")
    if "__float__" in data:
        text = data["__float__"]
        if text not in ("nan", "inf", "-inf"):
            raise WireError("bad float tag")
        return float(text)
    if "__array__" in data:
        return _decode_array(data)
    if "__seq__" in data:
        items = data.get("items")
        if type(items) is not list:
            raise WireError("bad sequence")
        values = [decode(v, _depth + 1) for v in items]
        return tuple(values) if data["__seq__"] is True else values
    if "__dict__" in data:
        mapping = data["__dict__"]
        if type(mapping) is not dict:
            raise WireError("bad mapping")
        return {str(k): decode(v, _depth + 1) for k, v in mapping.items()}
    raise WireError("unknown tagged value")


def _decode_array(data):
    try:
        dtype = np.dtype(str(data["__array__"]))
        shape = tuple(int(n) for n in data["shape"])
        raw = base64.b64decode(str(data["data"]), validate=True)
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise WireError(f"bad array: {exc}") from None
    if dtype.kind not in ALLOWED_KINDS or dtype.hasobject:
        raise WireError(f"unsupported array dtype {dtype}")
    if any(n < 0 or n > MAX_FRAME for n in shape) or len(shape) > 32:
        raise WireError("bad array shape")
    if math.prod(shape) * dtype.itemsize != len(raw):
        raise WireError("array data does not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def dumps(value) -> bytes:
    body = json.dumps(encode(value), separators=(",", ":")).encode("utf-8")
    if len(body) > MAX_FRAME:
        raise WireError(f"message of {len(body)} bytes exceeds {MAX_FRAME}")
    return HEADER.pack(len(body)) + body


def _parse_int(text: str) -> int:
    if len(text) > MAX_INT_DIGITS:
        raise WireError(f"integer with {len(text)} digits")
    return int(text)


def loads(body: bytes):
    try:
        return decode(json.loads(body.decode("utf-8"), parse_int=_parse_int))
    except (UnicodeDecodeError, ValueError, OverflowError, RecursionError, MemoryError) as exc:
        raise WireError(f"malformed message: {type(exc).__name__}") from None


def send(sock, value) -> None:
    sock.sendall(dumps(value))


def recv(sock, deadline=None):
    """Read one frame; ``deadline`` is a ``time.monotonic()`` value or None."""
    header = recv_exactly(sock, HEADER.size, deadline)
    (length,) = HEADER.unpack(header)
    if length > MAX_FRAME:
        raise WireError(f"frame of {length} bytes exceeds {MAX_FRAME}")
    return loads(recv_exactly(sock, length, deadline))


def recv_exactly(sock, size, deadline):
    """``size`` bytes from ``sock`` before ``deadline`` (WireTimeout, WireClosed otherwise)."""
    chunks, remaining = [], size
    while remaining:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([sock], [], [], wait)[0]:
                raise WireTimeout("no answer before the deadline")
        chunk = sock.recv(min(remaining, 1 << 20))
        if not chunk:
            raise WireClosed("connection closed")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
