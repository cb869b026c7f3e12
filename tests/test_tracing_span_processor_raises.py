"""A tracing pipeline that raises breaks the agent's run, an allowed call never run or its result lost.

README (Tracing): with the application's own tracer provider set, vfa's spans go to it; `configure_tracing`'s
comment: "the journal, not the trace, is the durable record of what happened". Tracing is an observer: what a
span processor or exporter does must not decide whether a call runs, nor what the model is told.

How it breaks: OpenTelemetry's SDK calls each span processor's `on_start` and `on_end` in the thread that starts
or ends the span, and lets what they raise through (only its own Simple/Batch processors catch an exporter's
error). vfa starts and ends its spans on the decision path: `GuardNode.verify` records each decision as a
`run_guardrail` span before the call is committed, the call runs inside its `execute_tool` span and the run inside
`invoke_agent`. A processor that raises (a vendor's span processor, an exporter called without the SDK's guard)
makes `app.invoke` raise: with a `run_guardrail` or `execute_tool` span, a call every guard allowed is never run
(the run ends in the processor's error, nothing journaled); with an `execute_tool` or `invoke_agent` span's end,
the payment was made and committed, and the run raises instead of answering.

What must hold: a processor that raises changes nothing of the run: the denied call stays denied, the allowed call
runs once and its result reaches the model, and the run ends as it would untraced.

Fixed: every span start and end and each metric record goes through _tracing._quietly, which logs what the
pipeline raised and leaves the span out.
"""

from __future__ import annotations

import pytest
from langchain_core.messages import ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider

from vfa import ALLOW, Agent, Deny, EffectJournal, _tracing, effect, guard
from vfa.testing import ScriptedModel


class _Raising(SpanProcessor):
    def __init__(self, prefix: str, when: str) -> None:
        self.prefix, self.when = prefix, when

    def on_start(self, span, parent_context=None):
        if self.when == "start" and span.name.startswith(self.prefix):
            raise RuntimeError("span processor failed")

    def on_end(self, span):
        if self.when == "end" and span.name.startswith(self.prefix):
            raise RuntimeError("span processor failed")


@pytest.fixture
def raising_provider():
    def use(prefix: str, when: str) -> None:
        provider = TracerProvider()
        provider.add_span_processor(_Raising(prefix, when))
        _tracing.use_tracer_provider(provider)

    state = _tracing._state
    before = state.provider, state.tracer, state.verdicts, state.latency
    try:
        yield use
    finally:
        state.provider, state.tracer, state.verdicts, state.latency = before


@pytest.mark.parametrize("when", ["start", "end"])
@pytest.mark.parametrize("prefix", ["run_guardrail", "execute_tool", "invoke_agent"])
def test_a_raising_span_processor_changes_no_verdict(raising_provider, prefix, when):
    paid = []

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay `amount` to `to`."""
        paid.append(amount)
        return f"paid {amount}"

    budget = guard(lambda p, c: Deny(reason="over budget") if p.args["amount"] > 100 else ALLOW, name="budget")
    app = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 500}), ("pay", {"to": "bob", "amount": 5}), "done"]),
                [pay], [budget], journal=EffectJournal()).compile(checkpointer=InMemorySaver())
    raising_provider(prefix, when)
    out = app.invoke({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": "t"}})
    results = [m for m in out["messages"] if isinstance(m, ToolMessage)]
    assert [m.artifact["vfa"]["outcome"] for m in results] == ["denied", "committed"]
    assert paid == [5] and results[1].content == "paid 5"
    assert out["messages"][-1].content == "done"
