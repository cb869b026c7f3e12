"""Red team 118: a private record nested a few hundred deep is labelled, then breaks every later result.

Input: a tool declares a private field (`history`) that holds a record; the record is nested 600 deep
(a JSON attachment an attacker mailed the user, parsed by the tool: `json.loads` reads it, the journal
records it). The flow labels that result fine and shows the field as one handle.

From then on every result of any tool on the thread goes through `_Results._shown_secrets` ->
`_values_of`, which reads each handle value with `_record_values`, a recursion of two frames per level:
RecursionError. So the next, harmless result (`clock()` -> "noon") is shown as "could not be labelled",
every later rebuild of the thread raises the same way, and every later call on the thread is denied with
"the arguments of ... could not be labelled (RecursionError)", a reason naming neither the record nor
its depth. (Under `GuardMiddleware` the same raise leaves the graph from the read hook: see
test_privacy_middleware_unlabelled_result_not_crashing.) The value was accepted once; the flow's own bookkeeping of it then fails
every hook on the thread. (Red team 57b accepted a thread-wide denial for a result the flow could not
label at all; here the result was labelled, and the thread dies on the next, unrelated one.)

Fixed: `_handles._parts` walks a record with a stack and `_results._record_values` reads its values
through it.

Where (suggested): walk handle values with a stack (or a depth bound past which the rest is read as its JSON text) in
`guards/_results.py::_record_values` and `guards/_handles.py::_parts`, as `vfa._journal.with_reprs` does.
"""

from __future__ import annotations

import json

from _turns import by_turn
from langchain_core.messages import HumanMessage, ToolMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel

ME = "me@home.example"
ATTACHMENT = '{"a":' * 600 + '"x"' + "}" * 600


@privacy_source(private=["history"], kind="record")
def read_record(patient: str) -> dict:
    """Read a patient record (its history is the attachment, parsed)."""
    return {"patient": patient, "history": json.loads(ATTACHMENT)}


@privacy_sink()
@privacy_source()
def clock() -> str:
    """The time."""
    return "noon"


def test_a_later_unrelated_result_is_still_shown() -> None:
    rule = by_turn(("read_record", {"patient": "me"}, "r0"), ("clock", {}, "c1"), ("clock", {}, "c2"))
    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"rt118", journal=journal)
    app = Agent(ScriptedModel(rule=rule), [read_record, clock],
                guards=[flow.guard()], flow=flow, journal=journal).compile()
    out = app.invoke({"messages": [HumanMessage("read my record, then tell me the time")]},
                     {"configurable": {"thread_id": "t"}})
    shown = {m.tool_call_id: m for m in out["messages"] if isinstance(m, ToolMessage)}
    assert "«history:" in str(shown["r0"].content)  # the deep record itself is labelled and handled
    assert shown["c1"].content == "noon", shown["c1"].content
    assert shown["c2"].artifact["vfa"]["outcome"] == "ran", shown["c2"].content
