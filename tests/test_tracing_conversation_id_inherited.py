"""A run's `invoke_agent` span carries its thread as `gen_ai.conversation.id` however the run was given it.

What must hold (README, Tracing: "`gen_ai.conversation.id`, the run's thread, on `invoke_agent` and each
`execute_tool`"): a graph whose thread id is bound with `with_config(...)`, or a graph invoked inside another
graph's node (the config inherited, as LangGraph runs it), runs on that thread; its calls' `execute_tool` spans
carry it, and so must its `invoke_agent` root, or a query by the conversation finds the calls without their run.

Before: `vfa._compile._agent_attributes` read the thread from the config passed to `stream` alone; a bound or an
inherited config (which LangGraph merges, `ensure_config(self.config, config)`) left the root span without it.

Fixed: invoke_agent reads the run's config as LangGraph merges it (with_config, a parent's run).
"""

from __future__ import annotations

from typing import Any

from langchain.agents import create_agent
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph

import graphs
from vfa import ALLOW, Agent, effect, guard
from vfa.testing import ScriptedModel, capture_spans


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return f"paid {amount} to {to}"


@tool
def send(to: str) -> str:
    """Send a note."""
    return f"sent to {to}"


@guard
def anyone(p: Any, c: Any) -> Any:
    return ALLOW


def _agent(checkpointer: Any = None) -> Any:
    return Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"]), [pay]).compile(checkpointer)


def _ids(spans: Any) -> dict[str, set[Any]]:
    ids: dict[str, set[Any]] = {}
    for s in spans:
        kind = s.name.split()[0]
        if kind in ("invoke_agent", "execute_tool"):
            ids.setdefault(kind, set()).add(s.attributes.get("gen_ai.conversation.id"))
    return ids


def test_a_thread_bound_with_with_config_is_on_the_root_span() -> None:
    graph = _agent(InMemorySaver()).with_config(configurable={"thread_id": "bound"})
    with capture_spans() as exporter:
        graph.invoke({"messages": [("user", "pay bob")]})
    assert _ids(exporter.get_finished_spans()) == {"invoke_agent": {"bound"}, "execute_tool": {"bound"}}


def test_a_guard_graph_app_bound_with_with_config_is_on_the_root_span() -> None:
    app = graphs.guard_graph(create_agent(ScriptedModel([("send", {"to": "bob"}), "done"]), [send],
                                          checkpointer=InMemorySaver(), name="notes"), [anyone])
    with capture_spans() as exporter:
        app.with_config({"configurable": {"thread_id": "bound"}}).invoke({"messages": [("user", "send")]})
    assert _ids(exporter.get_finished_spans()) == {"invoke_agent": {"bound"}, "execute_tool": {"bound"}}


def test_an_agent_run_inside_a_node_carries_the_parents_thread_on_its_root_span() -> None:
    inner = _agent()

    def node(state: MessagesState) -> Any:
        return inner.invoke(state)  # the config inherited from the parent's run

    builder = StateGraph(MessagesState)
    builder.add_node("n", node)
    builder.add_edge(START, "n")
    parent = builder.compile(checkpointer=InMemorySaver())
    with capture_spans() as exporter:
        parent.invoke({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": "p"}})
    assert _ids(exporter.get_finished_spans()) == {"invoke_agent": {"p"}, "execute_tool": {"p"}}
