"""Red team 77: a tool's own question quoting a resolved value is written into the OTel trace in clear.

Guarantee: private values reach only the sinks their labels allow; the trace (spans exported to a
JSONL file or an OTLP collector) is no reader of the user's data. docs/privacy.md: what a guard judging
values says "is journaled, traced and shown with every value of the thread's handles written as its
handle again"; the node's spans carry only the GenAI attributes, the outcome and the decisions.

How it breaks: an effect receives the private values its handles stand for (`flow.resolve`) and may
ask the person before acting (`interrupt(f"confirm paying {amount} to {iban}?")`, the documented
way for a tool to pause). The `GraphInterrupt` propagates through `GuardNode.handle`'s
`_tracing.span("execute_tool ...")`, and OpenTelemetry's `start_as_current_span` (default
`record_exception=True`) records it as a span event whose `exception.message` (and stack trace) is
`Interrupt(value='confirm paying 10 to DE89370400440532013000?' ...)`: the IBAN the model only ever
held as `«iban:…»` goes to the trace exporter.

Cause: vfa/_guard_node.py:228 (`_tracing.span` -> vfa/_tracing.py:72 `start_as_current_span` with
the SDK's default `record_exception=True`). Fix: open the node's spans with `record_exception=False`
(and `set_status_on_exception=False`), and record a bubble-up as its kind only (e.g. `vfa.outcome =
"paused"`); record other exceptions by type, never by message, when a flow is set.
"""

from __future__ import annotations

import json

from _landlord import IBAN, landlord_agent, payment
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import interrupt

from vfa.testing import capture_spans


def test_a_tools_question_is_not_traced_with_the_value_behind_a_handle():
    @payment
    def pay(iban: str, amount: int) -> str:
        """Pay an account, once the person confirms."""
        interrupt(f"confirm paying {amount} to {iban}?")
        return "paid"

    app = landlord_agent(pay, 10, secret=b"rt77", checkpointer=InMemorySaver())
    with capture_spans() as spans:
        out = app.invoke({"messages": [HumanMessage("pay the landlord 10")]}, {"configurable": {"thread_id": "t"}})
    assert "«iban:" in out["messages"][2].content  # the model held the IBAN as a handle only
    traced = [(s.name, dict(s.attributes or {}), [(e.name, dict(e.attributes or {})) for e in s.events],
               s.status.description) for s in spans.get_finished_spans()]
    leaked = [t[0] for t in traced if IBAN in json.dumps(t, default=str)]
    assert not leaked, f"spans {leaked} hold the private IBAN in clear"
