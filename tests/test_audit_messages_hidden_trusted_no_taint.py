"""The messages' audit takes a result the gate hid whole and recorded as trusted for untrusted content.

A call to an untrusted source (`search_web`, declared `untrusted=True`) whose query holds a handle is run once a
person approves it; its result is computed from a handle, so the model is shown one handle, and its message
records how the live flow labelled it: `{"readers": [...], "trusted": true}` (the search found nothing, so it
held no untrusted content). Live, the model has read nothing untrusted, so a later mail to an address the model
wrote is no integrity violation. `trace_from_messages` + `audit_trace` must report the same: docs/privacy.md, "Audit":
"a result the gate showed as one handle, hidden whole, is labelled with the readers and trust the live flow
gave it, which its message records as `readers` and `trusted`".

Found: the audit labelled the handle's text by the tool's declaration (untrusted), and the recorded trust only
relabelled the handle: the observation kept its untrusted taint, so every later authority argument the model
wrote is reported (`integrity` on `to`), a violation the live guard never found (and the journal's audit does
not report). Found by the differential fuzzer in `tests/_parity_fuzz.py` (seeds 6 and 155 of its first version).
Under `create_agent` (seed 4294) the hidden result is shown as one text block holding the handle, which the
audit did not take for the handle at all: the recorded label was not read.

Fixed: a recorded trusted label clears the observation's taint (`guards/_results.py`), and a single text
block holding exactly the call's handle is read as that handle (`guards/_audit.py`).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from _strict_parity import _verdicts as live_verdicts, found
from _turns import by_step
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from benchmarks.privacy.world import CAROL, USER, World
from graphs import GuardMiddleware
from guards import PrivacyFlow, PrivacyPolicy, audit_trace, trace_from_journal, trace_from_messages
from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel

SECRET = b"hidden-trusted-key"


def _dob(tool: str, arg: str) -> Any:
    def step(tms: list[Any]) -> AIMessage:
        handle = re.search(r"«dob:[^»]+»", " ".join(str(m.content) for m in tms)).group(0)
        return AIMessage("", tool_calls=[{"name": tool, "args": {arg: handle}, "id": "b"}])
    return step


@pytest.mark.parametrize("middleware", [False, True], ids=["agent", "create_agent"])
@pytest.mark.parametrize("taint", ["untrusted", "private"])
@pytest.mark.parametrize(("tool", "arg", "untrusted"), [("search_web", "query", False), ("browse", "url", True)])
def test_audit_of_messages_reads_a_hidden_result_as_the_live_flow_labelled_it(taint: str, tool: str, arg: str,
                                                                            untrusted: bool, middleware: bool) -> None:
    """A search that found nothing read nothing untrusted; a page ("404 not found") did (the control). Under
    `create_agent` the search's hidden result (a list: `-> list`) is shown as one text block holding the handle,
    whose message records the same label (the parity fuzzer's seed 4294): the audit must read it so too."""
    steps = [AIMessage("", tool_calls=[{"name": "get_profile", "args": {}, "id": "a"}]), _dob(tool, arg),
             AIMessage("", tool_calls=[{"name": "send_email", "args": {"to": [CAROL], "subject": "hi", "body": "hello"},
                                        "id": "c"}])]
    policy = PrivacyPolicy.of(USER, on_violation="ask", context_taint=taint)
    journal = EffectJournal()
    flow = PrivacyFlow(policy, secret=SECRET, journal=journal)
    if middleware:
        app = create_agent(ScriptedModel(rule=by_step(steps)), World("").tools(), checkpointer=InMemorySaver(),
                           middleware=[GuardMiddleware([flow.guard()], flow=flow, journal=journal)])
    else:
        app = Agent(ScriptedModel(rule=by_step(steps)), World("").tools(), guards=[flow.guard()], flow=flow,
                    journal=journal).compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [HumanMessage("hi")]}, cfg)
    while out.get("__interrupt__"):
        out = app.invoke(Command(resume={out["__interrupt__"][0].id: {"type": "approve"}}), cfg)
    messages = out["messages"]
    hidden = next(m for m in messages if getattr(m, "name", "") == tool)
    assert hidden.artifact["vfa"]["trusted"] is not untrusted  # the live flow's label, recorded
    live = live_verdicts(journal)
    # the read (approved); the mail to an address the model wrote is a violation live after untrusted content only
    assert live == [("b", "confidentiality", arg), *([("c", "integrity", "to")] if untrusted else [])]
    tools = World("").tools()
    by_journal = found(audit_trace(trace_from_journal(journal, "t", messages=messages), tools,
                                   flow=PrivacyFlow(policy, secret=SECRET), thread_id="t"))
    by_messages = found(audit_trace(trace_from_messages(messages), tools, flow=PrivacyFlow(policy, secret=SECRET),
                                    thread_id="t"))
    assert by_journal == live
    assert by_messages == live
