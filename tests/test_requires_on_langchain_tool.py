"""A precondition declared on a LangChain tool object (`requires(...)` over `@tool`, or on a `BaseTool`
subclass) is judged on every call, as one declared on its function is: it was kept on the tool object,
where no spec read it, and the call ran unjudged."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import BaseTool, tool
from pydantic import BaseModel

from guards import requires
from vfa import Agent
from vfa.testing import ScriptedModel

paid: list[int] = []


def _run(tools: list[Any], amount: int) -> ToolMessage:
    app = Agent(ScriptedModel([("pay", {"amount": amount}), "ok"]), tools).compile()
    out = app.invoke({"messages": [HumanMessage("pay")]}, {"configurable": {"thread_id": "t"}})
    return next(m for m in out["messages"] if isinstance(m, ToolMessage))


def _decorated() -> Any:
    @requires("0 < amount <= 100")
    @tool
    def pay(amount: int) -> str:
        """Pay an amount."""
        paid.append(amount)
        return "paid"
    return pay


class PayArgs(BaseModel):
    amount: int


class Pay(BaseTool):
    """A tool of its own class, running no function vfa can see."""

    name: str = "pay"
    description: str = "Pay an amount."
    args_schema: type[BaseModel] = PayArgs

    def _run(self, amount: int) -> str:
        paid.append(amount)
        return "paid"


@pytest.mark.parametrize("make", [_decorated, lambda: requires("0 < amount <= 100")(Pay())], ids=["tool", "basetool"])
def test_precondition_on_a_tool_object_is_judged(make):
    paid.clear()
    pay = make()
    denied = _run([pay], 1000)
    assert paid == [] and denied.artifact["vfa"]["outcome"] == "denied", denied.content
    assert "amount" in denied.content
    allowed = _run([pay], 5)
    assert paid == [5] and allowed.content == "paid"
