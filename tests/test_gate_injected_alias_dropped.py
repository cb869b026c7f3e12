"""What the model writes under the alias of an injected argument never reaches a gated tool's injected parameter.

An `Agent` drops a value the model writes under an injected argument's name or alias (
`test_agent_injected_alias_dropped.py`): the tool reads the graph's state and the call's own id. The same tool
behind `GuardMiddleware` (`create_agent`) or a `ToolNode` that `guard_graph` guards was handed the model's value
instead: the `ToolNode` injects under the field's name, `GatedTool._split` kept only that name from the model's
arguments, and the tool's schema (`populate_by_name`, `extra="allow"`) reads the alias first. So a conversation the
model made up stood in for the graph's state, and a call id it chose for the call's own.

What must hold, on all three paths alike: the tool reads the graph's state and the call's own id, and the guards
are shown the model's arguments without the value written under the alias (as the `Agent` shows them).

Fixed: `GatedTool` lists the aliases of the injected arguments (`injected_names`) and, where the ToolNode
injected for this call, drops what is written under them (`graphs/_gate.py`).
"""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from _tool_loop import model_node, tool_loop
from langchain.agents import create_agent
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import InjectedToolCallId, tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import InjectedState, ToolNode
from pydantic import BaseModel, ConfigDict, Field

import graphs
from vfa import ALLOW, Agent, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


class MailArgs(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="allow")
    to: str
    st: Annotated[dict, InjectedState] = Field(alias="s")


class NoteArgs(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="allow")
    text: str
    cid: Annotated[str, InjectedToolCallId] = Field(alias="call")


def _tools(got: list[Any]) -> list[Any]:
    @tool(args_schema=MailArgs)
    def mail(to: str, st: dict, **more: Any) -> str:
        """Mail someone the conversation's first message."""
        first = st["messages"][0]
        got.append(getattr(first, "content", first))
        return "mailed"

    @tool(args_schema=NoteArgs)
    def note(text: str, cid: str, **more: Any) -> str:
        """Keep a note under the call's id."""
        got.append(cid)
        return f"noted {cid}"

    return [mail, note]


def _run(path: str, call: tuple[str, dict[str, Any]]) -> tuple[list[Any], list[dict[str, Any]]]:
    got: list[Any] = []
    seen: list[dict[str, Any]] = []

    @guard
    def spy(p, c):
        seen.append(dict(p.args))
        return ALLOW

    tools = _tools(got)
    model = ScriptedModel([call, "done"])
    if path == "agent":
        app = Agent(model, tools, guards=[spy]).compile(checkpointer=InMemorySaver())
    elif path == "middleware":
        app = create_agent(model, tools, middleware=[graphs.GuardMiddleware([spy])], checkpointer=InMemorySaver())
    else:
        app = graphs.guard_graph(tool_loop(model_node(model), ToolNode(tools)).compile(checkpointer=InMemorySaver()),
                                 [spy])
    out = app.invoke({"messages": [HumanMessage("hello bob")]}, CFG)
    assert [m.status for m in out["messages"] if isinstance(m, ToolMessage)] == ["success"]
    return got, seen


@pytest.mark.parametrize("path", ["agent", "middleware", "toolnode"])
def test_the_tool_reads_the_graphs_state_not_one_written_under_its_alias(path):
    got, seen = _run(path, ("mail", {"to": "bob", "s": {"messages": ["FORGED"]}}))
    assert got == ["hello bob"], f"the tool read the model's state: {got}"
    assert seen == [{"to": "bob"}]


@pytest.mark.parametrize("path", ["agent", "middleware", "toolnode"])
def test_the_tool_reads_its_own_call_id_not_one_written_under_its_alias(path):
    got, seen = _run(path, ("note", {"text": "x", "call": "FORGED"}))
    assert got == ["call_0_0"], f"the tool read the model's call id: {got}"
    assert seen == [{"text": "x"}]
