"""The data-only channel: what crosses it, and what it refuses."""

import base64
import json
import socket
import threading
import time

import numpy as np
import pytest

from autograder.protocol import wire


@pytest.mark.parametrize("value", [
    None, True, 3, -2.5, "글자", float("nan"), float("inf"),
    [1, 2.0, "x"], (1, 2), {"a": [np.arange(6).reshape(2, 3)]},
    np.array(3.5), np.zeros((0, 4)), np.array([True, False]), np.arange(5, dtype=np.int8),
    np.ones((2, 2), dtype=np.float32), np.float64(0.25),
])
def test_roundtrip(value):
    back = wire.loads(wire.dumps(value)[wire.HEADER.size:])
    if isinstance(value, (np.ndarray, np.generic)):
        assert np.array_equal(back, value) and back.dtype == np.asarray(value).dtype
        assert back.flags.writeable
    elif isinstance(value, float) and np.isnan(value):
        assert np.isnan(back)
    elif isinstance(value, dict):
        assert np.array_equal(back["a"][0], value["a"][0])
    else:
        assert back == value and type(back) is type(value)


@pytest.mark.parametrize("value", [
    np.array([object()]), np.array(["text"]), lambda: 1, {1: "non-string key"}, {1, 2}, b"bytes",
])
def test_refuses_anything_but_data(value):
    with pytest.raises(wire.WireError):
        wire.dumps(value)


def test_subclasses_arrive_as_plain_values():
    class Sneaky(float):
        def __eq__(self, other):
            return True

    back = wire.loads(wire.dumps([Sneaky(1.5), np.zeros(2).view(np.matrix)])[wire.HEADER.size:])
    assert type(back[0]) is float and back[0] == 1.5 and back[0] != 2.0
    assert type(back[1]) is np.ndarray


@pytest.mark.parametrize("body", [
    {"__array__": "|O", "shape": [1], "data": ""},
    {"__array__": "<f8", "shape": [3], "data": base64.b64encode(b"\0" * 8).decode()},
    {"__array__": "<f8", "shape": [-1], "data": ""},
    {"__float__": "1e308*10"},
    {"__pickle__": "..."},
    [1, 2],
])
def test_decoding_validates_untrusted_input(body):
    with pytest.raises(wire.WireError):
        wire.loads(json.dumps(body).encode())


def test_recv_honours_deadline_and_size_cap():
    """A silent peer ends in WireTimeout (how soon is the benchmarks' business, not a test's)."""
    ours, theirs = socket.socketpair()
    with pytest.raises(wire.WireTimeout):
        wire.recv(ours, time.monotonic() + 0.2)
    with pytest.raises(wire.WireTimeout):
        wire.recv(ours, time.monotonic() - 1)  # a deadline already past: no wait at all
    theirs.sendall(wire.HEADER.pack(wire.MAX_FRAME + 1))
    with pytest.raises(wire.WireError, match="exceeds"):
        wire.recv(ours, time.monotonic() + 1)
    theirs.close()
    with pytest.raises(wire.WireClosed):
        wire.recv(ours, time.monotonic() + 1)


def test_a_frame_arriving_in_pieces_is_reassembled():
    ours, theirs = socket.socketpair()
    frame = wire.dumps({"x": np.arange(100000.0)})

    def trickle():
        for i in range(0, len(frame), 65536):
            theirs.sendall(frame[i:i + 65536])
            time.sleep(0.001)

    threading.Thread(target=trickle).start()
    assert np.array_equal(wire.recv(ours, time.monotonic() + 5)["x"], np.arange(100000.0))
