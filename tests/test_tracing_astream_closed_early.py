"""A run's `astream` closed early by its consumer leaves its `invoke_agent` span open and its graph run unclosed.

README / docs/kernel.md (Tracing): each run is an `invoke_agent {name}` span, ended when the run ends; a vfa
`Agent`'s graph and an app `guard_graph` guarded are LangGraph graphs whose runs behave as LangGraph's.

How it breaks: `GuardedGraph.astream` (and the `astream` of `guard_graph`'s app class) iterate
`vfa._compile.atraced_run` with `async for ... yield`; `atraced_run` with tracing off iterates LangGraph's
`astream` the same way. Unlike a sync `yield from`, an `async for` does not close the async generator it
iterates when its own generator is closed: a consumer's `aclose()` (a client that disconnects from a
streamed answer, `async for ... break` followed by `aclose()`) closes the outer generator only. The inner
one stays suspended until a garbage collection finds it (or for good, once the loop is gone): the
`invoke_agent` span is not ended (nor exported), and LangGraph's run is not closed, so with
`durability="exit"` the steps already run (a committed effect among them) are not checkpointed, which a plain
LangGraph graph does at once.

What must hold: once `aclose()` returns, the run's `invoke_agent` span is ended, and the run's checkpoint holds
the steps it ran, as LangGraph's own `astream` leaves it.

Fixed: GuardedGraph.astream, atraced_run and guard_graph's astream close what they iterate
(contextlib.aclosing); the span ends even if closing the run raises.
"""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.prebuilt import ToolNode, tools_condition

import graphs
from conftest import config
from vfa import Agent
from vfa.testing import ScriptedModel, capture_spans


def _script() -> ScriptedModel:
    return ScriptedModel([("lookup", {"who": "bob"}), ("lookup", {"who": "al"}), "done"])


def _agent(bank: Any) -> Any:
    transfer, lookup = bank.tools()
    return Agent(_script(), [transfer, lookup], bank.guards(), name="pay").compile(checkpointer=InMemorySaver())


def _guarded_app(bank: Any) -> Any:
    _, lookup = bank.tools()
    model = _script()
    b = StateGraph(MessagesState)
    b.add_node("agent", lambda state: {"messages": [model.invoke(state["messages"])]})
    b.add_node("tools", ToolNode([lookup]))
    b.add_edge(START, "agent")
    b.add_conditional_edges("agent", tools_condition)
    b.add_edge("tools", "agent")
    return graphs.guard_graph(b.compile(checkpointer=InMemorySaver(), name="pay"), list(bank.guards()))


async def _closed_after(app: Any, chunks: int, thread: str, **kwargs: Any) -> None:
    stream = app.astream({"messages": [("user", "look them up")]}, config(thread), stream_mode="updates", **kwargs)
    seen = 0
    async for _ in stream:
        seen += 1
        if seen == chunks:
            break
    await stream.aclose()


@pytest.fixture
def no_gc():
    """A garbage collection would close what `aclose` left open, later and at a time of its choosing."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.parametrize("build", [_agent, _guarded_app], ids=["agent", "guard_graph"])
def test_closing_astream_ends_the_invoke_agent_span(bank, build, no_gc):
    app = build(bank)

    async def run(spans: Any) -> list[str]:
        await _closed_after(app, 1, "t1")
        return [s.name for s in spans.get_finished_spans()]  # read in the loop: its end closes what was left open

    with capture_spans() as spans:
        names = asyncio.run(run(spans))
    assert "invoke_agent pay" in names, names


@pytest.mark.parametrize("traced", [False, True], ids=["untraced", "traced"])
def test_closing_astream_closes_the_run_as_langgraph_does(bank, traced, no_gc):
    async def run(app: Any, thread: str, plain: bool) -> int:
        if plain:  # LangGraph's own astream, on the same compiled graph
            stream = CompiledStateGraph.astream(app, {"messages": [("user", "look them up")]}, config(thread),
                                                stream_mode="updates", durability="exit")
            async for _ in stream:
                break
            await stream.aclose()
        else:
            await _closed_after(app, 1, thread, durability="exit")
        state = await app.aget_state(config(thread))
        return len(state.values.get("messages", []))

    app = _agent(bank)
    plain = asyncio.run(run(app, "plain", True))
    if traced:
        with capture_spans():
            ours = asyncio.run(run(app, "ours", False))
    else:
        ours = asyncio.run(run(app, "ours", False))
    assert plain > 0
    assert ours == plain
