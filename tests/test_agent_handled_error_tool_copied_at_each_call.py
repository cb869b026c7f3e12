"""vfa's `Agent` runs a copy of a LangChain tool with `handle_tool_error` made when the Agent was built: a
change the app makes to the tool afterwards is never seen.

This session's `_plain_runs` (vfa/_tools.py) copies such a tool once, in `_from_langchain_tool`
(`tool.model_copy(update={"handle_tool_error": False})`), and every call of the Agent runs that copy. A
tool object is the app's: it may turn it off (a kill switch field), rotate its credential, or narrow what
it may do while the agent keeps serving. Here a `BaseTool` subclass with `handle_tool_error=True` sends
money only while its `enabled` field is true; the app builds the Agent, then sets `enabled = False` on
its tool. The model's next `wire` call still sends the money: the copy still says `enabled=True`. The
same tool without `handle_tool_error` (run as `tool.invoke`) or called directly is refused. What the copy
does to itself is not seen on the tool either (`sent_by_tool` counts on the copy only).

Why it matters: the Agent claims to run a tool "as `tool.invoke` would"; it runs an older tool, so a
restriction the app put on its tool after start-up is silently bypassed, for tools that handle their
errors only.

Expected: the call runs the tool as it is when called (here: refused by the tool, nothing sent).

Fixed: `_plain_runs` copies the tool at each call, as `graphs` does.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import HumanMessage
from langchain_core.tools import BaseTool, ToolException

from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel

SENT: list[Any] = []


class Wire(BaseTool):
    """Sends money while enabled (the app's kill switch)."""

    name: str = "wire"
    description: str = "Send money to an account."
    enabled: bool = True
    handle_tool_error: bool = True

    def _run(self, to: str, amount: float) -> str:
        if not self.enabled:
            raise ToolException("wire is disabled")
        SENT.append((to, amount))
        return "sent"


def test_the_agent_runs_a_handled_tool_as_it_is_when_called() -> None:
    SENT.clear()
    wire = Wire()
    app = Agent(ScriptedModel([("wire", {"to": "acct-1", "amount": 10.0})]), [wire], journal=EffectJournal()).compile()
    wire.enabled = False  # the app turns the tool off after start-up
    app.invoke({"messages": [HumanMessage("pay acct-1 10")]}, {"configurable": {"thread_id": "t"}})
    assert SENT == [], "the Agent ran a copy of the tool made before the app disabled it"
