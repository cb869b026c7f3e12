"""A value the model writes under an injected argument's alias is dropped on every path alike, whatever the
tool's schema does with extra keys.

What must hold (README: "what the model writes under an injected argument's name is dropped, neither judged
nor given to the tool"; `test_gate_injected_alias_dropped.py`: the `Agent`, `GuardMiddleware` and a guarded
`ToolNode` treat such a value alike): the call runs, the tool reads the graph's state, the guards are shown
the model's arguments without the dropped value.

`vfa/_lc_tools.py` `_as_the_tool_reads` (the `Agent`'s validation) refuses any key that names no field of the
tool *before* it drops the injected names and their aliases (`drop`): for a schema that does not allow extra
keys (pydantic's default), the alias `s` of the injected `st` is "no argument of the tool (its schema may read
it under another name, which no guard would judge)", and the `Agent` denies the call, though the value is
dropped and nothing of it would reach the tool; written under the name `st` it is dropped and the call runs.
`GuardMiddleware` and a guarded `ToolNode` drop it and run the call (`GatedTool.hidden_aliases`).

Fixed: the Agent leaves the keys it drops out of its unknown-key check.
"""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from _tool_loop import model_node, tool_loop
from langchain.agents import create_agent
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import InjectedState, ToolNode
from pydantic import BaseModel, ConfigDict, Field

import graphs
from vfa import ALLOW, Agent, guard
from vfa.testing import ScriptedModel


class MailArgs(BaseModel):
    model_config = ConfigDict(populate_by_name=True)  # extra keys ignored (pydantic's default), not allowed
    to: str
    st: Annotated[dict, InjectedState] = Field(alias="s")


@tool(args_schema=MailArgs)
def mail(to: str, st: dict) -> str:
    """Mail someone the conversation's first message."""
    first = st["messages"][0]
    return f"{to}: {getattr(first, 'content', first)}"


@pytest.mark.parametrize("path", ["agent", "middleware", "toolnode"])
@pytest.mark.parametrize("key", ["s", "st"])
def test_a_value_under_an_injected_alias_is_dropped_not_refused(path: str, key: str) -> None:
    seen: list[dict[str, Any]] = []

    @guard
    def spy(p, c):
        seen.append(dict(p.args))
        return ALLOW

    model = ScriptedModel([("mail", {"to": "bob", key: {"messages": ["FORGED"]}}), "done"])
    if path == "agent":
        app = Agent(model, [mail], guards=[spy]).compile(checkpointer=InMemorySaver())
    elif path == "middleware":
        app = create_agent(model, [mail], middleware=[graphs.GuardMiddleware([spy])], checkpointer=InMemorySaver())
    else:
        app = graphs.guard_graph(tool_loop(model_node(model), ToolNode([mail])).compile(checkpointer=InMemorySaver()),
                                 [spy])
    out = app.invoke({"messages": [HumanMessage("hello bob")]}, {"configurable": {"thread_id": "t"}})
    message = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert (message.status, message.content) == ("success", "bob: hello bob"), (
        f"{path}: the call written with {key!r} (an injected argument's name or alias) was not run on the graph's "
        f"state: {message.content!r}")
    assert seen == [{"to": "bob"}]
