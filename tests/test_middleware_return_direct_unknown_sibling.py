"""`create_agent` + `GuardMiddleware`: a denied `return_direct` call goes back to the model though the same turn
also names a tool the agent does not have.

What must hold (README: a turn whose calls all name `return_direct` tools ends the run, "one denied or rejected
goes back to the model, as any denial does, to be repaired; so it does in a `create_agent` guarded by
`GuardMiddleware`, whose `after_agent` hook sends such a run back"): wherever `create_agent` ends the run on a turn
of `return_direct` calls, one of them denied sends the run back to the model. `create_agent` reads such a turn by
its calls of the agent's own tools (`_make_tools_to_model_edge`: a name it has no tool for, a provider's tool or a
name the model made up, is left out), so a turn of [denied return_direct call, call of an unknown name] ends there.

Before: `graphs._middleware._held_back_direct` asked every call of the turn to name a registered `return_direct`
tool; the unknown name (never registered) made it answer no, and the run ended with the denial as its answer.

Fixed: a call of a name no tool is registered under is left out of the turn, and only its return_direct calls'
answers count.
"""

from __future__ import annotations

from langchain.agents import create_agent
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver

from graphs import GuardMiddleware
from vfa import ALLOW, Deny, guard
from vfa.testing import ScriptedModel


@tool(return_direct=True)
def final(x: str) -> str:
    """Return the final answer directly."""
    return f"FINAL {x}"


@guard
def only_seven(p, c):
    return ALLOW if p.tool != "final" or p.args.get("x") == "7" else Deny(reason="x must be 7")


def test_a_denied_return_direct_call_beside_an_unknown_tool_goes_back_to_the_model() -> None:
    script = [
        AIMessage("", tool_calls=[{"name": "final", "args": {"x": "1"}, "id": "c1"},
                                  {"name": "no_such_tool", "args": {}, "id": "c2"}]),
        ("final", {"x": "7"}),
    ]
    agent = create_agent(ScriptedModel(script), [final], middleware=[GuardMiddleware([only_seven])],
                         checkpointer=InMemorySaver())
    out = agent.invoke({"messages": [("user", "answer")]}, {"configurable": {"thread_id": "t"}})
    last = out["messages"][-1]
    assert isinstance(last, ToolMessage) and last.content == "FINAL 7", [m.content for m in out["messages"]]
