"""Red team 140: a guard's `tools` (the tools it applies to) that names no tool of the agent, or is one
string, makes a guard in the chain that checks nothing, silently.

`GuardChain` applies a guard to a call when `call.tool in guard.tools`. `@vfa.guard(tools="pay")` (and
`TraceVerifier(tools="playtest")`) take a string as a sequence of names, so `tools` becomes the set of
its letters, {"p", "a", "y"}: the guard judges no call of "pay" and the payment it was written to stop
commits. A guard whose `tools` names a tool the agent does not have (`CollisionGuard`'s default
`("move",)` on an agent whose motion tool is "move_to", a typo) is skipped on every call just as
quietly. `CollisionGuard` already refuses a string (`ConfigError`) and `PreconditionGuard.lint` already
refuses a tool the agent lacks (`PolicyError`, "the agent has no tool"): the other guards should too,
before anything runs (the README: "bad input gets a clear error"; a guard the author put in the chain
must never be left out of it without a word).

Fixed: `FunctionGuard` and `TraceVerifier` refuse `tools` given as one string (`ConfigError`), and
`Agent.lint()` (run by `compile()` and `plan_execute`) refuses a chain guard whose `tools` is a string or
names a tool the agent lacks (`PolicyError`).
"""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage

from guards import CollisionGuard, TraceVerifier
from guards._invariants import Bounds
from vfa import ALLOW, Agent, ConfigError, Deny, PolicyError, effect, guard
from vfa.testing import ScriptedModel


def _pay_agent(paid: list, guards: list) -> Agent:
    @effect
    def pay(to: str, amount: int) -> str:
        """Pay."""
        paid.append((to, amount))
        return "paid"

    return Agent(ScriptedModel([("pay", {"to": "eve", "amount": 50})]), [pay], guards=guards)


def _not_eve(p, c):
    return Deny(reason="never pay eve") if p.args.get("to") == "eve" else ALLOW


def test_a_guard_scoped_by_one_string_is_refused_not_skipped() -> None:
    paid: list = []
    with pytest.raises(ConfigError, match="tools"):
        not_eve = guard(tools="pay")(_not_eve)  # meant: tools=["pay"]
        _pay_agent(paid, [not_eve]).compile().invoke({"messages": [HumanMessage("pay eve")]})
    assert paid == []


def test_a_trace_verifier_scoped_by_one_string_is_refused() -> None:
    with pytest.raises(ConfigError, match="tools"):
        TraceVerifier([Bounds("score", 0, 10)], tools="playtest")


def test_a_guard_naming_a_tool_the_agent_lacks_fails_at_compile() -> None:
    paid: list = []
    not_eve = guard(tools=["pya"])(_not_eve)  # a typo: it would judge no call at all
    with pytest.raises(PolicyError, match="pya"):
        _pay_agent(paid, [not_eve]).compile().invoke({"messages": [HumanMessage("pay eve")]})
    assert paid == []


def test_a_collision_guard_left_on_its_default_tool_fails_at_compile_for_an_agent_without_it() -> None:
    moves: list = []

    @effect
    def move_to(waypoints: list[list[float]]) -> str:
        """Drive through the waypoints."""
        moves.append(waypoints)
        return "moved"

    wall = {"obstacles": [[4.0, -5.0, 6.0, 5.0]]}
    collision = CollisionGuard(body=(1.0, 1.0), start=lambda p, c: (0.0, 0.0))  # tools=("move",) by default
    agent = Agent(ScriptedModel([("move_to", {"waypoints": [[10.0, 0.0]]})]), [move_to], guards=[collision],
                  world=wall)
    with pytest.raises(PolicyError, match="move"):
        agent.compile().invoke({"messages": [HumanMessage("go")]})
    assert moves == []  # through the wall, unchecked, when it compiles
