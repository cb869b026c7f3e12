"""An effect written as a generator function is refused when it is declared.

Fixed: its body ran only when its caller iterated the generator `Effect.__call__` returned, after the
commit: the journal said committed while nothing had run, and the payments ran later, unguarded.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import HumanMessage
from langchain_core.tools import StructuredTool

import graphs
from vfa import Agent, ConfigError, effect, in_commit
from vfa.testing import ScriptedModel

LOG: list[tuple[str, int, bool]] = []


def _pay_in_instalments(to: str, amount: int) -> Any:
    """Pay `amount` to `to` in two instalments."""
    for _ in range(2):
        LOG.append((to, amount // 2, in_commit()))
        yield amount // 2


def test_generator_effect_runs_inside_its_commit() -> None:
    """Expected: either `@effect` refuses a generator function up front (ConfigError), or the committed
    call's body has run, inside the commit, by the time the journal records it committed."""
    LOG.clear()
    try:
        pay = effect(_pay_in_instalments, name="pay")
    except ConfigError:
        return
    agent = Agent(ScriptedModel(script=[("pay", {"to": "bob", "amount": 10}), "done"]), tools=[pay])
    agent.compile().invoke({"messages": [HumanMessage("pay bob")]}, {"configurable": {"thread_id": "t"}})
    kinds = [e.kind for e in agent.journal.entries("t")]
    assert "committed" in kinds
    assert LOG == [("bob", 5, True), ("bob", 5, True)], (
        f"the journal says the effect was committed, yet its body ran {LOG} inside the commit")


def test_generator_effect_body_never_runs_outside_the_commit() -> None:
    """Expected: the body of a committed effect never runs after its commit (in_commit() false): here the
    generator a gated tool hands back to the app's node runs the payments when the node iterates it."""
    LOG.clear()
    try:
        pay = graphs.as_effect(StructuredTool.from_function(_pay_in_instalments, name="pay"))
    except ConfigError:
        return
    result = graphs.guard_tool(pay).invoke({"to": "bob", "amount": 10})  # committed
    if hasattr(result, "__next__"):
        list(result)  # the app's node reads the result it was handed
    assert all(inside for _, _, inside in LOG), f"the effect's body ran outside its commit: {LOG}"
