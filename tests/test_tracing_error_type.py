"""A span vfa ends in error names the error's class (`error.type`), as the OTel conventions ask.

README (Tracing): spans with "the OTel GenAI attributes"; an `execute_tool` span whose call did not commit
"ends in error with `error.type` naming the outcome". The GenAI `execute_tool` and `invoke_agent` spans make
`error.type` "Conditionally Required if the operation ended in an error", and the general "Recording errors"
convention says that an instrumentation ending a span in error SHOULD set both the status and `error.type`
(the canonical name of the exception, or another low-cardinality identifier): it is what a backend groups
failures by.

How it breaks: a run cut off by an exception that passes through the node (the effect's own
`BaseException`, a `CallInFlightError`, a journal that fails) ends its `execute_tool` and `invoke_agent` spans
in error through `_tracing._record_failure`, which sets the status and an `exception` event, never
`error.type`; and a `run_guardrail` span that denies ends in error without one either. A backend's error views
keyed on `error.type` miss both.

What must hold: every span vfa ends in error carries `error.type`: the exception's qualified class name for a
span an exception ended (never its message), the verdict's kind for a guard's denial.

Fixed: _tracing._record_failure sets error.type to the exception's qualified class name, and a run_guardrail
span that denies or repairs carries error.type naming the verdict.
"""

from __future__ import annotations

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from vfa import ALLOW, Agent, Deny, EffectJournal, effect, guard
from vfa.testing import ScriptedModel, capture_spans


class Halted(BaseException):
    """What stops a run past vfa's handling (as a process's shutdown does): the effect may have happened."""


@effect
def pay(to: str, amount: int) -> str:
    """Pay `amount` to `to`."""
    raise Halted(f"halted while paying {to}")


def test_spans_ended_by_an_exception_name_its_class():
    app = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"]), [pay], journal=EffectJournal(),
                name="payments").compile(checkpointer=InMemorySaver())
    with capture_spans() as spans:
        with pytest.raises(Halted):
            app.invoke({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": "t"}})
        finished = {s.name: s for s in spans.get_finished_spans()}
    for name in ("execute_tool pay", "invoke_agent payments"):
        s = finished[name]
        assert s.status.status_code.name == "ERROR", name
        assert s.attributes.get("error.type") == f"{__name__}.Halted", (name, dict(s.attributes))
        assert "bob" not in str(s.to_json()), name  # the class, never the message


def test_a_guards_denial_span_names_its_kind():
    def allow_small(p, c):
        return Deny(reason="too much") if p.args["amount"] > 100 else ALLOW

    @effect
    def transfer(to: str, amount: int) -> str:
        """Transfer."""
        return "sent"

    app = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 500}), "done"]), [transfer],
                [guard(allow_small, name="budget")], journal=EffectJournal()).compile(checkpointer=InMemorySaver())
    with capture_spans() as spans:
        app.invoke({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": "t"}})
        (denial,) = [s for s in spans.get_finished_spans() if s.name == "run_guardrail budget"]
    assert denial.status.status_code.name == "ERROR"
    assert denial.attributes.get("error.type") == "deny", dict(denial.attributes)
