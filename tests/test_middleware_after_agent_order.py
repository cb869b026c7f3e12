"""A denied `return_direct` call sends the run back to the model before any other middleware's `after_agent`.

`GuardMiddleware.after_agent` turns a run that `create_agent` would end on a denied `return_direct` call back to
the model (docs/kernel.md, "The compiled graph"). `create_agent` chains the `after_agent` hooks from the last
middleware listed to the first, and LangChain promises each runs once, at the very end of the run. Listed
before another middleware with an `after_agent` hook, the gate's jump comes after that hook already ran:
the other middleware takes the denial for the run's end (a hook that finalises, such as
`ShellToolMiddleware`'s, shuts its shell down), the model goes on, and the hook runs again at the real end.
What must hold: whatever the order, another middleware's `after_agent` runs once per run, on the run's end,
and a tool it provides still works after the model repaired the denied call.

A stated limit (docs/existing-apps.md: list `GuardMiddleware` last), strict xfail when it is listed first: the
middleware cannot see the list `create_agent` was given, nor stop a run `create_agent` routes to its end; listed
last, its `after_agent` runs first and the order holds (found by a reviewer).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain.agents.middleware import AgentMiddleware
from langchain_core.messages import ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver

from graphs import GuardMiddleware
from vfa import ALLOW, Deny, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


@guard
def limit(p, c):
    return Deny(reason="amount over 10") if p.args.get("amount", 0) > 10 else ALLOW


@tool(return_direct=True)
def pay(to: str, amount: int) -> str:
    """Pay `amount` to `to`."""
    return f"paid {amount} to {to}"


class _RunEnd(AgentMiddleware):
    """A middleware that does its end-of-run work in `after_agent` (a summary, a cleanup)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[Any] = []

    def after_agent(self, state: Any, runtime: Any) -> None:
        self.seen.append(state["messages"][-1].content)


_ORDERS = ["vfa_last", pytest.param("vfa_first", marks=pytest.mark.xfail(
    strict=True, reason="stated limit: GuardMiddleware listed before another after_agent hook (list it last)"))]


@pytest.mark.parametrize("order", _ORDERS)
def test_another_after_agent_runs_once_at_the_end_of_the_run(order: str) -> None:
    end, vfa = _RunEnd(), GuardMiddleware([limit])
    agent = create_agent(ScriptedModel([("pay", {"to": "bob", "amount": 50}), ("pay", {"to": "bob", "amount": 5})]),
                         [pay], middleware=[end, vfa] if order == "vfa_last" else [vfa, end],
                         checkpointer=InMemorySaver())
    out = agent.invoke({"messages": [("user", "pay bob")]}, CFG)
    assert out["messages"][-1].content == "paid 5 to bob"  # the model repaired the denied call
    assert end.seen == ["paid 5 to bob"]  # not also on the denial, as if the run had ended there


@pytest.mark.skipif(shutil.which("bash") is None, reason="ShellToolMiddleware runs bash")
@pytest.mark.parametrize("order", _ORDERS)
def test_a_shell_still_runs_after_a_denied_return_direct_call(order: str, tmp_path: Path) -> None:
    from langchain.agents.middleware import ShellToolMiddleware

    shell = ShellToolMiddleware(workspace_root=str(tmp_path))
    vfa = GuardMiddleware([limit])
    model = ScriptedModel([("pay", {"to": "bob", "amount": 50}), (shell.tools[0].name, {"command": "echo hi"}), "ok"])
    agent = create_agent(model, [pay], middleware=[shell, vfa] if order == "vfa_last" else [vfa, shell],
                         checkpointer=InMemorySaver())
    out = agent.invoke({"messages": [("user", "pay bob")]}, CFG)
    results = {m.name: m.content for m in out["messages"] if isinstance(m, ToolMessage)}
    assert "denied by guard 'limit'" in results["pay"]
    assert results[shell.tools[0].name] == "hi\n"  # not "Shell session is not running."
