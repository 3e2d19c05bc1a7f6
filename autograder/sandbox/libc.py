"""The C library, loaded once (``ctypes.CDLL`` costs a ``dlopen`` each time): for the calls Python lacks."""

import ctypes
import functools


@functools.lru_cache(maxsize=1)
def libc() -> ctypes.CDLL:
    library = ctypes.CDLL(None, use_errno=True)
    library.syscall.restype = ctypes.c_long
    return library
