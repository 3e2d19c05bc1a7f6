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
import socket
import struct
import time

import numpy as np

HEADER = struct.Struct(">Q")
MAX_FRAME = 4 * 1024 * 1024  # far more than any value the suites exchange; bounds the grader's memory
MAX_INT_BITS = 1330  # about 400 decimal digits; larger integers are refused when encoding
MAX_INT_DIGITS = 410
ALLOWED_KINDS = "biuf"  # bool, signed, unsigned, float: no object, string or void dtypes
MAX_DEPTH = 32
NO_WAIT = getattr(socket, "MSG_DONTWAIT", 0)  # where the platform has it (not Windows)


class WireError(Exception):
    """A value cannot be encoded, or a frame is malformed."""


class WireTimeout(WireError):
    """No complete frame arrived before the deadline."""


class WireClosed(WireError):
    """The other side closed the socket (usually: the child died)."""


def encode(value, _depth=0):
    """Turn ``value`` into JSON-compatible data; raise WireError for anything else."""
    kind = type(value)
    if kind is float:
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if kind is str or kind is bool or value is None:
        return value
    if kind is int:
        if value.bit_length() > MAX_INT_BITS:
            raise WireError("integer too large")
        return value
    if kind is np.ndarray:
        return _encode_array(value)
    if _depth > MAX_DEPTH:
        raise WireError("value is nested too deeply")
    if kind is list or kind is tuple:
        return {"__seq__": kind is tuple, "items": [encode(v, _depth + 1) for v in value]}
    if kind is dict:
        if not all(type(k) is str for k in value):
            raise WireError("dict keys must be strings")
        return {"__dict__": {k: encode(v, _depth + 1) for k, v in value.items()}}
    return _encode_subclass(value, _depth)


def _encode_subclass(value, _depth):
    """Subclasses of the types above, and numpy scalars: kept as the plain value they are."""
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, np.generic):
        return _encode_array(np.asarray(value))
    if isinstance(value, float):
        return encode(float(value), _depth + 1)
    if isinstance(value, int):
        return encode(int(value), _depth + 1)
    if isinstance(value, np.ndarray):
        return _encode_array(np.asarray(value))
    if isinstance(value, (list, tuple)):  # a tuple subclass (a named tuple) travels as a list
        return {"__seq__": False, "items": [encode(v, _depth + 1) for v in value]}
    if isinstance(value, dict):
        if not all(type(k) is str for k in value):
            raise WireError("dict keys must be strings")
        return {"__dict__": {k: encode(v, _depth + 1) for k, v in value.items()}}
    raise WireError(f"unsupported type {type(value).__name__}")


_LITTLE: dict = {}  # an allowed dtype -> (its little-endian dtype, that dtype's name)


def _little(dtype):
    found = _LITTLE.get(dtype)
    if found is None:
        if dtype.kind not in ALLOWED_KINDS:
            raise WireError(f"unsupported array dtype {dtype}")
        little = dtype.newbyteorder("<")
        found = _LITTLE[dtype] = (little, little.str)
    return found


def _encode_array(array):
    little, name = _little(array.dtype)
    if not array.flags.c_contiguous:
        array = array.copy(order="C")  # (np.ascontiguousarray would turn 0-d into 1-d)
    if array.dtype != little or array.dtype.byteorder == ">":
        array = array.astype(little)
    return {"__array__": name, "shape": list(array.shape), "data": base64.b64encode(array.tobytes()).decode("ascii")}


def decode(data, _depth=0):
    """Inverse of :func:`encode`, validating every field of untrusted input."""
    kind = type(data)
    if kind is float or kind is int or kind is str or kind is bool or data is None:
        return data
    if kind is list:
        raise WireError("bare list in message")
    if kind is not dict:
        raise WireError(f"unexpected JSON type {kind.__name__}")
    if "__array__" in data:
        return _decode_array(data)
    if _depth > MAX_DEPTH:
        raise WireError("value is nested too deeply")
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
    if "__float__" in data:
        text = data["__float__"]
        if text not in ("nan", "inf", "-inf"):
            raise WireError("bad float tag")
        return float(text)
    raise WireError("unknown tagged value")


_DTYPES: dict = {}  # a dtype's name as sent -> the dtype, once checked


def _dtype(name) -> np.dtype:
    dtype = _DTYPES.get(name) if type(name) is str else None
    if dtype is None:
        dtype = np.dtype(str(name))
        if dtype.kind not in ALLOWED_KINDS or dtype.hasobject:
            raise WireError(f"unsupported array dtype {dtype}")
        if type(name) is str and len(_DTYPES) < 64:
            _DTYPES[name] = dtype
    return dtype


def _decode_array(data):
    try:
        dtype = _dtype(data["__array__"])
        shape = tuple(int(n) for n in data["shape"])
        raw = base64.b64decode(str(data["data"]), validate=True)
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise WireError(f"bad array: {exc}") from None
    if len(shape) > 32 or any(n < 0 or n > MAX_FRAME for n in shape):
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
            chunk = _recv_waiting(sock, min(remaining, 1 << 20), deadline)
        else:
            chunk = sock.recv(min(remaining, 1 << 20))
        if not chunk:
            raise WireClosed("connection closed")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _recv_waiting(sock, size, deadline):
    """What ``sock`` has (up to ``size`` bytes), waiting for it until ``deadline``: data already there is
    read without asking ``select`` first."""
    if NO_WAIT:
        try:
            return sock.recv(size, NO_WAIT)
        except BlockingIOError:
            pass
    wait = deadline - time.monotonic()
    if wait <= 0 or not select.select([sock], [], [], wait)[0]:
        raise WireTimeout("no answer before the deadline")
    return sock.recv(size)
