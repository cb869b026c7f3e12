"""The messages' audit reports a violation the live guard never found when a result was hidden whole.

A result that shows a value the model holds only as a handle is shown to the model as one handle
(docs/privacy.md, "What counts"), labelled live with what the result holds: the W-2 file the world's `read_file`
returns is readable by those it is `shared_with` (carol, through `readers_from`), and it shows the SSN the
model holds as a handle, which the policy lets carol read too. So `send_doc(to=[carol], doc=«read_file:…»)`
(a tool that takes a record) is allowed live and sent, as it must be; `trace_from_journal` agrees.

`trace_from_messages` over the same conversation reads the one handle the gate showed as a result "hidden
whole" and labels it private to the user alone (`PrivacyFlow.observe(hidden=True)`): the record, and so
its `shared_with`, is not in the messages. The audit then reports `confidentiality` of `doc` for a mail
the live guard let through and the policy allows, under the vfa `Agent` and under `GuardMiddleware` alike.

Why it matters: the audit must report what the live guard found (docs/privacy.md, "Audit"); here it reports a
breach that did not happen. The docs/privacy.md lists what the messages' audit misses (a value behind handles)
but not that it reports more than the live guard did. Found by generated runs (a mail to carol of a
hidden W-2 result: seed 1377 of `tests/_mixed_runs.py`).

Expected: the messages' audit reports what the journal's audit reports (nothing). A fix would record,
beside the gate's message for a result it hid whole (its artifact, which the model never reads), the
readers the live flow gave it, for the messages' audit to label it with; or, if the conversation is not
to hold them, docs/privacy.md states the limit (and this test becomes a strict xfail).

Fixed: the gate's message of a result it hid whole records the readers the live flow gave it (`readers`,
with "trusted", `PrivacyFlow.hidden_label`), which `trace_from_messages` gives the audit, which labels the handle with them.
The control (the W-2 to bob, who may read neither it nor the SSN) is reported by both audits, as denied live.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from benchmarks.privacy.world import BOB, CAROL, POLICY, World
from graphs import GuardMiddleware
from guards import PrivacyFlow, audit_trace, privacy_sink, privacy_source, trace_from_journal, trace_from_messages
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

SECRET = b"hidden-result-readers"


def _send_doc(sent: list[Any]) -> Any:
    @privacy_sink(disclose={"doc": "to"}, authority=["to"])
    @privacy_source()
    @effect
    def send_doc(to: list[str], doc: dict) -> str:
        """Send a document."""
        sent.append((to, doc))
        return "sent"

    return send_doc


def _rule(ms: list[Any], to: str = CAROL) -> Any:
    """The profile (the SSN as a handle), the contacts, the W-2 (hidden whole: it shows the SSN), then the
    W-2 to carol, who may read it."""
    n = sum(isinstance(m, AIMessage) for m in ms)
    steps = [("get_profile", {}), ("list_contacts", {}), ("read_file", {"path": "tax/w2-2025.txt"})]
    if n < len(steps):
        return AIMessage("", tool_calls=[{"name": steps[n][0], "args": steps[n][1], "id": f"c{n}"}])
    if n == len(steps):
        return AIMessage("", tool_calls=[{"name": "send_doc", "args": {"to": [to], "doc": str(ms[-1].content)},
                                          "id": "send"}])
    return AIMessage("done")


@pytest.mark.parametrize("to", [CAROL, BOB])
@pytest.mark.parametrize("agent", ["vfa", "create_agent"])
def test_the_messages_audit_of_a_result_hidden_whole_agrees_with_live(agent: str, to: str) -> None:
    rule = functools.partial(_rule, to=to)
    sent: list[Any] = []
    tools = [*World("").tools(), _send_doc(sent)]
    journal = EffectJournal()
    flow = PrivacyFlow(POLICY, secret=SECRET, journal=journal)
    if agent == "vfa":
        app = Agent(ScriptedModel(rule=rule), tools, guards=[flow.guard()], flow=flow,
                    journal=journal).compile(checkpointer=InMemorySaver())
    else:
        app = create_agent(ScriptedModel(rule=rule), tools, checkpointer=InMemorySaver(),
                           middleware=[GuardMiddleware([flow.guard()], flow=flow, journal=journal)])
    out = app.invoke({"messages": [HumanMessage("Send Carol my W-2.")]}, {"configurable": {"thread_id": "t"}})
    # live: the W-2 went to carol, as the policy allows; bob may read neither the file nor the SSN
    assert [who for who, _doc in sent] == ([[CAROL]] if to == CAROL else [])
    audit_tools = [*World("").tools(), _send_doc([])]

    def found(trace: Any) -> list[tuple[str, str, str]]:
        return sorted((v.call_id, v.rule, v.arg) for v in audit_trace(
            trace, audit_tools, flow=PrivacyFlow(POLICY, secret=SECRET), thread_id="t"))

    expected = [] if to == CAROL else [("send", "confidentiality", "doc")]
    assert found(trace_from_journal(journal, "t", messages=out["messages"])) == expected
    assert found(trace_from_messages(out["messages"])) == expected, "the messages' audit differs from live"


@pytest.mark.parametrize("readers", ["carol@cpa.example", [1], {"carol@cpa.example": 1}])
def test_a_trace_whose_readers_are_no_list_of_principals_is_refused(readers: Any) -> None:
    from guards import TraceError

    trace = [{"type": "user", "content": "Send Carol my W-2."},
             {"type": "call", "id": "c0", "tool": "read_file", "args": {"path": "tax/w2-2025.txt"}},
             {"type": "result", "id": "c0", "tool": "read_file", "result": "x", "readers": readers}]
    with pytest.raises(TraceError, match="readers"):
        audit_trace(trace, World("").tools(), flow=PrivacyFlow(POLICY, secret=SECRET), thread_id="t")
