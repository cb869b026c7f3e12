"""Weak references that keep what cannot be referred to weakly: for modules that remember objects they do not own."""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any

__all__ = ["weakly"]


def weakly(obj: Any) -> Callable[[], Any]:
    """A weak reference to `obj`, or one that keeps it where it takes none."""
    try:
        return weakref.ref(obj)
    except TypeError:
        return functools.partial(lambda kept: kept, obj)
