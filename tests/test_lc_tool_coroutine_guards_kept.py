"""A guard declared on a LangChain tool's coroutine judges its calls though its function declares guards too.

`StructuredTool.from_function(func=pay, coroutine=apay)` runs `apay` when awaited (a `ToolNode` under
`ainvoke`) and `pay` when invoked. Declarations of either are the tool's (`_declaring` merges their
metadata and refuses two that differ), but its guards were read from one function alone: where `pay`
carried a guard of its own, the guard declared on `apay` (`annotate(apay, guards=[...])`,
`@effect(guards=[...])`) judged no call, and the awaited tool ran unjudged by it. What must hold: every
guard declared on either function judges every call of the tool.

Fixed: vfa._lc_tools._declaring judges a call by the guards of both the function and the coroutine, each guard
once.
"""

from __future__ import annotations

import asyncio
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import StructuredTool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import ToolNode

from graphs import guard_graph
from vfa import ALLOW, Deny, ToolSpec, annotate
from vfa.testing import FunctionGuard, ScriptedModel

from _tool_loop import model_node, tool_loop

paid: list[tuple[str, int]] = []
logged = FunctionGuard(lambda p, c: ALLOW, name="logged")
capped = FunctionGuard(lambda p, c: ALLOW if p.args["amount"] <= 100 else Deny(reason="over 100"), name="capped")


def _pay_tool() -> Any:
    def pay(amount: int) -> str:
        """Pay an amount."""
        paid.append(("sync", amount))
        return "paid"

    async def apay(amount: int) -> str:
        """Pay an amount."""
        paid.append(("async", amount))
        return "paid"

    annotate(pay, guards=[logged])
    annotate(apay, guards=[capped])
    return StructuredTool.from_function(func=pay, coroutine=apay, name="pay")


def test_the_spec_holds_the_guards_of_both_functions() -> None:
    names = sorted(g.name for g in ToolSpec.of(_pay_tool()).guards)
    assert names == ["capped", "logged"], names


def test_an_awaited_call_is_judged_by_its_coroutines_guard() -> None:
    paid.clear()
    model = ScriptedModel([("pay", {"amount": 1000}), "done"])
    app = guard_graph(tool_loop(model_node(model), ToolNode([_pay_tool()])).compile(checkpointer=InMemorySaver()), [])
    out = asyncio.run(app.ainvoke({"messages": [HumanMessage("pay 1000")]}, {"configurable": {"thread_id": "t"}}))
    result = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert paid == [] and result.artifact["vfa"]["outcome"] == "denied", (paid, result.content)
    assert isinstance(out["messages"][-1], AIMessage)
