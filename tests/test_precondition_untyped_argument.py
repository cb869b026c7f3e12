"""A precondition over an argument whose type it cannot reason about says so.

README "Quickstart": `@requires("0 < amount <= state.balance", ...)` over `def transfer(to: str, amount: int)`.
A new user whose tool leaves an argument unannotated (`def transfer(to, amount)`), or types it with what Z3
cannot reason about (`amount: Decimal`, `to: dict`), was told at compile time

    precondition `amount <= 100` at `amount`: unknown name `amount` (known names: none; ...)

though `amount` is the tool's argument: the sort lookup drops such an argument silently, and the clause then
calls it unknown. The reason (its type, and which types a precondition can use) was computed and thrown away.

What must hold: the `PolicyError` names the argument's type as the problem, and never calls a name the tool
takes "unknown"; a name the tool does not take is still "unknown".

Fixed: arg_sorts keeps why an argument has no sort (ArgSorts.unsupported) and the clause parser reports it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import BaseModel

from guards import ensures, requires
from vfa import PolicyError


def untyped(to, amount):
    """Send money."""
    return "sent"


def decimal_amount(to: str, amount: Decimal) -> str:
    """Send money."""
    return "sent"


@pytest.mark.parametrize("tool", [untyped, decimal_amount], ids=["unannotated", "Decimal"])
def test_an_argument_of_no_usable_type_is_named_by_its_type(tool):
    with pytest.raises(PolicyError) as caught:
        requires("amount <= 100")(tool)
    message = str(caught.value)
    assert "unknown name" not in message, message
    assert "amount" in message and "cannot reason about" in message, message


class Account(BaseModel):
    balance: int


def test_a_postcondition_says_so_too():
    with pytest.raises(PolicyError) as caught:
        ensures("state.balance -= amount", state=Account)(untyped)
    assert "unknown name `amount`" not in str(caught.value), caught.value


def test_a_name_the_tool_does_not_take_is_still_unknown():
    with pytest.raises(PolicyError, match="unknown name `amout`"):
        requires("amout <= 100")(decimal_amount)


def test_an_unusable_argument_no_clause_names_is_fine():
    requires("len(to) > 0")(decimal_amount)
