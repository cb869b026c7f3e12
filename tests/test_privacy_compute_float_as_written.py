"""Red team 134: `compute` compares a float by its binary expansion, so 1234.1 is not "1234.1".

Guarantee (docs/privacy.md, "Working on a handle"): comparisons are made "as numbers when both sides read as
numbers". Red team 133 made `_number` exact (`Decimal`) for ints past the float range, but a float is
turned into `Decimal(value)`, the exact binary value: `Decimal(1234.1)` is 1234.09999999999990905052982270717620849609375.
So a balance a tool returns as the float 1234.1, compared with the amount "1234.1" the user typed, is
neither equal nor at least it (`eq` and `ge` are False; before the change, both True), and "$99.99" is not
99.99: the model is told wrong answers about the user's own values (a budget check, "can I afford it").
A float stands for the decimal Python writes for it (its repr), as the amount it was read from.

Fixed: a float compares as the decimal it prints as (`Decimal(repr(v))`); ints stay exact.
"""

from __future__ import annotations

from guards import compute

run = compute.func if hasattr(compute, "func") else compute


def test_a_float_compares_as_the_number_it_writes() -> None:
    assert run(1234.1, "eq", "1234.1") is True
    assert run(1234.1, "ge", "1234.1") is True
    assert run(99.99, "eq", "$99.99") is True
    assert run(0.1, "le", "0.1") is True
    assert run("0.1", "eq", 0.1) is True


def test_exact_where_it_was_made_exact() -> None:
    # red team 133's cases stay exact: ints past 2**53 and the float range
    assert run(2**53 + 1, "ne", 2**53) is True
    assert run(10**400 + 1, "gt", str(10**400)) is True
    assert run(1e308, "lt", str(10**309)) is True
    assert run(float("nan"), "eq", "nan") is True  # no number: compared as texts
