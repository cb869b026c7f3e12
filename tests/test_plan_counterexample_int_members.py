"""A plan's counterexample names the set members that make its step fail, whatever the element sort.

What must hold (guards/_plans.py: "a counterexample ... an initial state where it fails"; the counterexample
is real): when a step's concrete int (or enum) argument must not be in a state set, the counterexample's set
holds that argument, so replaying the reported initial state through the tool's run-time guard denies the step;
the explanation names the failing values, not "(Z3 model)".

`_element_candidates` reported a set's members among the plan's concrete arguments for str values only: an int
or enum argument that is in the set in Z3's model was left out of the reported set (`blocked: []` for `use(i=5)`
against `i not in state.blocked`), so the counterexample was a state where the step is allowed, and a pinned
world's set was shown without the very member that denies the step.

Fixed: verify_plan offers the plan's concrete arguments of every scalar sort as a set's possible members
(_element_candidates).
"""

from __future__ import annotations

import enum

from pydantic import BaseModel

from guards import Policy, Step, verify_plan
from vfa import GuardContext, Proposal, ToolSpec, effect


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Lab(BaseModel):
    blocked: set[int] = set()
    banned: set[Color] = set()


lab = Policy(Lab)


@effect
@lab.requires("i not in state.blocked")
def use(i: int) -> str:
    """Use an id that is not blocked."""
    return "used"


@effect
@lab.requires("c not in state.banned")
def paint(c: Color) -> str:
    """Paint in a colour that is not banned."""
    return "painted"


def _replay_denied(tool, args: dict, state: dict) -> bool:
    spec = ToolSpec.of(tool)
    world = Lab(**state)
    return any(g.check(Proposal(call_id="c", tool=spec.name, args=args), GuardContext(world=world)).kind != "allow"
               for g in spec.guards)


def test_an_int_argument_in_an_unpinned_set_is_named() -> None:
    r = verify_plan([Step("use", i=5)], [use])
    assert not r.ok and not r.undecided, r.explanation
    assert 5 in r.counterexample["state"]["blocked"], r.counterexample
    assert _replay_denied(use, {"i": 5}, r.counterexample["state"])
    assert "(Z3 model)" not in r.explanation


def test_an_int_argument_in_a_pinned_set_is_named() -> None:
    r = verify_plan([Step("use", i=4)], [use], initial=Lab(blocked=set(range(0, 100, 2))))
    assert not r.ok and not r.undecided, r.explanation
    assert 4 in r.counterexample["state"]["blocked"], r.counterexample
    assert _replay_denied(use, {"i": 4}, r.counterexample["state"])


def test_an_enum_argument_in_a_set_is_named() -> None:
    r = verify_plan([Step("paint", c="red")], [paint])
    assert not r.ok and not r.undecided, r.explanation
    assert "red" in r.counterexample["state"]["banned"], r.counterexample
    assert _replay_denied(paint, {"c": "red"}, r.counterexample["state"])
