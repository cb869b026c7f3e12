"""A counterexample holds the elements a set update adds or removes, so it replays as a counterexample.

What must hold: `drop` declares `ensures("state.a -= {'x'}")`. Under `state.a == state.b` it can break that
equality only from a state whose sets hold 'x'. So
- `verify_plan([drop, use], assume=["state.a == state.b"])`, where `use` requires `state.a == state.b`, reports
  an initial state in which both sets hold 'x', and its explanation names the failing values (no "(Z3 model)");
- the invariant lint's PolicyError for `invariant("state.a == state.b")` shows such a state too; replayed
  through the run-time invariant guard, it is denied.

Before, a set in a counterexample was reported by the candidates it holds (clause constants, plan values,
membership elements), never an update's own elements: both sets were shown empty, a state from which `drop`
keeps `a == b` (the plan's trace showed `a == b` at the failing step, explained as "(Z3 model)").

Fixed: member_elements adds the elements a set update adds or removes to the candidates a set is reported by
(verify_plan and the invariant lint).
"""

from __future__ import annotations

import ast
import re

import pytest
from pydantic import BaseModel

from guards import Policy, Step, verify_plan
from vfa import GuardContext, PolicyError, Proposal, ToolSpec, effect


class Pair(BaseModel):
    a: set[str]
    b: set[str]


pair = Policy(Pair)


@effect
@pair.ensures("state.a -= {'x'}")
def drop() -> str:
    """Drop x from a."""
    return ""


@effect
@pair.requires("state.a == state.b")
def use() -> str:
    """Use the pair."""
    return ""


def test_the_plan_counterexample_holds_the_removed_element() -> None:
    result = verify_plan([Step("drop"), Step("use")], [drop, use], assume=["state.a == state.b"])
    assert not result.ok and result.failed_step == 1
    assert result.counterexample["state"] == {"a": ["x"], "b": ["x"]}, result.counterexample
    assert "(Z3 model)" not in result.explanation
    assert result.trace[1] == {"a": [], "b": ["x"]}


def test_the_invariant_lint_counterexample_breaks_the_invariant() -> None:
    inv = pair.invariant("state.a == state.b")
    with pytest.raises(PolicyError) as err:
        inv.lint({"drop": ToolSpec.of(drop)})
    shown = ast.literal_eval(re.search(r"from the state and arguments (\{.*\}) although", str(err.value)).group(1))
    world = Pair(**shown["state"])
    verdict = inv.check(Proposal(call_id="c", tool="drop", args={}), GuardContext(world=world, tool=ToolSpec.of(drop)))
    assert verdict.kind == "deny", shown
