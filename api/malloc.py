"""The server process's allocator settings: glibc malloc, bounded so that memory freed after a
burst of large requests goes back to the system (issue 15: idle RSS grew from 135 to 991 MB
across an attack and never came back).

Two glibc behaviours kept the memory: every thread that allocates may get an arena of its own
(up to 8 per core; the server answers from a pool of 40 threads), and the threshold above which
a block is mapped on its own (and unmapped when freed) grows to the largest block freed, up to
32 MB, so after one 16 MB answer every later one came from the arenas and stayed there. Fixing
the threshold at 1 MB and the arenas at two keeps large answers and bodies out of the heap;
`trim()` hands back what the heap still holds after a large answer. Measured in
docs/performance.md. Elsewhere than glibc (musl, macOS) both are no-ops.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_MMAP_THRESHOLD, M_ARENA_MAX = -3, -8  # mallopt parameters, from glibc's malloc.h
MMAP_THRESHOLD = 1024 * 1024
ARENAS = 2


def _glibc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


def tune() -> bool:
    """Fix the mmap threshold and the number of arenas; True where glibc took both."""
    libc = _glibc()
    if libc is None:
        return False
    return bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(libc.mallopt(M_ARENA_MAX, ARENAS))


def trim() -> None:
    """Return the free memory at the top of glibc's heaps to the system (a few ms)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


__all__ = ["trim", "tune"]
