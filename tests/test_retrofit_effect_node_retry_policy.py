"""A guarded effect node's `retry_policy` never runs the node again: every retry fails unrun.

README: "A node that raises fails the run with its own error, as it would unguarded (a `retry_policy`
sees it); answered again from the journal (a resumed task), it raises `graphs.EffectNodeFailed`".
`EffectNode` keys its call by the LangGraph task id, and LangGraph retries a task under the same id
(`run_with_retry`: same config, only `node_attempt` in the runtime changes). So the retry the policy
asks for is answered from the journal as the first attempt's failure: `EffectNodeFailed`, the node not
run. A payment node whose API is flaky (`ConnectionError` once, then fine), with
`retry_policy=RetryPolicy(max_attempts=3)`, pays and goes on unguarded; guarded, the run fails with
`EffectNodeFailed("pay failed: ConnectionError: flaky")` after one try (with `retry_on=ConnectionError`
the policy then stops; with the default `retry_on` it sleeps and "retries" until `max_attempts`, each
attempt answered from the journal). The policy sees the first error and nothing it configures works.

Expected (README's "as it would unguarded"): a retry the app's policy asks for is a new attempt,
verified again and committed if allowed; the journal keeps the failed attempt and the committed one.

Fixed: an attempt after the first (`node_attempt` in LangGraph's runtime) is a call of its own,
`<task>#attempt<n>`, verified and committed once; a replayed task whose attempt the journal holds a
failure of goes on from the latest attempt recorded after it (`EffectNode._attempt_id`).
"""

from __future__ import annotations

from typing import Any

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.types import RetryPolicy

import graphs
from vfa import ALLOW, Deny, guard


@guard
def _allow(p, c):
    return ALLOW


def _builder(pay: Any, reached: list[str]) -> StateGraph:
    def confirm(state: MessagesState) -> dict[str, Any]:
        reached.append("confirm")
        return {"messages": [("ai", "payment done")]}

    b = StateGraph(MessagesState)
    b.add_node("pay", pay, retry_policy=RetryPolicy(max_attempts=3, initial_interval=0.01, jitter=False,
                                                      retry_on=ConnectionError))
    b.add_node("confirm", confirm)
    b.add_edge(START, "pay")
    b.add_edge("pay", "confirm")
    b.add_edge("confirm", END)
    return b


def _flaky(tried: list[int]) -> Any:
    def pay(state: MessagesState) -> dict[str, Any]:
        tried.append(1)
        if len(tried) == 1:
            raise ConnectionError("flaky")
        return {"messages": [("ai", "paid")]}
    return pay


def test_unguarded_the_retry_policy_runs_the_node_again() -> None:  # the behaviour to keep (holds)
    tried: list[int] = []
    reached: list[str] = []
    _builder(_flaky(tried), reached).compile().invoke({"messages": [("user", "pay rent")]})
    assert tried == [1, 1] and reached == ["confirm"]


def test_guarded_the_retry_policy_runs_the_node_again() -> None:
    tried: list[int] = []
    reached: list[str] = []
    g = graphs.guard_graph(_builder(_flaky(tried), reached), [_allow],
                           effect_nodes={"pay": lambda s: {"to": "landlord", "amount": 900}},
                           checkpointer=InMemorySaver())
    try:
        g.invoke({"messages": [("user", "pay rent")]}, {"configurable": {"thread_id": "t"}})
    except graphs.EffectNodeFailed as exc:
        raise AssertionError(f"the retry was answered from the journal, the node not run again: {exc}") from None
    assert tried == [1, 1] and reached == ["confirm"]


def test_each_attempt_is_journaled_and_a_replay_of_the_task_answers_from_the_attempt_that_committed() -> None:
    tried: list[int] = []
    reached: list[str] = []
    g = graphs.guard_graph(_builder(_flaky(tried), reached), [_allow],
                           effect_nodes={"pay": lambda s: {"to": "landlord", "amount": 900}},
                           checkpointer=InMemorySaver())
    g.invoke({"messages": [("user", "pay rent")]}, {"configurable": {"thread_id": "t"}})
    node = g.nodes["pay"].bound
    journal = node.gate.node.journal
    ends = [(e.call_id, e.kind) for e in journal.entries("t") if e.kind in ("failed", "committed")]
    task = ends[0][0]
    assert ends == [(task, "failed"), (f"{task}#attempt2", "committed")]
    # the task run again as its first attempt (a crash before LangGraph saved its writes): not run a third time
    node.invoke({"messages": [("user", "pay rent")]},
                {"configurable": {"thread_id": "t"}, "metadata": {"langgraph_checkpoint_ns": task}})
    assert tried == [1, 1]
    assert [(e.call_id, e.kind) for e in journal.entries("t") if e.kind in ("failed", "committed")] == ends


def test_a_retry_is_verified_again_and_a_denied_retry_runs_nothing() -> None:
    tried: list[int] = []
    reached: list[str] = []
    seen: list[str] = []

    @guard
    def once(p, c):
        seen.append(p.call_id)
        return ALLOW if len(seen) == 1 else Deny(guard="once", reason="one try only")

    g = graphs.guard_graph(_builder(_flaky(tried), reached), [once],
                           effect_nodes={"pay": lambda s: {"to": "landlord", "amount": 900}},
                           checkpointer=InMemorySaver())
    g.invoke({"messages": [("user", "pay rent")]}, {"configurable": {"thread_id": "t"}})
    assert len(seen) == 2 and seen[1] == f"{seen[0]}#attempt2"
    assert tried == [1] and reached == ["confirm"]
