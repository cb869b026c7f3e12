"""The one numba decorator of vfa: every kernel is compiled lazily, cached on disk, without the GIL."""

from __future__ import annotations

import warnings

import numba as nb

_cached = nb.njit(cache=True, nogil=True)
_uncached = nb.njit(nogil=True)
_warned = False


def jit(fn):  # type: ignore[no-untyped-def]
    """Compile `fn` lazily with numba, cached on disk where numba finds a writable cache directory.

    Numba picks the cache's place when a kernel is decorated (NUMBA_CACHE_DIR, the package's
    `__pycache__`, the user's cache directory) and raises where none is writable: a read-only
    install run by another user, a serverless home. The kernel is then compiled in memory
    instead (each new process compiles again), not refused: an import error would deny every
    motion for a reason that is not the motion's.
    """
    try:
        return _cached(fn)
    except RuntimeError as exc:
        if "cannot cache" not in str(exc):
            raise
        global _warned
        if not _warned:  # once: every kernel of the process meets the same directories
            _warned = True
            warnings.warn(f"vfa: numba found no writable cache directory ({exc}); kernels are compiled in memory "
                          "at each start: set NUMBA_CACHE_DIR to a writable directory to keep them",
                          RuntimeWarning, stacklevel=2)
        return _uncached(fn)
