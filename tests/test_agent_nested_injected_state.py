"""A helper agent's tool taking `InjectedState` was given the *outer* agent's state.

An `Agent` runs a LangChain tool that takes `InjectedState` with "the node's state" (`vfa/_injected.py`
`CALLING`, set in `GuardNode._commit`'s `run`), as a `ToolNode` gives it. The commit reads that state from
`_WITHIN.get().state`, but `_Within` keeps the *outermost* call's state for a call made inside another call's
effect (`_Within.__init__`: "the conversation is the outermost call's", which is right for labelling, not
for what a tool is given). So when a tool of an outer agent runs a helper agent (README: an agent a tool
runs), the helper's tool is given the outer conversation (its messages, which may hold the user's private
values) in place of the helper's own: a wrong result, and state handed to a tool of another agent.

Fixed: `_Within.given` keeps the state the call's own node was given; the commit sets `CALLING` from it.

What must hold: the helper's tool is given the helper node's own state, as a `ToolNode` in the helper's
graph would give it.

Fixed: `_Within.given` keeps the state this call's own node was given, which the commit hands the tool.
"""

from __future__ import annotations

from typing import Annotated

from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.prebuilt import InjectedState

from vfa import Agent
from vfa.testing import ScriptedModel


def test_a_helper_agents_tool_is_given_the_helpers_own_state():
    @tool
    def first_words(state: Annotated[dict, InjectedState]) -> str:
        """Say the first message of the conversation."""
        return str(state["messages"][0].content)

    helper = Agent(ScriptedModel([("first_words", {})]), [first_words]).compile()

    @tool
    def delegate(task: str) -> str:
        """Hand a task to the helper agent."""
        out = helper.invoke({"messages": [HumanMessage(task)]}, {"configurable": {"thread_id": "helper"}})
        return next(m.content for m in out["messages"] if isinstance(m, ToolMessage))

    outer = Agent(ScriptedModel([("delegate", {"task": "helper task"})]), [delegate]).compile()
    out = outer.invoke({"messages": [HumanMessage("outer words: my pin is 4321")]},
                       {"configurable": {"thread_id": "outer"}})
    shown = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert shown.status == "success", shown.content
    assert shown.content == "helper task", f"the helper's tool read another conversation: {shown.content!r}"
