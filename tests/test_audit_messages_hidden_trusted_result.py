"""The messages' audit of a trusted result hidden whole agrees with live on its integrity.

A result that shows the value of one of the thread's handles is shown to the model as one handle (hidden
whole), labelled trusted where the live flow trusted the result (`_results._derived`: a mail whose sender
the policy's `trusted_sources` vouch for). The gate's message records the readers the live flow gave the
handle (`readers`), not its trust; the messages' audit reads only the handle, labels
it from the tool's declaration as text (every untrusted field making the whole untrusted), and so reports
an `integrity` violation for a call the live guard, and the journal's audit, let pass.

Here Larry's mail (trusted: `email:from:larry@rent.example`) quotes the user's SSN, so it is hidden whole;
the model files the mail (its handle) with a tool whose argument needs the user's authority. Live, it is
committed; the journal's audit agrees; the messages' audit reports `integrity` on it.

Must hold: the messages' audit reports what the live guard (and the journal's audit) reported for a hidden
result's trust; the control, the same mail from mallory (not trusted), is denied live and reported by both.

Fixed: the gate's message records how the live flow labelled a result it hid whole, its readers and its
trust (`PrivacyFlow.hidden_label`: "readers" and "trusted"), which `trace_from_messages` hands on and the
audit gives the handle again (`observe(hidden_as=...)`). A trace event holding one without the other, or
either of the wrong kind, is refused (`TraceError`), the last test.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from graphs import GuardMiddleware
from guards import (PrivacyFlow, PrivacyPolicy, audit_trace, privacy_sink, privacy_source, trace_from_journal,
                    trace_from_messages)
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

USER, LARRY, MALLORY = "me@home.example", "larry@rent.example", "mallory@evil.example"
POLICY = PrivacyPolicy.of(USER, trusted_sources=[f"email:from:{LARRY}"])
SECRET = b"rt185-hidden-trusted"


def _tools(filed: list[Any], sender: str) -> list[Any]:
    @privacy_sink()
    @privacy_source(private=["ssn"], kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Emma Stone", "ssn": "078-05-1120"}

    @privacy_sink()
    @privacy_source(private=["body"], untrusted=["body"], handle=False, readers_from=["from"], kind="email", key="id")
    def read_mail() -> dict:
        """The landlord's last mail."""
        return {"id": 1, "from": sender, "body": "Tenant 078-05-1120: from June the rent goes to DE89370400440532013000."}

    @privacy_sink(authority=["mail"], internal=["mail"])
    @effect
    def file_rent_change(mail: dict) -> str:
        """File a change of the rent's account, as a mail asks."""
        filed.append(mail)
        return "filed"

    return [get_profile, read_mail, file_rent_change]


def _rule(ms: list[Any]) -> AIMessage:
    """The profile (the SSN a handle), the mail (hidden whole: it quotes the SSN), the mail's handle filed."""
    n = sum(isinstance(m, AIMessage) for m in ms)
    steps = [("get_profile", {}), ("read_mail", {}), ("file_rent_change", {"mail": str(ms[-1].content)})]
    if n < len(steps):
        return AIMessage("", tool_calls=[{"name": steps[n][0], "args": steps[n][1], "id": f"c{n}"}])
    return AIMessage("done")


@pytest.mark.parametrize("sender", [LARRY, MALLORY])
@pytest.mark.parametrize("agent", ["vfa", "create_agent"])
def test_the_messages_audit_of_a_trusted_result_hidden_whole_agrees_with_live(agent: str, sender: str) -> None:
    filed: list[Any] = []
    journal = EffectJournal()
    flow = PrivacyFlow(POLICY, secret=SECRET, journal=journal)
    if agent == "vfa":
        app = Agent(ScriptedModel(rule=_rule), _tools(filed, sender), guards=[flow.guard()], flow=flow,
                    journal=journal).compile(checkpointer=InMemorySaver())
    else:
        app = create_agent(ScriptedModel(rule=_rule), _tools(filed, sender), checkpointer=InMemorySaver(),
                           middleware=[GuardMiddleware([flow.guard()], flow=flow, journal=journal)])
    out = app.invoke({"messages": [HumanMessage("Do as the landlord's mail says.")]}, {"configurable": {"thread_id": "t"}})
    trusted = sender == LARRY
    assert len(filed) == (1 if trusted else 0)  # live: Larry's word has the user's authority, mallory's none

    def found(trace: Any) -> list[tuple[str, str, str]]:
        return sorted((v.call_id, v.rule, v.arg) for v in audit_trace(
            trace, _tools([], sender), flow=PrivacyFlow(POLICY, secret=SECRET), thread_id="t"))

    expected = [] if trusted else [("c2", "integrity", "mail")]
    assert found(trace_from_journal(journal, "t", messages=out["messages"])) == expected
    assert found(trace_from_messages(out["messages"])) == expected, "the messages' audit differs from live"


@pytest.mark.parametrize(("extra", "named"), [
    ({"readers": ["me@home.example"]}, "trusted"),
    ({"trusted": True}, "readers"),
    ({"readers": "me@home.example", "trusted": True}, "readers"),
    ({"readers": ["me@home.example"], "trusted": "yes"}, "trusted"),
])
def test_a_hidden_results_label_is_given_whole_and_of_its_kinds(extra: dict[str, Any], named: str) -> None:
    from guards import TraceError

    trace = [{"type": "user", "content": "Do as the landlord's mail says."},
             {"type": "call", "id": "c1", "tool": "read_mail", "args": {}},
             {"type": "result", "id": "c1", "tool": "read_mail", "result": "x", **extra}]
    with pytest.raises(TraceError, match=f"event 2: .*{named}"):
        audit_trace(trace, _tools([], LARRY), POLICY)
