"""Red team 62: a web page's JSON nested 600 deep, returned with a date beside it (so the entry lists
"reprs"), does not stop the thread: the guard node replays that finished call on resume (a later call of
the same turn asked a person) without recursion (`_journal.with_reprs` walks with a stack), so the
approved call runs; a flow rebuilt after a restart reads it back too and labels later calls as live."""

from __future__ import annotations

import datetime as dt
from typing import Any

from _mail import mail_effect
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import ALLOW, Agent, EffectJournal, Escalate
from vfa.testing import ScriptedModel

USER = "me@home.example"
POLICY = PrivacyPolicy.of(USER)
DEPTH = 600  # the live flow, the journal's encoder and json.loads all take it


class _Confirm:
    name, tools, timeout_s, inline = "confirm", None, None, True

    def check(self, proposal: Any, context: Any) -> Any:
        return Escalate(question="send this mail?") if proposal.tool == "send_email" else ALLOW


def _fetch() -> Any:
    @privacy_sink()
    @privacy_source(untrusted=True, kind="web")
    def fetch() -> dict:
        """A web API's JSON (the page's author chose its shape), with when it was fetched."""
        data: Any = ["end"]
        for _ in range(DEPTH):
            data = [data]
        return {"fetched": dt.date(2026, 1, 2), "data": data}

    return fetch


def test_a_replayed_call_with_a_deep_result_does_not_crash_the_graph() -> None:
    def rule(messages: list[Any]) -> Any:
        if not any(isinstance(m, ToolMessage) for m in messages):
            return AIMessage("", tool_calls=[{"name": "fetch", "args": {}, "id": "c1"},
                                             {"name": "send_email", "args": {"to": [USER], "body": "hi"}, "id": "c2"}])
        return "done"

    sent: list = []
    journal = EffectJournal()
    flow = PrivacyFlow(POLICY, secret=b"s", journal=journal)
    app = Agent(ScriptedModel(rule=rule), [_fetch(), mail_effect(sent)], guards=[_Confirm(), flow.guard()],
                flow=flow, journal=journal).compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    app.invoke({"messages": [HumanMessage("Fetch the page and mail me hi.")]}, cfg)
    assert app.get_state(cfg).interrupts  # c1 ran and was shown; c2 asks
    app.invoke(Command(resume={"type": "approve"}), cfg)  # raises RecursionError now (c1 replayed)
    assert sent == [{"to": [USER], "body": "hi"}]


def test_a_rebuilt_thread_with_a_deep_result_still_works() -> None:
    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        if turn == 0:
            return AIMessage("", tool_calls=[{"name": "fetch", "args": {}, "id": "c1"}])
        if turn == 2:  # after the restart: an honest mail to the user herself
            return AIMessage("", tool_calls=[{"name": "send_email", "args": {"to": [USER], "body": "hi"}, "id": "c2"}])
        return "ok"

    sent: list = []
    journal, saver = EffectJournal(), InMemorySaver()
    cfg = {"configurable": {"thread_id": "t"}}

    def app() -> Any:
        flow = PrivacyFlow(POLICY, secret=b"s", journal=journal)
        return Agent(ScriptedModel(rule=rule), [_fetch(), mail_effect(sent)], guards=[flow.guard()], flow=flow,
                     journal=journal).compile(checkpointer=saver)

    app().invoke({"messages": [HumanMessage("Fetch the page.")]}, cfg)
    out = app().invoke({"messages": [HumanMessage("Now mail me hi.")]}, cfg)  # a restart between
    assert sent == [{"to": [USER], "body": "hi"}], [m.content for m in out["messages"] if isinstance(m, ToolMessage)][-1]
