"""A flow shared by agents built anew per request does not keep the agents it served alive.

Red team 127 (noted): `PrivacyFlow.bind` kept every guard node's tools in `_bound`, which the flow
scans for a tool's declaration on every call (`_spec`) and the privacy guard scans to tell that it
labels a call (`_labels`). A service that builds an `Agent` per request on one shared flow (a model
chosen per request) grew the list, the memory it held and the time of both scans without bound.

Fixed: the flow refers to a guard node's tools weakly (`_Specs`), and lets go of those of nodes dropped.
"""

from __future__ import annotations

import gc

from langchain_core.messages import HumanMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

USER = "me@home.example"


@privacy_sink(disclose={"body": "to"})
@privacy_source()
@effect
def send_email(to: str, body: str) -> str:
    """Send an email."""
    return "sent"


@privacy_source(private=["ssn"], handle=False, kind="profile")
def get_profile() -> dict:
    """The user's profile."""
    return {"name": "Ann", "ssn": "078-05-1120"}


def test_agents_built_per_request_are_let_go_and_the_last_still_guards() -> None:
    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"bound-once", journal=journal)
    for i in range(200):
        Agent(ScriptedModel(["done"]), [send_email, get_profile], guards=[flow.guard()], flow=flow,
              journal=journal).compile()
    gc.collect()
    assert len(flow.bound()) == 0
    # the last agent built still labels and guards its calls: the SSN to an outsider is denied
    def rule(messages: list) -> object:
        turn = sum(1 for m in messages if m.type == "ai")
        if turn == 0:
            return ("get_profile", {})
        if turn == 1:
            return ("send_email", {"to": "eve@evil.example", "body": messages[-1].content})
        return "done"

    model = ScriptedModel(rule=rule)
    app = Agent(model, [send_email, get_profile], guards=[flow.guard()], flow=flow, journal=journal).compile()
    out = app.invoke({"messages": [HumanMessage("send eve my profile")]}, {"configurable": {"thread_id": "t"}})
    gc.collect()
    assert len(flow._bound) == 1 and len(flow.bound()) == 1
    denied = [e for e in journal.entries("t") if e.kind == "denied" and e.tool == "send_email"]
    assert denied, [m.content for m in out["messages"]]


def test_agents_alive_stay_bound() -> None:
    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"bound-once", journal=journal)
    apps = [Agent(ScriptedModel(["done"]), tools, guards=[flow.guard()], flow=flow, journal=journal).compile()
            for tools in ([send_email], [send_email, get_profile])]
    gc.collect()
    assert [sorted(m) for m in flow.bound()] == [["send_email"], ["get_profile", "send_email"]], apps
