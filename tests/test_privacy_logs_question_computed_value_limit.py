"""A question a guard asks about a value behind a handle, in words it computed from that value, sits in
the graph's checkpoints and streams as written: a stated limit (docs/privacy.md "Logs").

docs/privacy.md "Logs": "The model, the graph's streams (`stream_mode` updates, values, messages, debug), its
checkpoints, the OTel spans and the reprs of vfa's objects ... show handles only." Under "Other guards
judge values" it also says that what a guard computes from a value and writes out (its length, a
difference, a value cut in two) "is journaled and traced as written"; a question a guard asks (an
`Escalate`) is LangGraph's `interrupt()` value, which the checkpoint keeps and the `updates`, `values`,
`tasks` and `debug` streams carry.

Here a guard that judges values asks the person about a mail whose body holds the user's SSN behind a
handle, and writes the SSN's digits run together in its evidence (`078051120`): the model is never
shown it, the value as written is put back as its handle, but the computed form is in the checkpoint and
every stream above, as in the span.

What must hold, if the "Logs" claim is read as written: no checkpoint and no stream holds the digits of
a value the model holds as a handle. It does not: vfa cannot know what a guard computed from a value
(only the model's view withholds every token holding a digit), so it is a stated limit (docs/privacy.md "Logs"),
pinned here.
"""

from __future__ import annotations

import json

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import ALLOW, Agent, EffectJournal, Escalate, effect, guard
from vfa.testing import ScriptedModel

ME, SSN = "me@home.example", "078-05-1120"


@privacy_source(private=["ssn"], kind="profile")
def get_profile() -> dict:
    """The user's profile."""
    return {"name": "Emma", "ssn": SSN}


@privacy_sink(disclose={"body": "to"}, authority=["to"])
@effect
def send_email(to: str, body: str) -> str:
    """Send a mail."""
    return "sent"


@guard
def digits_check(p, c):
    if p.tool != "send_email":
        return ALLOW
    digits = "".join(ch for ch in p.args["body"] if ch.isdigit())
    return Escalate(question="send a mail holding an id?", evidence={"digits": digits})


def _rule(messages):
    turns = sum(isinstance(m, AIMessage) for m in messages)
    if turns == 0:
        return ("get_profile", {})
    if turns == 1:
        return ("send_email", {"to": ME, "body": json.loads(messages[-1].content)["ssn"]})
    return "done"



@pytest.mark.xfail(strict=True, reason="stated limit (docs/privacy.md 'Logs'): a guard's words computed from a value are kept as written")
def test_no_checkpoint_or_stream_holds_what_a_guard_computed_from_a_handled_value():
    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"logs-question-key", journal=journal)
    app = Agent(ScriptedModel(rule=_rule), [get_profile, send_email], guards=[flow.guard(), digits_check], flow=flow,
                journal=journal).compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    chunks = list(app.stream({"messages": [HumanMessage("mail me my ssn")]}, cfg,
                             stream_mode=["updates", "values", "messages", "debug", "tasks", "checkpoints"]))
    state = app.get_state(cfg)
    assert state.tasks and state.tasks[0].interrupts, "no question was asked"
    assert "«ssn:" in state.values["messages"][2].content and SSN not in repr(state.values["messages"])
    streamed = sorted({mode for mode, chunk in chunks if "078051120" in repr(chunk)})
    assert streamed == [], f"streams {streamed} hold the SSN's digits"
    assert not any("078051120" in repr(s) for s in app.get_state_history(cfg)), "a checkpoint holds the SSN's digits"
