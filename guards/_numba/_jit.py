"""The one numba decorator of vfa: every kernel is compiled lazily, cached on disk, without the GIL."""

from __future__ import annotations

import numba as nb

jit = nb.njit(cache=True, nogil=True)
