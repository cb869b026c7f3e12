"""A run's `invoke_agent` span and its calls' `execute_tool` spans carry one `gen_ai.conversation.id`.

What must hold (README, Tracing: "`gen_ai.conversation.id`, the run's thread, on `invoke_agent` and each
`execute_tool` ... its calls' spans are grouped by the conversation id"): whatever the thread id, the root span and
the call spans of one conversation carry the same text, or a query by the id finds the run without its calls.

Before: `invoke_agent` wrote `str(thread)` (`vfa._compile._agent_attributes`), `execute_tool` the id cut to its repr's
first 64 characters where it is longer than 256 characters (`vfa._guard_node._in_conversation`, as a call id is):
a thread keyed by a long composite id had its calls under another conversation than its run.

Fixed: one text for both spans (vfa._guard_node.conversation_id).
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import HumanMessage

from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel, capture_spans


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return f"paid {amount} to {to}"


def _ids(thread: Any) -> set[Any]:
    with EffectJournal(":memory:") as journal:
        agent = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"]), [pay], journal=journal)
        graph = agent.compile()
        with capture_spans() as exporter:
            graph.invoke({"messages": [HumanMessage("pay bob")]}, {"configurable": {"thread_id": thread}})
        spans = exporter.get_finished_spans()
    named = [s for s in spans if s.name.startswith(("invoke_agent", "execute_tool"))]
    assert {s.name.split()[0] for s in named} == {"invoke_agent", "execute_tool"}
    return {s.attributes.get("gen_ai.conversation.id") for s in named}


def test_a_short_thread_id_is_one_conversation() -> None:
    assert _ids("t-1") == {"t-1"}


def test_a_long_thread_id_is_one_conversation() -> None:
    thread = "tenant-42/" + "x" * 300
    ids = _ids(thread)
    assert len(ids) == 1, ids
