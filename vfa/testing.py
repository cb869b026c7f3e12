"""Deterministic test doubles: a scripted chat model, function guards, span capture, guard checks.

Not imported by `import vfa`; tests and examples import it explicitly.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
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
from ._verdict import ALLOW

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
        # a copy: LangChain writes the run's id onto a reply without one, in place; on the script's own message
        # that id was every later reply's (a step used twice replaced the first in the state, a turn lost). Not a
        # deep one: a step's arguments may nest deeper than `copy.deepcopy` recurses (a test of deep arguments)
        return step.model_copy(update={"tool_calls": [dict(call) for call in step.tool_calls]})
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

    The guard is judged on each path the chain takes it by: `verify`, and `averify` too when it has `acheck`
    (what an agent run with `ainvoke` uses). Returns the guard's verdict. Raises AssertionError when two runs
    disagree (on one path or across the two), when the guard does not judge the proposal's tool (its `tools`),
    or when the chain does not turn a crash or a hang of a guard of its kind (sync `check`, or `acheck` alone;
    inline or budgeted) into a deny. An inline guard runs with no deadline, so only its crash is probed.
    """
    from ._chain import GuardChain

    context = context or GuardContext()
    name = getattr(g, "name", None) or type(g).__name__
    chain = GuardChain([g])
    if not chain.applicable(proposal.tool):
        raise AssertionError(f"guard {name!r} does not judge {proposal.tool!r} calls (its tools: "
                             f"{sorted(getattr(g, 'tools', None) or ())!r}): nothing was checked")
    inline = bool(getattr(g, "inline", False))  # no deadline, by its author's word: a hang is not probed
    has_async = callable(getattr(g, "acheck", None))
    by_path = {"verify": [chain.verify(proposal, context).verdict for _ in range(runs)]}
    if has_async:
        by_path["averify"] = _run_async(lambda: _averified(chain, proposal, context, runs))
    dumped = {path: {json.dumps(v.model_dump(mode="json"), sort_keys=True, default=repr) for v in verdicts}
              for path, verdicts in by_path.items()}
    assert len(set().union(*dumped.values())) == 1, f"guard {name!r} is not deterministic: {dumped}"

    # probes of the guard's kind: a sync check, or an async one (acheck alone), on each path it is judged by
    probes = [("verify", callable(getattr(g, "check", None)))] + ([("averify", False)] if has_async else [])
    for path, sync in probes:
        for failure in ("crash",) if inline else ("crash", "hang"):
            probe = FunctionGuard(_PROBES[failure, sync], name=failure, timeout_s=0.05, inline=inline)
            verdict = (GuardChain([probe]).verify(proposal, context) if path == "verify" else
                       _run_async(lambda: GuardChain([probe]).averify(proposal, context))).verdict
            kind = "a sync" if sync else "an async"
            assert verdict.kind == "deny", f"a {failure} of {kind} guard under {path} must deny: {verdict!r}"
    return by_path["verify"][0]


def _crash(p: Proposal, c: GuardContext) -> Any:
    raise RuntimeError("injected failure")


def _hang(p: Proposal, c: GuardContext) -> Any:
    time.sleep(0.5)
    return ALLOW  # what the chain would take, had it waited


async def _acrash(p: Proposal, c: GuardContext) -> Any:
    raise RuntimeError("injected failure")


async def _ahang(p: Proposal, c: GuardContext) -> Any:
    await asyncio.sleep(0.5)
    return ALLOW


_PROBES = {("crash", True): _crash, ("hang", True): _hang, ("crash", False): _acrash, ("hang", False): _ahang}


async def _averified(chain: Any, proposal: Proposal, context: GuardContext, runs: int) -> list[Any]:
    return [(await chain.averify(proposal, context)).verdict for _ in range(runs)]


def _run_async(make: Callable[[], Any]) -> Any:
    """`asyncio.run(make())`, on a thread of its own when a loop already runs in this one (an async test)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with concurrent.futures.ThreadPoolExecutor(1) as one:
        return one.submit(lambda: asyncio.run(make())).result()
