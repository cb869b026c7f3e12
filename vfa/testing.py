"""Deterministic test doubles: a scripted chat model, function guards, span capture, guard checks.

Not imported by `import vfa`; tests and examples import it explicitly.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from ._guard import FunctionGuard, GuardContext, guard
from ._journal import EffectJournal
from ._proposal import Proposal

__all__ = ["FunctionGuard", "ScriptedModel", "capture_spans", "check_guard", "guard", "memory_journal"]

Step = Any  # AIMessage | str | list[tuple[str, dict]] | tuple[str, dict]


class ScriptedModel(BaseChatModel):
    """A chat model that replies from a script or a rule: the same interface as an LLM, no network.

    Each reply is chosen by how many AI messages the conversation already holds, so the model is
    stateless: a thread resumed after a crash or an interrupt gets the same reply it would have.

    A step is a final answer (`str`), one tool call (`("transfer", {"to": "bob", "amount": 5})`),
    several (a list of those), or an `AIMessage`. `rule(messages)` may return a step instead.
    """

    script: list[Any] = []
    """The replies, in order; past the end the model answers "done"."""
    rule: Callable[[list[BaseMessage]], Any] | None = None
    """Writes each reply from the conversation so far; used when given, instead of the script."""

    def __init__(self, script: Sequence[Step] = (), *, rule: Callable[[list[BaseMessage]], Any] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(script=list(script), rule=rule, **kwargs)

    @property
    def _llm_type(self) -> str:
        return "vfa-scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedModel:
        """Accept tool schemas as a real model would; the script already says what to call."""
        return self

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        step = self.rule(messages) if self.rule is not None else (
            self.script[turn] if turn < len(self.script) else "done")
        return ChatResult(generations=[ChatGeneration(message=to_message(step, turn))])


def to_message(step: Step, turn: int = 0) -> AIMessage:
    """Turn a script step into the AIMessage a model would return; call ids are deterministic."""
    if isinstance(step, AIMessage):
        return step
    if isinstance(step, str):
        return AIMessage(content=step)
    calls = [step] if isinstance(step, tuple) else list(step)
    return AIMessage(content="", tool_calls=[
        {"name": name, "args": args, "id": f"call_{turn}_{i}", "type": "tool_call"}
        for i, (name, args) in enumerate(calls)])


def last_tool_results(messages: Sequence[BaseMessage]) -> list[ToolMessage]:
    """The tool messages answering the most recent model turn."""
    out: list[ToolMessage] = []
    for m in reversed(messages):
        if isinstance(m, ToolMessage):
            out.append(m)
        else:
            break
    return out[::-1]


def memory_journal() -> EffectJournal:
    """A fresh in-memory journal."""
    return EffectJournal(":memory:")


@contextmanager
def capture_spans() -> Iterator[Any]:
    """Capture vfa's spans in memory for the block; yields the exporter (`.get_finished_spans()`)."""
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from . import _tracing

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    reader = InMemoryMetricReader()
    exporter.metric_reader = reader  # type: ignore[attr-defined]
    state = _tracing._state
    # the instruments too: left on the capture's meter, every later verdict would be counted where nobody reads
    previous = state.provider, state.tracer, state.verdicts, state.latency
    _tracing.use_tracer_provider(provider, MeterProvider(metric_readers=[reader]))
    try:
        yield exporter
    finally:
        provider.shutdown()
        state.provider, state.tracer, state.verdicts, state.latency = previous


def check_guard(g: Any, proposal: Proposal, context: GuardContext | None = None, *, runs: int = 3) -> Any:
    """Check that a guard is deterministic on a proposal, and that the chain denies when it fails.

    Returns the guard's verdict. Raises AssertionError when two runs disagree, or when the chain
    does not turn a crash or a hang of the guard into a deny.
    """
    from ._chain import GuardChain

    context = context or GuardContext()
    verdicts = [GuardChain([g]).verify(proposal, context).verdict for _ in range(runs)]
    dumped = {json.dumps(v.model_dump(mode="json"), sort_keys=True, default=repr) for v in verdicts}
    assert len(dumped) == 1, f"guard {getattr(g, 'name', g)!r} is not deterministic: {dumped}"

    def crash(p: Proposal, c: GuardContext) -> Any:
        raise RuntimeError("injected failure")

    def hang(p: Proposal, c: GuardContext) -> Any:
        time.sleep(0.5)
        return g.check(p, c)

    crashed = GuardChain([FunctionGuard(crash, name="crash")]).verify(proposal, context).verdict
    assert crashed.kind == "deny", "a crashing guard must deny"
    hung = GuardChain([FunctionGuard(hang, name="hang", timeout_s=0.05)]).verify(proposal, context).verdict
    assert hung.kind == "deny", "a guard over its time budget must deny"
    return verdicts[0]
