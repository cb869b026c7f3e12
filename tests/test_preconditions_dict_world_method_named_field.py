"""A dict held where a model is declared is read by key by the fast path, a field named like a dict method too.

What must hold: for `Shop(stock={"items": 5})` (a dataclass, unvalidated, holding a dict where `Stock` is declared),
`requires("n <= state.stock.items")` allows `n=1` on the fast path, as the Z3 reference (`read_path`: `[...]` on
a Mapping) does; a value that does not fit is still denied.

Before, the declared-type reader read `stock.items` by attribute, got the dict's `items` method, and raised
BadValue ("<built-in method items ...> is not a valid int"); only a KeyError, AttributeError, TypeError or
IndexError fell back to the mapping reader, so the call was denied where Z3 allows it.

Fixed: the fast path's fallback to the mapping reader catches BadValue too (Precondition.check).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from guards import requires
from guards._fastpath import BadValue
from guards._reference import ReferenceCheck
from vfa import ToolSpec, effect

import pytest


class Stock(BaseModel):
    items: int


@dataclass
class Shop:
    stock: Stock


@effect
@requires("n <= state.stock.items", state=Shop)
def sell(n: int) -> str:
    """Sell n items."""
    return ""


PRE = ToolSpec.of(sell).guards[0].precondition


def test_fast_path_reads_the_key_as_z3_does() -> None:
    world = Shop(stock={"items": 5})  # type: ignore[arg-type]
    assert ReferenceCheck(PRE).decide({"n": 1}, world)[0] == "sat"
    assert PRE.holds({"n": 1}, world)
    assert not PRE.holds({"n": 6}, world)


def test_a_bad_value_is_still_refused() -> None:
    with pytest.raises(BadValue):
        PRE.holds({"n": 1}, Shop(stock={"items": "5"}))  # type: ignore[arg-type]
