"""Memory freed goes back to the system: glibc keeps freed buffers for the process unless told not to,
and a server that held many visitors' models once would stay that large."""

import ctypes
import ctypes.util
import functools


@functools.cache
def glibc():
    """glibc, where the app runs on it (Linux); None elsewhere."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None
    except OSError:
        return None


LARGE_BUFFER = 1 << 20  # bytes: a buffer this large gets a mapping of its own
M_MMAP_THRESHOLD = -3  # glibc's mallopt() parameter


def return_freed_memory() -> None:
    """Make memory the app frees go back to the system. glibc keeps freed buffers for reuse and, once
    a large one is freed, raises its threshold for mapping buffers apart (up to 32 MB): visitors' models
    coming and going (4-24 MB each) then stay in the process for good, far over the models' budget.
    With a fixed threshold, every large buffer is unmapped when freed; `trim()` (the sweeper's) hands
    back the rest. Where the C library is not glibc, both do nothing."""
    libc = glibc()
    if libc is not None:
        libc.mallopt(M_MMAP_THRESHOLD, LARGE_BUFFER)


def trim() -> None:
    """Hand the free memory at the top of the C library's heaps back to the system."""
    libc = glibc()
    if libc is not None:
        libc.malloc_trim(0)
