"""A denied (or rejected) call of a `return_direct` tool goes back to the model, which repairs it.

What must hold (README, top: "The model gets the denial as its tool message (which clause failed, on which
values) and can repair its plan"; and, since this session, "a turn whose calls all name tools declared
`return_direct=True` ends the run with their results"): a call the guards did not let run has no result to
return directly; the model reads why and calls again, and the repaired call, committed, ends the run.

Before: `_after_tools` (vfa/_compile.py) ended the run whenever every call of the turn named a return-direct
tool, denied or not: the run's answer was the denial text, the model never shown it, the repair never made
(before this session's return_direct routing, the denial went back to the model as for any tool).
"""

from __future__ import annotations

from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import tool

from vfa import ALLOW, Agent, Deny, guard
from vfa.testing import ScriptedModel


@tool(return_direct=True)
def final(x: str) -> str:
    """Return the final answer directly."""
    return f"FINAL {x}"


@guard
def only_seven(p, c):
    return ALLOW if p.args.get("x") == "7" else Deny(reason="x must be 7")


def test_a_denied_return_direct_call_is_read_by_the_model_which_repairs_it() -> None:
    agent = Agent(ScriptedModel([("final", {"x": "1"}), ("final", {"x": "7"}), "not reached"]), [final],
                  guards=[only_seven])
    out = agent.compile().invoke({"messages": [("user", "go")]})["messages"]
    assert [type(m).__name__ for m in out] == ["HumanMessage", "AIMessage", "ToolMessage", "AIMessage", "ToolMessage"]
    assert out[2].status == "error" and "x must be 7" in str(out[2].content)
    assert isinstance(out[3], AIMessage) and out[3].tool_calls[0]["args"] == {"x": "7"}
    assert isinstance(out[-1], ToolMessage) and out[-1].content == "FINAL 7"  # the repaired call ends the run


def test_a_committed_return_direct_call_still_ends_the_run() -> None:
    agent = Agent(ScriptedModel([("final", {"x": "7"}), "not reached"]), [final], guards=[only_seven])
    out = agent.compile().invoke({"messages": [("user", "go")]})["messages"]
    assert isinstance(out[-1], ToolMessage) and out[-1].content == "FINAL 7"
