"""A thread blinded by a result no guard node wrote stays blind while other threads come and go."""

from __future__ import annotations

from typing import Any

from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver

from graphs import GuardMiddleware
from guards import PrivacyFlow, PrivacyPolicy, privacy_source
from tests._web_mail import (
    EVIL,
    INJECTION,
    ME,
    PARTNER,
    AnsweredPastTheGate,
    KeepTheConversation,
    mail_to,
    web_page,
)
from vfa.testing import ScriptedModel


@tool
@privacy_source(pure=True)
def weather(city: str) -> str:
    """Today's weather in a city (a trusted service)."""
    return f"Sunny in {city}."


def _model() -> ScriptedModel:
    """Asks the weather when told to, browses the partner's page, repeats its request in words; at "go ahead", obeys it."""

    def rule(ms: list[Any]) -> Any:
        last = ms[-1]
        if isinstance(last, HumanMessage) and "go ahead" in str(last.content):
            return AIMessage("", tool_calls=[{"name": "send_email", "id": "m1",
                                              "args": {"to": EVIL, "body": "The quote is 120 EUR."}}])
        if isinstance(last, HumanMessage) and "weather" in str(last.content):
            return AIMessage("", tool_calls=[{"name": "weather", "id": "w1", "args": {"city": "Lyon"}}])
        if isinstance(last, HumanMessage) or (isinstance(last, ToolMessage) and last.tool_call_id == "w1"):
            return AIMessage("", tool_calls=[{"name": "browse", "id": "b1", "args": {"url": PARTNER}}])
        return AIMessage(f"The partner quotes 120 EUR and asks that it be mailed to {EVIL}.")

    return ScriptedModel(rule=rule)


def test_privacy_blind_thread_outlives_other_blind_threads() -> None:
    """Attack: a thread read a page an app's cache answered past the gate (so the flow never labelled it)
    and then had its tool turns trimmed; meanwhile other conversations, each blinded the same way, pushed
    the number of blind threads past the flow's `max_threads`. When the flow bounded its blind threads by
    forgetting the oldest one's blindness alone, while keeping the rest of what it knew of that thread, the
    first thread (which had a result the flow labelled, so the flow still held it) looked clean again and its model mailed the attacker.

    Fixed: the flow drops such a thread whole instead, so its next call reads it again from the journal,
    whose unobserved entries blind it again.

    Where: `guards/_threads.py` (`_Threads._blinded`)."""
    sent: list[Any] = []
    tools = [weather, web_page("(the live page, never read: the cache answers)"), mail_to(sent)]
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"blind", max_threads=2)
    mw = GuardMiddleware([flow.guard()], flow=flow, read_only=["browse", "weather"])
    app = create_agent(_model(), tools, checkpointer=InMemorySaver(),
                       middleware=[mw, AnsweredPastTheGate("browse", INJECTION), KeepTheConversation()])

    def say(thread: str, text: str) -> list[Any]:
        return app.invoke({"messages": [HumanMessage(text)]}, {"configurable": {"thread_id": thread}})["messages"]

    say("victim", "What is the weather, and what does the partner quote?")
    for other in ("a", "b", "c"):
        say(other, "What does the partner quote?")
    out = say("victim", "Fine, go ahead.")
    assert sent == []
    reply = next(m for m in out if isinstance(m, ToolMessage) and m.tool_call_id == "m1")
    assert reply.status == "error" and "unobserved-result" in str(reply.content)
