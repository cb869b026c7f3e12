"""Red team 114 (utility): `ContextEditingMiddleware` clearing a reply that is no result (a structured answer's echo)
blinds an honest thread for good.

Scenario: an app answers with a structured response (`ToolStrategy`) and lists LangChain's `ContextEditingMiddleware`
before `GuardMiddleware`. The agent's reply to the model's structured answer ("Returning structured response: ...")
is no result: `GuardMiddleware` marks it `{"outcome": "structured"}`. On the next user turn the editor clears it in
the model's request ("[cleared]", artifact dropped, `context_editing.cleared`); the model-read hook
(`ToolGate.read`) takes the placeholder for a result the flow has no record of (`_cleared` counts only where the flow
holds a record of the same call), journals it unobserved and blinds the thread: the user's own mail to themselves
of their trusted calendar is denied for the rest of the thread, though the model read less than it did before.

Expected: the mail to the user, at the address they typed, goes (as without the editor).

Fixed: `ToolGate.read` puts each message the app cleared from the request back as the state holds it (where the
state holds one message of its id): the model read less than that message, which says what it was (here the agent's
reply to a structured answer, marked no result).

Where: `guards/_threads.py` `_Scan.extended` / `_cleared`: a cleared placeholder under an id whose state message is
no result (structured echo, LangChain's fixed replies, a gate's pause / rejection) shows nothing; e.g. let
`ToolGate.read` judge "no result" on `request.state`'s messages, or treat a cleared message whose text is the app's
placeholder as no result.
"""

from __future__ import annotations

from typing import Any

from langchain.agents import create_agent
from langchain.agents.middleware import ClearToolUsesEdit, ContextEditingMiddleware
from langchain.agents.structured_output import ToolStrategy
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from graphs import GuardMiddleware
from guards import PrivacyFlow, PrivacyPolicy, privacy_source
from tests._web_mail import ME, mail_to
from vfa.testing import ScriptedModel


class Answer(BaseModel):
    text: str


@tool
@privacy_source(kind="calendar")
def next_meeting(day: str) -> dict:
    """The user's next meeting (trusted, public to the user's own use)."""
    return {"day": day, "title": "Board review at 10:00"}


def _run(*, editing: bool) -> tuple[list[Any], list[Any]]:
    sent: list[Any] = []

    def rule(ms: list[Any]) -> Any:
        last = ms[-1]
        asked = [m for m in ms if isinstance(m, HumanMessage)][-1].content
        if isinstance(last, HumanMessage) and "What is" in asked:
            return AIMessage("", tool_calls=[{"name": "next_meeting", "id": "c1", "args": {"day": "monday"}}])
        if isinstance(last, HumanMessage):
            return AIMessage("", tool_calls=[{"name": "send_email", "id": "m1",
                                              "args": {"to": ME, "body": "Reminder: Board review at 10:00"}}])
        n = sum(isinstance(m, HumanMessage) for m in ms)
        return AIMessage("", tool_calls=[{"name": "Answer", "id": f"s{n}", "args": {"text": "Board review at 10:00"}}])

    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"rt114")
    mw = GuardMiddleware([flow.guard()], flow=flow, read_only=["next_meeting"])
    editor = [ContextEditingMiddleware(edits=[ClearToolUsesEdit(trigger=0, keep=0)])] if editing else []
    app = create_agent(ScriptedModel(rule=rule), [next_meeting, mail_to(sent)], middleware=[*editor, mw],
                       response_format=ToolStrategy(Answer), checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    app.invoke({"messages": [HumanMessage("What is my next meeting?")]}, cfg)
    out = app.invoke({"messages": [HumanMessage(f"Mail me at {ME} a reminder of it")]}, cfg)
    return sent, [m for m in out["messages"] if isinstance(m, ToolMessage) and m.tool_call_id == "m1"]


def test_control_without_context_editing_mails_the_user() -> None:
    sent, _ = _run(editing=False)
    assert sent == [(ME, "Reminder: Board review at 10:00")]


def test_cleared_structured_reply_does_not_blind_the_thread() -> None:
    sent, replies = _run(editing=True)
    assert sent == [(ME, "Reminder: Board review at 10:00")], replies[0].content if replies else "no reply"
