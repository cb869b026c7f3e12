"""A LangGraph node cache never answers a gated call past the gate, so one user's result never reaches
another user's thread through it.

What must hold (docs/privacy.md, "Many users": per-user flows on one app keep each user's data theirs; DESIGN,
"complete mediation": no call is answered without passing the guards): a graph whose `ToolNode` carries a
LangGraph `cache_policy` (an app caching tool calls by their arguments, with `compile(cache=...)`) either is
refused where it is guarded (a `VfaError` naming the cache), or the cache never answers a gated call. LangGraph
keys a node's cache by the node's input alone (`key_func`), never by thread: guarded as it is, Bob's
`read_inbox()` call was answered with Alice's inbox from the cache, unjudged, unjournaled and unlabelled by
Bob's flow, and Bob's model read Alice's secret.

Fixed: the coverage check refuses a node that runs calls through a gate and carries a LangGraph cache policy
(its own, the builder's default or the compiled graph's), with a CoverageError naming the cache
(vfa/_coverage.py).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.cache.memory import InMemoryCache
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.config import get_config
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition
from langgraph.types import CachePolicy

from graphs import guard_graph
from guards import PrivacyFlow, PrivacyPolicy, privacy_source
from vfa import EffectJournal, VfaError
from vfa.testing import ScriptedModel

SECRET = "the vault code is 4417-9921-0033"
INBOX = {"alice": f"Alice's note: {SECRET}", "bob": "nothing new"}


@tool
@privacy_source(private=["body"], handle=False, kind="email")
def read_inbox() -> dict:
    """Read the signed-in user's mail."""
    return {"body": INBOX[get_config()["configurable"]["user_id"]]}


def _by_calls(state: Any) -> str:
    """An app's cache key: the tool calls the node is asked to run (their names and arguments), else the
    last message's text."""
    last = state["messages"][-1]
    calls = getattr(last, "tool_calls", None)
    return json.dumps([(c["name"], c["args"]) for c in calls] if calls else str(last.content), sort_keys=True)


def _app(cache_where: str) -> Any:
    def rule(ms: list[Any]) -> Any:
        if isinstance(ms[-1], HumanMessage):
            return AIMessage("", tool_calls=[{"name": "read_inbox", "id": "c1", "args": {}}])
        return AIMessage("you have: " + str(ms[-1].content))

    model = ScriptedModel(rule=rule)

    def agent(state: MessagesState) -> dict[str, Any]:
        return {"messages": [model.invoke(state["messages"])]}

    b = StateGraph(MessagesState)
    if cache_where == "defaults":
        b.set_node_defaults(cache_policy=CachePolicy(key_func=_by_calls))
        b.add_node("tools", ToolNode([read_inbox]))
    else:
        b.add_node("tools", ToolNode([read_inbox]), cache_policy=CachePolicy(key_func=_by_calls))
    b.add_node("agent", agent)
    b.add_edge(START, "agent")
    b.add_conditional_edges("agent", tools_condition)
    b.add_edge("tools", "agent")
    return b.compile(checkpointer=InMemorySaver(), cache=InMemoryCache())


@pytest.mark.parametrize("cache_where", ["node", "defaults"])
def test_node_cache_never_answers_a_users_gated_call_with_another_users_result(cache_where: str) -> None:
    compiled, journal = _app(cache_where), EffectJournal()

    def guarded(user: str) -> Any:
        flow = PrivacyFlow(PrivacyPolicy.of(f"{user}@x.example"), secret=b"app", journal=journal)
        return guard_graph(compiled, [flow.guard()], flow=flow, journal=journal)

    try:
        alice, bob = guarded("alice"), guarded("bob")
    except VfaError as exc:  # refused where it is guarded: fine, if it says why
        assert "cache" in str(exc)
        return
    alice.invoke({"messages": [HumanMessage("check my mail")]},
                 {"configurable": {"thread_id": "alice:1", "user_id": "alice"}})
    out = bob.invoke({"messages": [HumanMessage("check my mail")]},
                     {"configurable": {"thread_id": "bob:1", "user_id": "bob"}})
    shown = " ".join(str(m.content) for m in out["messages"])
    assert SECRET not in shown, "Bob's thread was shown Alice's inbox from the node cache"
