"""Preconditions and postconditions stacked on a LangChain tool object are all kept, as on a function.

Since `annotate` declares on the code a `@tool` runs (vfa/_effects.py), `requires(...)` and `ensures(...)`
over a tool object write their `preconditions` / `postconditions` onto the tool's function. But each reads
the ones declared before it from the object it is given (guards/_preconditions.py `_existing`): a tool object
holds none, so each decorator replaces what the one below it declared. The guards themselves are kept (each
call is still judged at run time), but what reads the declarations loses all but the last: `verify_plan` (and
`plan_then_execute`) approves a plan whose second payment overdraws the balance, because the precondition
`amount <= state.balance` and the postcondition `state.balance -= amount` are gone, so the plan starts, pays
once, and is denied halfway; the agent's lint and `ensures`' "assigned twice" check see one clause too.

What must hold: a tool object stacked with two `requires` and two `ensures` declares all four, and
`verify_plan` judges its plan as it judges the same stack on a plain function.

Fixed: vfa._effects.declared_on names what a declaration goes on (a tool's function and coroutine, or the
object itself); annotate and guards._preconditions._existing both use it.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.tools import tool
from pydantic import BaseModel

from guards import ensures, requires, verify_plan
from vfa import PolicyError
from vfa._tools import ToolSpec


class Account(BaseModel):
    balance: int
    paid: int


def _pay(as_tool: bool) -> Any:
    def pay(amount: int) -> str:
        """Pay an amount."""
        return "paid"

    fn: Any = tool(pay) if as_tool else pay
    fn = requires("amount <= state.balance", state=Account)(fn)
    fn = requires("amount <= 50", state=Account)(fn)
    fn = ensures("state.balance -= amount", state=Account)(fn)
    return ensures("state.paid += amount", state=Account)(fn)


@pytest.mark.parametrize("as_tool", [False, True], ids=["function", "tool"])
def test_every_stacked_condition_is_declared(as_tool: bool) -> None:
    meta = ToolSpec.of(_pay(as_tool)).meta
    assert len(meta.get("preconditions", ())) == 2
    assert len(meta.get("postconditions", ())) == 2


@pytest.mark.parametrize("as_tool", [False, True], ids=["function", "tool"])
def test_a_plan_that_overdraws_is_rejected_before_its_first_step(as_tool: bool) -> None:
    plan = [("pay", {"amount": 40}), ("pay", {"amount": 40})]
    result = verify_plan(plan, [_pay(as_tool)], initial=Account(balance=60, paid=0))
    assert not result.ok, "a plan paying 80 out of 60 was verified"
    assert result.failed_step == 1


def test_a_field_assigned_twice_on_a_tool_is_refused() -> None:
    @tool
    def pay(amount: int) -> str:
        """Pay an amount."""
        return "paid"

    once = ensures("state.balance -= amount", state=Account)(pay)
    with pytest.raises(PolicyError, match="assigned twice"):
        ensures("state.balance -= 2 * amount", state=Account)(once)
