"""A tool taking its call id that answers with a `ToolMessage` of another id has its private records shown as
handles by `vfa.Agent`, as a guarded `ToolNode` and `create_agent` + `GuardMiddleware` show them.

`vfa._injected._answer` reads a message's JSON content back as the records LangChain wrote it from only
when the message answers the call's own id; a message with any other id (a tool relaying another call's
answer, or a wrong id) was kept as the object, recorded by its repr and shown as that text: the declared
private field (`ssn`) reached the model's context in clear. A guarded `ToolNode` and `GuardMiddleware` read
the same message's content as records and show the model a handle for the SSN.

What must hold: the SSN is not shown to the model; its handle is.

Where: `vfa/_injected.py` `_answer` (`result.tool_call_id == call_id`).

Fixed: `vfa._injected._answer` reads the content of any bare `ToolMessage`, never its repr.
"""

from __future__ import annotations

import json
from typing import Annotated

from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import InjectedToolCallId, tool
from langgraph.checkpoint.memory import InMemorySaver

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent
from vfa.testing import ScriptedModel

SSN = "078-05-1120"


@tool
@privacy_sink()
@privacy_source(private=["ssn"], kind="profile")
def profile(tool_call_id: Annotated[str, InjectedToolCallId]) -> ToolMessage:
    """The user's profile, relayed from the call that fetched it."""
    return ToolMessage(json.dumps({"name": "Emma", "ssn": SSN}), tool_call_id="fetched-earlier")


def test_a_message_of_another_call_shows_its_private_records_as_handles():
    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"injected-answer-key")
    app = Agent(ScriptedModel([("profile", {}), "done"]), [profile], guards=[flow.guard()], flow=flow).compile(
        checkpointer=InMemorySaver())
    out = app.invoke({"messages": [HumanMessage("go")]}, {"configurable": {"thread_id": "t"}})
    shown = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert SSN not in str(shown.content), "the private field reached the model in clear"
    assert shown.status == "success" and "«ssn:" in str(shown.content)
