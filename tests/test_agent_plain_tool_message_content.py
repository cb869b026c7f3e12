"""A LangChain tool taking no injected argument that answers with a `ToolMessage` (a relayed answer) has its
private records shown as handles by `vfa.Agent`, as `create_agent` + `GuardMiddleware` shows them.

`vfa._injected._answer` (a message is read by its content, never its repr) was applied only in
`injected_runs`, i.e. to tools taking injected arguments. The same relay tool without
`InjectedToolCallId` ran through `_plain_runs`: its `ToolMessage` was recorded by its repr and shown as that
text, the declared private field (`ssn`) in clear in the model's context. Under `GuardMiddleware` the message's
content is read as records and the model is shown a handle for the SSN.

Fixed: every LangChain tool's answer is read by `_answer` (`answered_runs` for a tool without injected
arguments). Left as a limit: an unannotated tool answering with a message whose text is JSON is shown that
text as a `str` result would be (the shape is per tool, not per result).

What must hold: the SSN is not shown to the model.
"""

from __future__ import annotations

import json

from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent
from vfa.testing import ScriptedModel

SSN = "078-05-1120"


@tool
@privacy_sink()
@privacy_source(private=["ssn"], kind="profile")
def profile() -> ToolMessage:
    """The user's profile, relayed from the call that fetched it."""
    return ToolMessage(json.dumps({"name": "Emma", "ssn": SSN}), tool_call_id="fetched-earlier")


def test_a_plain_tools_message_shows_no_private_field_in_clear():
    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"plain-answer-key")
    app = Agent(ScriptedModel([("profile", {}), "done"]), [profile], guards=[flow.guard()], flow=flow).compile(
        checkpointer=InMemorySaver())
    out = app.invoke({"messages": [HumanMessage("go")]}, {"configurable": {"thread_id": "t"}})
    shown = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert SSN not in str(shown.content), "the private field reached the model in clear"
    assert shown.status == "success"
