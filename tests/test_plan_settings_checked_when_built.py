"""`plan_execute` refuses a malformed `assume` (or another setting of the wrong kind) when it is built.

What must hold (house rule "bad input gets a clear error naming the problem"; `verify_plan`'s docstring: "a
malformed assumption (the developer's)" is a `PolicyError`; STYLE.md: `ConfigError` at compile time, as
`plan_execute` lints the agent's policies before any graph exists): `plan_execute(agent, assume=...)` with an
assumption naming no field of the state, one that is not valid syntax, one that is no clause, or assumptions
that cannot hold together raises a `ConfigError` naming the clause, when the graph is built; so does a
`timeout_ms`, `max_steps` or `max_replans` of the wrong kind.

Seen at 5488599: each was accepted; at run time every plan the model proposed was rejected with the developer's
error ("it could not be verified: PolicyError: plan assumption: ... `state` has no field `balanse`"), shown to
the model (which cannot fix it) and re-planned `max_replans` times; `max_steps="10"` raised a bare
TypeError out of the graph at the first plan.

Fixed: _check_settings checks max_replans, max_steps and assume (parsed and checked to hold together) when the
graph is built.
"""

from __future__ import annotations

from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from graphs.plan_execute import plan_execute
from guards import Policy
from vfa import Agent, ConfigError, effect
from vfa.testing import ScriptedModel


class Bank(BaseModel):
    balance: int


def _agent() -> Agent:
    world = Bank(balance=100)
    bank = Policy(Bank)

    @effect
    @bank.requires("0 < amount <= state.balance")
    @bank.ensures("state.balance -= amount")
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        world.balance -= amount
        return "sent"

    return Agent(ScriptedModel([[("transfer", {"to": "a", "amount": 10})], "done"]), [transfer], world=lambda: world)


@pytest.mark.parametrize(("assume", "named"), [
    ("state.balanse >= 0", "balanse"),
    ("state.balance >=", "state.balance >="),
    (["state.balance > 5", "amount > 0"], "amount"),
    (42, "42"),
    (["state.balance < 0", "state.balance > 0"], "inconsistent"),
])
@pytest.mark.parametrize("pin_world", [True, False])
def test_a_malformed_assumption_is_refused_when_the_graph_is_built(assume: Any, named: str, pin_world: bool) -> None:
    with pytest.raises(ConfigError, match="assum") as info:
        plan_execute(_agent(), assume=assume, pin_world=pin_world)
    assert named in str(info.value), str(info.value)


@pytest.mark.parametrize("options", [{"max_steps": "10"}, {"max_replans": None}, {"timeout_ms": -1},
                                     {"max_steps": 0}, {"max_replans": True}])
def test_a_setting_of_the_wrong_kind_is_refused_when_the_graph_is_built(options: dict[str, Any]) -> None:
    with pytest.raises((ConfigError, TypeError, ValueError), match=next(iter(options))):
        plan_execute(_agent(), **options)


def test_a_sound_assumption_still_builds_and_runs() -> None:
    app = plan_execute(_agent(), assume=["state.balance >= 50"], pin_world=False).compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "t"}})
    assert out["messages"][2].content == "sent", out["messages"][2].content
