"""Red team 105: a recipient a person types into a `HumanInTheLoopMiddleware` edit was judged as the model's.

Attack / scenario (honest run): a `create_agent` app with `HumanInTheLoopMiddleware` reviewing
`send_email`, then `GuardMiddleware` with a privacy flow (the order `graphs/_middleware.py` recommends:
the gate sees the call "after a reviewer's edit (HumanInTheLoopMiddleware)"). The model read a partner's
web page (untrusted) naming two contacts and proposes one of them; the person reviewing replaces the
recipient with the other contact, whom they know, typing the address themselves.

Expected: parity with vfa's own question. When the same person answers vfa's escalation with the same
edit (`{"type": "edit", "args": ...}`), docs/privacy.md's rule applies — "What a person types into an edit of a
call (the edit's values the model's call does not hold ...) is the user's word too" — and the mail is
sent (checked below as the control). Through `HumanInTheLoopMiddleware` the person's typed recipient
is labelled as if the model wrote it, and the call is denied with `authority needs the user`: "to may
come from untrusted content ... and appears in no user message" — wrong: the person wrote it. The
model then also reads LangChain's note that the edit "was intentional and authorized" beside vfa's
denial of it.

Fixed: the gate hands the guard node the model's call beside a reviewer's edit (`reviewed_from`), and
the flow labels the edit against it, as an edit of vfa's own question; the audits of the journal and
of the messages read the edit so too (checked below: no violation, as live).

Where: `graphs/_gate.py` (`GatedTool._split` / `ToolGate.settle` hand the edited call to
`GuardNode.handle` with no `edited_from`; the reviewer's edit is in the request's `tool_call`, and
the model's call in the state's last AIMessage / `hitl_edited_tool_calls`), `guards/_flow.py`
`PrivacyFlow.label` (`_typed_by_person` only for vfa's own edits).
"""

from __future__ import annotations

from typing import Any

from _web_mail import mail_to, web_page
from langchain.agents import create_agent
from langchain.agents.middleware import HumanInTheLoopMiddleware
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from graphs import GuardMiddleware
from guards import (
    PrivacyFlow,
    PrivacyPolicy,
    audit_trace,
    trace_from_journal,
    trace_from_messages,
)
from vfa.testing import ScriptedModel

ME, BOB, LEAD = "me@home.example", "bob@partner.example", "lead@partner.example"
ASK = "Ask the partner's sales lead (see https://partner.example) for a quote"
EDITED = {"to": BOB, "body": "please send a quote"}


def _app(sent: list[Any], *, on_violation: str, before: list[Any] = (), gates: list[Any] | None = None) -> Any:
    browse = web_page(f"Contact our sales lead {BOB} or {LEAD} for a quote.")

    send_email = mail_to(sent)

    def rule(ms: list[Any]) -> Any:
        n = sum(m.type == "tool" for m in ms)
        if n == 0:
            return AIMessage("", tool_calls=[{"name": "browse", "id": "b1", "args": {"url": "https://partner.example"}}])
        if n == 1:
            return AIMessage("", tool_calls=[{"name": "send_email", "id": "m1",
                                              "args": {"to": LEAD, "body": "please send a quote"}}])
        return "done"

    flow = PrivacyFlow(PrivacyPolicy.of(ME, on_violation=on_violation), secret=b"rt105")
    mw = GuardMiddleware([flow.guard()], flow=flow, read_only=["browse"])
    if gates is not None:
        gates.extend([mw, browse, send_email])
    return create_agent(ScriptedModel(rule=rule), [browse, send_email], middleware=[*before, mw],
                        checkpointer=InMemorySaver())


def test_control_vfas_own_question_takes_the_persons_typed_recipient_as_the_users_word():
    sent: list[Any] = []
    app = _app(sent, on_violation="ask")
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [HumanMessage(ASK)]}, cfg)
    assert out["__interrupt__"][0].value["args"]["to"] == LEAD
    app.invoke(Command(resume={"type": "edit", "args": EDITED}), cfg)
    assert sent == [(BOB, "please send a quote")]


def test_a_recipient_typed_into_a_hitl_edit_is_the_users_word_too():
    sent: list[Any] = []
    made: list[Any] = []
    app = _app(sent, on_violation="deny", before=[HumanInTheLoopMiddleware(interrupt_on={"send_email": True})],
               gates=made)
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [HumanMessage(ASK)]}, cfg)
    assert out["__interrupt__"]  # the reviewer is asked
    out = app.invoke(Command(resume={"decisions": [
        {"type": "edit", "edited_action": {"name": "send_email", "args": EDITED}}]}), cfg)
    shown = str(out["messages"][-2].content)
    assert "authority needs the user" not in shown, shown
    assert sent == [(BOB, "please send a quote")]
    mw, *tools = made
    policy = PrivacyPolicy.of(ME)
    for trace in (trace_from_journal(mw.journal, "t", messages=out["messages"]), trace_from_messages(out["messages"])):
        assert audit_trace(trace, tools, policy, thread_id="t") == []  # as live: the person typed the recipient
