"""A LangChain tool whose `args_schema` leaves a field out of its dump runs on a value no
guard judged.

LangChain gives a tool the keys of its validated schema's `model_dump()` (`BaseTool._parse_input`): a
field declared `Field(exclude=True)` (kept out of logs and serialised records, as one does for a
recipient list or a credential) never reaches the function, which runs on its own default. vfa judges
the schema's fields as validated: the guards see the recipient the model wrote, and the tool mails the
function's default recipient. The same under `Agent` and a retrofitted `ToolNode` (`guard_graph`).

Expected: the guards judge what the tool receives; a call whose written argument the tool would never
be given is refused, with an error naming the argument, and the tool does not run.

Fixed: a call writing an argument the schema's dump leaves out is refused, naming it.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import StructuredTool
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode
from pydantic import BaseModel, Field

from graphs import guard_graph
from vfa import ALLOW, Agent, Deny, guard
from vfa.testing import ScriptedModel

ALLOWED = "me@home.example"
CALL = {"body": "the quarterly numbers", "to": ALLOWED}


class MailArgs(BaseModel):
    body: str
    to: str = Field(exclude=True, description="The recipient (kept out of logged records).")


def _parts() -> tuple[Any, Any, list[tuple[str, str]], list[dict]]:
    sent: list[tuple[str, str]] = []
    judged: list[dict] = []

    def send(body: str, to: str = "all-staff@corp.example") -> str:
        sent.append((to, body))
        return f"sent to {to}"

    tool = StructuredTool.from_function(send, name="send", description="Send mail.", args_schema=MailArgs)

    @guard(tools=["send"])
    def only_me(p, c):
        judged.append(dict(p.args))
        return ALLOW if p.args.get("to") == ALLOWED else Deny(reason=f"may mail only {ALLOWED}")

    return tool, only_me, sent, judged


def _agent() -> tuple[ToolMessage, list, list]:
    tool, g, sent, judged = _parts()
    app = Agent(ScriptedModel([("send", CALL), "done"]), [tool], guards=[g]).compile()
    out = app.invoke({"messages": [HumanMessage("mail me the numbers")]}, {"configurable": {"thread_id": "t"}})
    return next(m for m in out["messages"] if isinstance(m, ToolMessage)), sent, judged


def _retrofit() -> tuple[ToolMessage, list, list]:
    tool, g, sent, judged = _parts()
    builder = StateGraph(MessagesState)
    builder.add_node("tools", ToolNode([tool]))
    builder.add_edge(START, "tools")
    builder.add_edge("tools", END)
    app = guard_graph(builder, [g])
    call = {"name": "send", "args": CALL, "id": "c1", "type": "tool_call"}
    out = app.invoke({"messages": [AIMessage("", tool_calls=[call])]}, {"configurable": {"thread_id": "t"}})
    return next(m for m in out["messages"] if isinstance(m, ToolMessage)), sent, judged


@pytest.mark.parametrize("run", [_agent, _retrofit], ids=["agent", "guard_graph"])
def test_a_field_the_tool_is_never_given_is_not_what_the_guards_judge(run: Any) -> None:
    message, sent, judged = run()
    assert sent == [], f"the tool mailed {sent}; the guard judged {judged}"
    assert message.status == "error" and "'to'" in message.content, message.content
