"""Red team 82: an agent used as a tool, guarded by the same gate as the app, hangs the app for good.

The README says to guard an agent that a gated tool runs ("Guard that agent too") and to guard an app
with one gate. A guard node holds a lock per conversation thread from a call's check to the end of its
commit (`_OneAtATime` in `vfa/_guard_node.py`), an `RLock` so that "a tool may call another". But
LangGraph hands a graph invoked inside a tool the parent's `thread_id`, and its `ToolNode` runs the
inner call on another OS thread (a pool; `asyncio.to_thread` on the async path): the inner call waits
for the lock the outer call holds while the outer call waits for the inner agent. Nothing times out,
nothing is denied: the run never returns. The async path hangs even for a gated tool awaited directly
inside another tool of the same gate.

Fixed: a call made from inside a call that holds its thread's lock passes (the held locks are a
context variable, which reaches LangGraph's pool threads and awaited code).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from typing import Any

import pytest
from _tool_loop import model_node, tool_loop
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import ToolNode

import graphs
from vfa import ALLOW, guard
from vfa.testing import ScriptedModel

LIMIT_S = 8.0
"""A child process runs each scenario: a hung run cannot be stopped from inside the process (its
executors' threads are joined at exit), so the child is killed at the limit."""


@guard
def allow_all(p, c):
    return ALLOW


def _calls(name: str, args: dict[str, Any], call_id: str) -> AIMessage:
    return AIMessage("", tool_calls=[{"name": name, "args": args, "id": call_id, "type": "tool_call"}])


def _react(tools: list[Any], script: list[Any], gate: graphs.ToolGate, **options: Any) -> Any:
    model = ScriptedModel(script)
    b = tool_loop(model_node(model), ToolNode(tools))
    return graphs.guard_graph(b, gate=gate, check=False, **options)


def agent_as_tool() -> list[str]:
    """An agent used as a tool, guarded with the app's own gate (sync)."""
    gate = graphs.ToolGate([allow_all])
    told: list[str] = []

    @tool
    def notify(to: str) -> str:
        """Tell someone."""
        told.append(to)
        return f"told {to}"

    helper = _react([notify], [_calls("notify", {"to": "bob"}, "inner-1"), "told bob"], gate)

    @tool
    def delegate(task: str) -> str:
        """Hand a task to the helper agent."""
        return helper.invoke({"messages": [("user", task)]})["messages"][-1].content

    app = _react([delegate], [_calls("delegate", {"task": "tell bob"}, "outer-1"), "done"], gate,
                 checkpointer=InMemorySaver())
    app.invoke({"messages": [("user", "go")]}, {"configurable": {"thread_id": "t"}})
    return told


def tool_in_tool_async() -> list[str]:
    """A gated tool awaited inside another tool of the same gate (async)."""
    gate = graphs.ToolGate([allow_all])
    told: list[str] = []

    @tool
    async def notify(to: str) -> str:
        """Tell someone."""
        told.append(to)
        return f"told {to}"

    gated_notify = graphs.guard_tool(notify, gate=gate)

    @tool
    async def pay(to: str, amount: int) -> str:
        """Pay, then tell the payee."""
        said = await gated_notify.ainvoke({"to": to})
        return f"paid {amount} to {to}; {said}"

    app = _react([pay], [_calls("pay", {"to": "bob", "amount": 5}, "outer-1"), "done"], gate,
                 checkpointer=InMemorySaver())
    asyncio.run(app.ainvoke({"messages": [("user", "go")]}, {"configurable": {"thread_id": "t"}}))
    return told


def _child(scenario: str) -> subprocess.CompletedProcess | None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (os.path.dirname(os.path.dirname(__file__)),
                                                                    os.environ.get("PYTHONPATH")) if p)}
    try:
        return subprocess.run([sys.executable, __file__, scenario], capture_output=True, text=True,
                              timeout=LIMIT_S, env=env, cwd=os.path.dirname(__file__))
    except subprocess.TimeoutExpired:
        return None


@pytest.mark.parametrize("scenario", ["agent_as_tool", "tool_in_tool_async"])
def test_a_call_made_inside_a_call_of_the_same_gate_does_not_hang(scenario: str):
    proc = _child(scenario)
    assert proc is not None, (
        f"{scenario}: the run did not finish within {LIMIT_S:g} s: the inner call waits for the per-thread "
        "lock its caller holds while the caller waits for it")
    assert proc.returncode == 0 and proc.stdout.strip().endswith("told ['bob']"), proc.stderr[-2000:]


if __name__ == "__main__":
    print("told", globals()[sys.argv[1]]())
