"""Stacked `requires(...)`/`ensures(...)` over a LangChain tool keep every clause they declare.

`@requires`/`@ensures` over `@tool` declare on the code the tool runs, where its spec reads them. Each
decorator adds its clauses to those the tool already declares; over `@tool` the earlier ones were read
from the tool object, where nothing is kept, so the last decorator's replaced them: the plan checker then
knew neither a stacked postcondition (`state.balance -= amount`: two transfers of 80 from 100 verified) nor
a stacked precondition, and `Agent.compile`'s lint missed clauses that contradict each other. What must
hold: a tool made with `@tool` is read as the same declarations on a plain function are.

Fixed: guards._preconditions._existing reads what was declared where annotate declares
(vfa._effects.declared_on).
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.tools import tool
from pydantic import BaseModel

from guards import Step, ensures, requires, verify_plan
from vfa import PolicyError, ToolSpec


class Bank(BaseModel):
    balance: int = 0
    count: int = 0


def _transfer(as_tool: bool) -> Any:
    def transfer(amount: int) -> str:
        """Transfer an amount."""
        return "ok"

    fn: Any = tool(transfer) if as_tool else transfer
    fn = ensures("state.balance -= amount", state=Bank)(fn)
    fn = ensures("state.count += 1", state=Bank)(fn)
    fn = requires("amount > 0", state=Bank)(fn)
    return requires("amount <= state.balance", state=Bank)(fn)


@pytest.mark.parametrize("as_tool", [False, True], ids=["function", "tool"])
def test_every_stacked_clause_is_kept(as_tool: bool) -> None:
    spec = ToolSpec.of(_transfer(as_tool))
    posts = [u.text for p in spec.meta.get("postconditions", ()) for u in p.updates]
    pres = [t for p in spec.meta.get("preconditions", ()) for t in p.texts]
    assert sorted(posts) == ["state.balance -= amount", "state.count += 1"], posts
    assert sorted(pres) == ["amount <= state.balance", "amount > 0"], pres


@pytest.mark.parametrize("as_tool", [False, True], ids=["function", "tool"])
def test_a_plan_overdrawing_through_a_stacked_postcondition_is_rejected(as_tool: bool) -> None:
    plan = [Step("transfer", amount=80), Step("transfer", amount=80)]
    result = verify_plan(plan, [_transfer(as_tool)], assume=["state.balance == 100"])
    assert not result.ok and result.failed_step == 1, result.explanation


@pytest.mark.parametrize("as_tool", [False, True], ids=["function", "tool"])
def test_a_plan_failing_a_stacked_precondition_is_rejected(as_tool: bool) -> None:
    result = verify_plan([Step("transfer", amount=-5)], [_transfer(as_tool)], assume=["state.balance == 100"])
    assert not result.ok and result.failed_step == 0 and result.clause == "amount > 0", result.explanation


def test_a_stacked_postcondition_assigning_a_field_twice_is_refused_over_a_tool() -> None:
    @tool
    def withdraw(amount: int) -> str:
        """Withdraw an amount."""
        return "ok"

    once = ensures("state.balance -= amount", state=Bank)(withdraw)
    with pytest.raises(PolicyError, match="assigned twice"):
        ensures("state.balance -= 1", state=Bank)(once)
