"""`create_agent` + `GuardMiddleware`: a denied (or rejected) call of a `return_direct` tool goes back to the model.

What must hold (README: "The model gets the denial as its tool message ... and can repair its plan"; vfa's own
`Agent` does this for `return_direct` tools, tests/test_agent_return_direct_denied.py): a call the guards or a
person did not let run has no result to return directly. The model reads why and may repair the call; the
repaired call, committed, ends the run as `create_agent` routes `return_direct` tools.

Before: `create_agent` ends the run whenever every call of the turn names a `return_direct` tool, so the run's
answer was the gate's denial text (or a person's rejection); the model never saw it, the repair never made.

Fixed: GuardMiddleware.after_agent sends the run back to the model where every call of the last turn names a
return_direct tool and one was denied or rejected (vfa._compile.held_back, as the Agent's routing reads it).
"""

from __future__ import annotations

import asyncio

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from graphs import GuardMiddleware
from vfa import ALLOW, Deny, Escalate, guard
from vfa.testing import ScriptedModel


@tool(return_direct=True)
def final(x: str) -> str:
    """Return the final answer directly."""
    return f"FINAL {x}"


@tool
def note(x: str) -> str:
    """Take a note."""
    return f"noted {x}"


@guard
def only_seven(p, c):
    return ALLOW if p.tool != "final" or p.args.get("x") == "7" else Deny(reason="x must be 7")


@guard
def ask_for_one(p, c):
    return Escalate(question="return 1?") if p.args.get("x") == "1" else ALLOW


def _agent(script, guards, middleware=()):
    return create_agent(ScriptedModel(script), [final, note], middleware=[*middleware, GuardMiddleware(guards)],
                        checkpointer=InMemorySaver())


def _kinds(messages):
    return [type(m).__name__ for m in messages]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_denied_return_direct_call_is_read_by_the_model_which_repairs_it(mode: str) -> None:
    agent = _agent([("final", {"x": "1"}), ("final", {"x": "7"}), "not reached"], [only_seven])
    run = {"messages": [("user", "go")]}, {"configurable": {"thread_id": mode}}
    out = (agent.invoke(*run) if mode == "sync" else asyncio.run(agent.ainvoke(*run)))["messages"]
    assert _kinds(out) == ["HumanMessage", "AIMessage", "ToolMessage", "AIMessage", "ToolMessage"]
    assert out[2].status == "error" and "x must be 7" in str(out[2].content)
    assert isinstance(out[3], AIMessage) and out[3].tool_calls[0]["args"] == {"x": "7"}
    assert isinstance(out[-1], ToolMessage) and out[-1].content == "FINAL 7"  # the repaired call ends the run


def test_a_rejected_return_direct_call_is_read_by_the_model() -> None:
    agent = _agent([("final", {"x": "1"}), ("final", {"x": "7"}), "not reached"], [ask_for_one])
    cfg = {"configurable": {"thread_id": "t"}}
    out = agent.invoke({"messages": [("user", "go")]}, cfg)
    assert out["__interrupt__"][0].value["question"] == "return 1?"
    out = agent.invoke(Command(resume={"decisions": [{"type": "reject", "message": "not 1"}]}), cfg)["messages"]
    assert "not 1" in str(out[2].content)
    assert isinstance(out[-1], ToolMessage) and out[-1].content == "FINAL 7"


def test_a_committed_return_direct_call_still_ends_the_run_and_other_tools_go_back_to_the_model() -> None:
    out = _agent([("final", {"x": "7"}), "not reached"], [only_seven]).invoke(
        {"messages": [("user", "go")]}, {"configurable": {"thread_id": "t"}})["messages"]
    assert isinstance(out[-1], ToolMessage) and out[-1].content == "FINAL 7"
    out = _agent([("note", {"x": "1"}), "done"], [only_seven]).invoke(
        {"messages": [("user", "go")]}, {"configurable": {"thread_id": "t"}})["messages"]
    assert out[-1].content == "done"


def test_guard_graph_over_create_agent_sends_a_denied_return_direct_call_back() -> None:
    """`guard_graph` gives create_agent's route after its tools the same reading (`_routed_back`)."""
    import graphs

    app = graphs.guard_graph(create_agent(ScriptedModel([("final", {"x": "1"}), ("final", {"x": "7"}), "no"]),
                                          [final, note], checkpointer=InMemorySaver()), [only_seven])
    out = app.invoke({"messages": [("user", "go")]}, {"configurable": {"thread_id": "g"}})["messages"]
    assert isinstance(out[-1], ToolMessage) and out[-1].content == "FINAL 7"


def test_guard_graph_over_create_agent_keeps_a_committed_return_direct_call_final_sync_and_async() -> None:
    import graphs

    agent = create_agent(ScriptedModel([("final", {"x": "7"}), "not reached"]), [final, note],
                         checkpointer=InMemorySaver())
    paths = {name: spec.path for specs in agent.builder.branches.values() for name, spec in specs.items()}
    app = graphs.guard_graph(agent, [only_seven])
    out = app.invoke({"messages": [("user", "go")]}, {"configurable": {"thread_id": "s"}})["messages"]
    assert isinstance(out[-1], ToolMessage) and out[-1].content == "FINAL 7"
    assert {name: spec.path for specs in agent.builder.branches.values() for name, spec in specs.items()} == paths, \
        "the app's own builder was changed"

    app = graphs.guard_graph(create_agent(ScriptedModel([("final", {"x": "1"}), ("final", {"x": "7"}), "no"]),
                                          [final, note], checkpointer=InMemorySaver()), [only_seven])
    out = asyncio.run(app.ainvoke({"messages": [("user", "go")]}, {"configurable": {"thread_id": "a"}}))["messages"]
    assert "x must be 7" in str(out[2].content)
    assert isinstance(out[-1], ToolMessage) and out[-1].content == "FINAL 7"
