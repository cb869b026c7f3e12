"""A graph compiled from `Agent.builder()` is held to what `Agent.compile()` holds it to.

What must hold: `Agent.builder()`'s docstring invites "adding nodes of your own before compiling it yourself",
so the graph a user compiles from it (`agent.builder().compile(checkpointer=...)`, as LangGraph has one do)
gets the same checks and bookkeeping as `agent.compile(...)`: a guard's policy that `compile()` refuses
(`PolicyError`: a guard scoped to a tool the agent lacks, which would judge no call) is refused there too, and
never lets a call it was meant to judge through; a node of the user's own that runs an effect unmediated is
named (`CoverageError`); and `agent.delete_thread` erases the thread's checkpoints in the checkpointer that
graph was compiled with, as docs/kernel.md "Erasing a thread" promises for the agent's graphs. Before, the builder's
plain `StateGraph.compile` skipped all three: an overdraft the guard was written to deny was paid, and
`delete_thread` erased the journal alone, leaving the whole conversation in the checkpoints.

Fixed: Agent.builder() lints the policies and returns a StateGraph whose compile is the agent's: coverage
checked over the nodes added, the checkpointer kept for delete_thread, a GuardedGraph (invoke_agent spans);
checkpointer=False refused there too.
"""

from __future__ import annotations

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END

from vfa import ALLOW, Agent, CoverageError, Deny, PolicyError, effect, guard
from vfa.testing import ScriptedModel

PAID: list[int] = []


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    PAID.append(amount)
    return f"paid {amount} to {to}"


def _model() -> ScriptedModel:
    return ScriptedModel([("pay", {"to": "bob", "amount": 500}), "done"])


def test_builder_compile_lints_the_policies_as_compile_does() -> None:
    PAID.clear()
    no_big = guard(lambda p, c: Deny(reason="over 100") if p.args["amount"] > 100 else ALLOW,
                   name="no_big", tools=["pya"])  # a typo: it would judge no call
    agent = Agent(_model(), [pay], [no_big])
    with pytest.raises(PolicyError, match="pya"):
        agent.compile(checkpointer=InMemorySaver())
    try:
        graph = agent.builder().compile(checkpointer=InMemorySaver())
    except PolicyError:
        return
    graph.invoke({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": "t"}})
    assert PAID == [], "a guard compile() refuses judged nothing, and the payment it was written to deny ran"


def test_builder_compile_checks_the_coverage_of_nodes_added() -> None:
    agent = Agent(_model(), [pay])
    builder = agent.builder()

    def audit(state: dict) -> dict:  # a node of the user's own that runs the effect past the guard node
        pay("eve", 1)
        return {}

    builder.add_node("audit", audit)
    builder.add_edge("audit", END)
    with pytest.raises(CoverageError, match="audit"):
        builder.compile(checkpointer=InMemorySaver())


def test_delete_thread_erases_the_checkpoints_of_a_graph_compiled_from_the_builder() -> None:
    saver = InMemorySaver()
    agent = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"]), [pay])
    graph = agent.builder().compile(checkpointer=saver)
    config = {"configurable": {"thread_id": "gone"}}
    graph.invoke({"messages": [("user", "pay bob")]}, config)
    assert list(saver.list(config))

    agent.delete_thread("gone")

    assert list(saver.list(config)) == [], "the thread's checkpoints were left: its conversation was not erased"
