"""A plain-tool agent under a flow that mails the user their SSN, which the model holds as a handle; its effect
may have a helper LangGraph graph draft the mail."""

from __future__ import annotations

import json
from typing import TypedDict

from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

ME, SSN = "me@home.example", "078-05-1120"
CFG = {"configurable": {"thread_id": "t"}}


class Draft(TypedDict):
    text: str


def _helper(checkpointer=None):
    g = StateGraph(Draft)
    g.add_node("polish", lambda s: {"text": f"Dear me: {s['text']}"})
    g.add_edge(START, "polish")
    g.add_edge("polish", END)
    # None: no checkpointer of its own, so LangGraph has it inherit the caller's; False: none at all
    return g.compile(checkpointer=checkpointer)


def mail_ssn_app(send_email):
    """An agent under a flow that reads the profile, then mails its SSN (a handle to the model) to the user
    with `send_email`: returns the app and its checkpointer."""

    @privacy_source(private=["ssn"], kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Emma", "ssn": SSN}

    def rule(messages):
        turns = sum(isinstance(m, AIMessage) for m in messages)
        if turns == 0:
            return ("get_profile", {})
        if turns == 1:
            return ("send_email", {"to": ME, "body": json.loads(messages[-1].content)["ssn"]})
        return "done"

    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"helper-graph", journal=journal)
    saver = InMemorySaver()
    app = Agent(ScriptedModel(rule=rule), [get_profile, send_email], guards=[flow.guard()], flow=flow,
                journal=journal).compile(checkpointer=saver)
    return app, saver


def helper_app(sent: list[str], checkpointer=None):
    """`mail_ssn_app` whose effect has a helper graph draft the mail (`checkpointer`: the helper's)."""
    helper = _helper(checkpointer)

    @privacy_sink(disclose={"body": "to"}, authority=["to"])
    @effect
    def send_email(to: str, body: str) -> str:
        """Send a mail, its text drafted by a helper graph first."""
        sent.append(helper.invoke({"text": body})["text"])
        return "sent"

    return mail_ssn_app(send_email)
