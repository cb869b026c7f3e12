"""An async `@effect` handed to a `ToolNode` (as it is, or under `@tool`) behind a gate is never reported done unrun.

LangChain makes a tool of a callable by `inspect.iscoroutinefunction`, which an `Effect` object never is, so
the ToolNode takes an async effect for a sync function: invoked inside the gate's commit it returned an
unawaited coroutine, which the ToolNode wrote as the call's text ("<coroutine object pay at 0x...>"), and
the gate recorded the call as committed and told the model it succeeded, while the payment never ran (the
vfa `Agent` awaits the same tool). With the store it showed as a memory tool whose write never landed.

What must hold, for `guard_graph` and `GuardMiddleware`, sync and async runs: the call either runs the effect
(and says so) or is refused with a `ConfigError` naming the tool; never "success" with nothing done.

Where: `graphs/_gate.py` `_spec_of` (the gate's description of a LangChain tool).

Fixed: graphs._gate._refuse_unawaited refuses (ConfigError naming the tool and what to give instead) a tool
whose function is an async Effect and which has no coroutine.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import ToolNode

from graphs import GuardMiddleware, guard_graph
from vfa import ALLOW, ConfigError, effect, guard
from vfa.testing import ScriptedModel

from _tool_loop import model_node, tool_loop


def _pay(ran: list[int]) -> Any:
    @effect
    async def pay(amount: int) -> str:
        """Pay an amount."""
        ran.append(amount)
        return f"paid {amount}"

    return pay


@guard
def allow(p, c):
    return ALLOW


def _build(kind: str, t: Any) -> Any:
    model = ScriptedModel([("pay", {"amount": 5}), "done"])
    if kind == "tool_node":
        return guard_graph(tool_loop(model_node(model), ToolNode([t])).compile(checkpointer=InMemorySaver()), [allow])
    if kind == "create_agent":
        return guard_graph(create_agent(model, [t], checkpointer=InMemorySaver()), [allow])
    return create_agent(model, [t], middleware=[GuardMiddleware([allow])], checkpointer=InMemorySaver())


@pytest.mark.parametrize("wrap", ["bare", "tool"])
@pytest.mark.parametrize("kind", ["tool_node", "create_agent", "middleware"])
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_async_effect_in_a_tool_node_is_run_or_refused_never_reported_done_unrun(kind, wrap, mode):
    ran: list[int] = []
    pay = _pay(ran)
    t = pay if wrap == "bare" else tool(pay)
    run = {"messages": [HumanMessage("pay 5")]}
    config = {"configurable": {"thread_id": "t"}}
    try:
        app = _build(kind, t)
        out = app.invoke(run, config) if mode == "sync" else asyncio.run(app.ainvoke(run, config))
    except ConfigError as exc:
        assert "'pay'" in str(exc), str(exc)
        assert ran == []
        return
    message = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert "coroutine" not in str(message.content), message.content
    if message.status == "success":
        assert ran == [5], f"the call was reported done ({message.content!r}), but the effect never ran"
