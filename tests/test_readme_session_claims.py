"""docs/kernel.md claims of this session that hold, pinned: a person's answer in other words, `Agent.compile(
checkpointer=False)` refused, `GuardMiddleware`'s `vfa.after_agent` node, `invoke_agent` over a `guard_graph`ed
`create_agent`, and the test command's extra.

What must hold (docs/kernel.md): "the decision may be named by `type`, `decision` or `action`, and `accept`/`approved` read
as approve, `rejected`/`deny` as reject" (also in the `{"decisions": [...]}` shape); "`Agent(...).compile(
checkpointer=False)` is refused ... `ConfigError`" (and so is its builder's compile); a `create_agent` guarded by
`GuardMiddleware` has "one more node, `vfa.after_agent`, and step per run"; "those of an app `guard_graph` guarded
have the `invoke_agent` root"; `pytest -n 2` needs `pytest-xdist`, which the `test` extra installs.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

import graphs
from vfa import ALLOW, Agent, ConfigError, Escalate, effect, guard
from vfa.testing import ScriptedModel, capture_spans

paid: list[int] = []


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    paid.append(amount)
    return f"paid {amount} to {to}"


@tool
def note(x: str) -> str:
    """Take a note."""
    return f"noted {x}"


@guard
def ask(p: Any, c: Any) -> Any:
    return Escalate(question="pay?")


@guard
def anyone(p: Any, c: Any) -> Any:
    return ALLOW


@pytest.mark.parametrize(("answer", "runs"), [
    ({"type": "accept"}, True), ({"decision": "approved"}, True), ({"action": "accept"}, True), ("accept", True),
    ({"decisions": [{"decision": "approved"}]}, True),
    ({"type": "rejected"}, False), ({"decision": "deny"}, False), ({"action": "rejected", "message": "no"}, False),
    ({"decisions": [{"action": "deny"}]}, False), ({"type": "accept", "action": "deny"}, False),
])
def test_an_answer_in_other_words(answer: Any, runs: bool) -> None:
    paid.clear()
    graph = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"]), [pay], [ask]).compile(InMemorySaver())
    config = {"configurable": {"thread_id": "t"}}
    assert "__interrupt__" in graph.invoke({"messages": [("user", "pay")]}, config)
    out = graph.invoke(Command(resume=answer), config)
    outcome = out["messages"][2].artifact["vfa"]["outcome"]
    assert (paid, outcome) == (([5], "committed") if runs else ([], "rejected"))


@pytest.mark.parametrize("compile_", [lambda a: a.compile(checkpointer=False),
                                      lambda a: a.builder().compile(checkpointer=False)], ids=["compile", "builder"])
def test_compile_without_checkpoints_is_refused(compile_: Any) -> None:
    with pytest.raises(ConfigError, match="checkpointer=False"):
        compile_(Agent(ScriptedModel(["-"]), [pay]))


def test_guard_middleware_adds_one_after_agent_node_run_once_per_plain_run() -> None:
    agent = create_agent(ScriptedModel([("note", {"x": "1"}), "done"]), [note],
                         middleware=[graphs.GuardMiddleware([anyone])], checkpointer=InMemorySaver())
    assert "vfa.after_agent" in agent.get_graph().nodes
    steps = [next(iter(u)) for u in agent.stream({"messages": [("user", "go")]}, {"configurable": {"thread_id": "t"}},
                                                 stream_mode="updates")]
    assert steps == ["model", "tools", "model", "vfa.after_agent"]


def test_guard_graph_over_create_agent_has_the_invoke_agent_root() -> None:
    app = graphs.guard_graph(create_agent(ScriptedModel([("note", {"x": "1"}), "done"]), [note],
                                          checkpointer=InMemorySaver(), name="notes"), [anyone])
    with capture_spans() as exporter:
        app.invoke({"messages": [("user", "go")]}, {"configurable": {"thread_id": "t"}})
    spans = exporter.get_finished_spans()
    root = next(s for s in spans if s.name == "invoke_agent notes")
    call = next(s for s in spans if s.name == "execute_tool note")
    assert root.attributes["gen_ai.conversation.id"] == call.attributes["gen_ai.conversation.id"] == "t"
    assert call.parent is not None and call.parent.span_id == root.context.span_id


def test_the_test_extra_installs_what_pytest_n_2_needs() -> None:
    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"]
    assert any(r.startswith("pytest-xdist") for r in project["optional-dependencies"]["test"])
