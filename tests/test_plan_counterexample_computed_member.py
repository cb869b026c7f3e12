"""A plan's counterexample shows the members a set needs for a membership of a computed value.

`verify_plan` reports a set by the candidates it holds: the plan's values and the clauses' variables and
constants, read at the initial state. A membership whose element is computed (`state.ticket + 1 in
state.used`) or read after an update (`state.ticket += 1`, then `state.ticket not in state.used`) tests a
value none of those is, so the reported set left out the very member that makes the step fail: the
counterexample `{'ticket': 0, 'used': []}` lets step 2 through when replayed, and the explanation could
only say "(Z3 model)".

What must hold: replayed through the run-time guards from the reported initial state (earlier steps'
updates applied), the reported step is denied, and the reported state satisfies the assumption.

Fixed: _symbolic.member_elements adds the element of every membership test, as its moment computes it
(assumptions, each step's preconditions, update terms), to the candidates a set is reported by.
"""

from __future__ import annotations

import ast

import pytest
from pydantic import BaseModel

from guards import Policy, Step, Sym, verify_plan
from vfa import GuardContext, Proposal, ToolSpec, effect


class Tickets(BaseModel):
    ticket: int
    used: set[int] = set()


tickets = Policy(Tickets)


@effect
@tickets.requires("state.ticket >= 0")
@tickets.ensures("state.ticket += 1")
def bump() -> str:
    return "bumped"


@effect
@tickets.requires("state.ticket not in state.used")
def take() -> str:
    return "taken"


@effect
@tickets.requires("n not in state.used")
def claim(n: int) -> str:
    return "claimed"


TOOLS = [bump, take, claim]


def replay(plan: list[Step], initial: dict, symbols: dict) -> int | None:
    """The first step the run-time guards deny, applying the tools' declared updates in between."""
    specs = {ToolSpec.of(t).name: ToolSpec.of(t) for t in TOOLS}
    world = Tickets(ticket=initial["ticket"], used=set(initial.get("used", [])))
    for i, step in enumerate(plan):
        args = {k: symbols[v.name] if isinstance(v, Sym) else v for k, v in step.args.items()}
        for g in specs[step.tool].guards:
            if g.check(Proposal(call_id=str(i), tool=step.tool, args=args), GuardContext(world=world)).kind != "allow":
                return i
        if step.tool == "bump":
            world = world.model_copy(update={"ticket": world.ticket + 1})
    return None


def test_a_member_read_after_an_update_is_reported() -> None:
    plan = [Step("bump"), Step("take")]
    r = verify_plan(plan, TOOLS, assume=["state.ticket == 0", "0 not in state.used"])
    assert not r.ok and not r.undecided and r.failed_step == 1
    assert 1 in r.counterexample["state"]["used"], r.counterexample
    assert replay(plan, r.counterexample["state"], r.counterexample["symbols"]) == 1
    assert "(Z3 model)" not in r.explanation


def test_a_computed_member_of_the_assumption_is_reported() -> None:
    plan = [Step("claim", n=Sym("x"))]
    r = verify_plan(plan, TOOLS, assume=["2 * state.ticket + 3 in state.used", "state.ticket >= 5", "x == 7"])
    assert not r.ok and not r.undecided and r.failed_step == 0
    state = r.counterexample["state"]
    assert 2 * state["ticket"] + 3 in state["used"], r.counterexample  # the assumption holds on it
    assert 7 in state["used"]
    assert replay(plan, state, r.counterexample["symbols"]) == 0


def test_an_invariant_lint_counterexample_holds_the_member_the_update_reaches() -> None:
    """The invariant lint's counterexample reads the sets for each membership's element after the update too."""
    from vfa import Agent, PolicyError
    from vfa.testing import ScriptedModel

    class Tickets(BaseModel):
        ticket: int = 0
        used: set[int] = set()

    tickets = Policy(Tickets)

    @effect
    @tickets.ensures("state.ticket += 1")
    def next_ticket() -> str:
        """Move to the next ticket."""
        return "ok"

    with pytest.raises(PolicyError) as info:
        Agent(ScriptedModel(["x"]), [next_ticket], [tickets.invariant("state.ticket not in state.used")]).compile()
    text = str(info.value)
    state = ast.literal_eval(text[text.index("{"):text.rindex("}") + 1])["state"]
    assert state["ticket"] + 1 in state["used"], text
