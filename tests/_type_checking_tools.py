"""Tools whose annotations name types imported under TYPE_CHECKING only (read by `test_tools_type_checking_hints`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vfa import effect

if TYPE_CHECKING:
    from decimal import Decimal
    from fractions import Fraction

PAID: list[tuple[str, int]] = []


@effect
def pay(to: str, amount: int) -> Decimal:
    """Pay someone."""
    PAID.append((to, amount))
    return amount  # type: ignore[return-value]


@effect
def pay_fraction(to: str, amount: Fraction) -> str:
    """Pay a fraction."""
    return "paid"
