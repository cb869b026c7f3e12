"""A counterexample to a precondition comparing two sets names a member on which they differ.

What must hold (verify_plan's counterexample is "an initial state where it fails": replaying it through the
run-time guard denies the step): for `requires("state.approved == state.requested")`, the reported initial
state has `approved != requested`, whether the world is symbolic or pinned (the pinned world's sets are
reported as they are where they differ), and the explanation names the failing values, not "(Z3 model)".

Before, a set in a counterexample was reported as those of the plan's values and constants it holds in Z3's
model (guards._symbolic.model_state's candidates): two sets that differed only on a member no clause names were
both reported empty, an initial state where the step is allowed; with `requested` pinned to {"a", "b"}, the
pinned world itself was misreported as `requested: []`.

Fixed: a pinned set's members are candidates, and two initial sets of one element sort that the model tells
apart get a member each way on which they differ (`Z3.differing`: read off the model's stores, else one query
over the model's values).
"""

from __future__ import annotations

import enum
from typing import Literal

import pytest

from pydantic import BaseModel

from guards import Policy, Step, verify_plan
from vfa import GuardContext, Proposal, ToolSpec, effect


class Order(BaseModel):
    requested: set[str] = set()
    approved: set[str] = set()


order = Policy(Order)


@effect
@order.requires("state.approved == state.requested")
def ship() -> str:
    """Ship an order once everything requested is approved."""
    return "shipped"


def _replay_denied(state: dict) -> bool:
    guard = ToolSpec.of(ship).guards[0]
    return guard.check(Proposal(call_id="c", tool="ship", args={}), GuardContext(world=Order(**state))).kind == "deny"


def test_symbolic_sets_that_differ_are_reported_differing() -> None:
    r = verify_plan([Step("ship")], [ship])
    assert not r.ok and not r.undecided, r.explanation
    state = r.counterexample["state"]
    assert set(state["approved"]) != set(state["requested"]), r.counterexample
    assert _replay_denied(state)
    assert "(Z3 model)" not in r.explanation


def test_a_pinned_set_is_reported_where_it_differs() -> None:
    r = verify_plan([Step("ship")], [ship], initial={"requested": ["a", "b"]})
    assert not r.ok and not r.undecided, r.explanation
    state = r.counterexample["state"]
    assert set(state["approved"]) != set(state["requested"]), r.counterexample
    assert set(state["requested"]) <= {"a", "b"}
    assert _replay_denied(state)


def test_a_pinned_set_of_a_thousand_is_reported_as_it_is() -> None:
    """A large pinned world is reported member for member (read off the model's stores, not a query each)."""
    requested = [f"item-{i}" for i in range(1000)]
    r = verify_plan([Step("ship")], [ship], initial={"requested": requested, "approved": requested[:-1]})
    assert not r.ok and not r.undecided, r.explanation
    state = r.counterexample["state"]
    assert sorted(state["requested"]) == sorted(requested)
    assert sorted(state["approved"]) == sorted(requested[:-1])
    assert _replay_denied(state)


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Tagged(BaseModel):
    ids: set[int] = set()
    seen: set[int] = set()
    colors: set[Color] = set()
    shown: set[Color] = set()
    sizes: set[Literal["s", "m", "l"]] = set()
    stocked: set[Literal["s", "m", "l"]] = set()


tagged = Policy(Tagged)


@pytest.mark.parametrize("a,b", [("ids", "seen"), ("colors", "shown"), ("sizes", "stocked")])
def test_sets_of_other_element_sorts_are_reported_differing(a: str, b: str) -> None:
    @effect(name=f"tag_{a}")
    @tagged.requires(f"state.{a} == state.{b}")
    def tag() -> str:
        """Tag once both sets agree."""
        return "tagged"

    r = verify_plan([Step(f"tag_{a}")], [tag])
    assert not r.ok and not r.undecided, r.explanation
    state = r.counterexample["state"]
    assert set(state[a]) != set(state[b]), r.counterexample
    guard = ToolSpec.of(tag).guards[0]
    world = Tagged(**state)
    assert guard.check(Proposal(call_id="c", tool=f"tag_{a}", args={}), GuardContext(world=world)).kind == "deny"
