"""A state set of Literal elements holds only those values, in every world a plan is verified for.

What must hold (verify_plan: "every state a step's `ensures` reaches must keep the state's own ... the run time
refuses either"; a plan is verified iff every step's preconditions hold in every world the declared types allow;
counterexamples are real): for `perms: set[Literal["read", "write"]]`,

- a symbol assumed `in state.perms` takes only "read" or "write", so a step passing it to an argument of that
  Literal is verified;
- a step requiring `'admin' not in state.perms` is verified (no world's perms holds "admin"); the run time
  refuses such a world outright, so a counterexample holding it is no world at all;
- a plan whose step adds "admin" to perms is rejected: the next step finds a world its type refuses (the run-time
  guard denies it: "'admin' is not a valid str").

The Z3 domain of a field (guards/_z3.py Z3.domain) held a Literal's values for a scalar only: a set's elements
were any value of their kind.

Fixed: Z3.domain holds a set of Literal elements within their values (IsSubset), and the explanation names
'declared element values'.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from guards import Policy, Step, Sym, verify_plan
from vfa import GuardContext, Proposal, ToolSpec, effect

Perm = Literal["read", "write"]


class Acl(BaseModel):
    perms: set[Perm] = set()
    levels: set[Literal[1, 2, 3]] = set()


acl = Policy(Acl)


@effect
@acl.requires("p in state.perms")
def act(p: Perm) -> str:
    """Act under a permission held."""
    return "done"


@effect
@acl.requires("'admin' not in state.perms", "7 not in state.levels")
def safe() -> str:
    """Run only where no admin permission or level 7 is held."""
    return "ran"


@effect
@acl.requires("len(name) > 0")
@acl.ensures("state.perms |= {name}")
def grant(name: str) -> str:
    """Grant a permission by name."""
    return "granted"


def test_a_symbol_held_in_a_literal_set_is_one_of_its_values() -> None:
    r = verify_plan([Step("act", p=Sym("x"))], [act], assume=["x in state.perms"])
    assert r.ok, r.explanation


def test_a_value_outside_the_literal_is_in_no_world() -> None:
    r = verify_plan([Step("safe")], [safe])
    assert r.ok, r.explanation


def test_a_step_adding_a_value_outside_the_literal_is_rejected() -> None:
    world = Acl(perms={"read"})
    r = verify_plan([Step("grant", name="admin"), Step("act", p="read")], [act, grant], initial=world)
    assert not r.ok and not r.undecided, r.explanation
    assert r.failed_step == 0 and "state.perms" in r.explanation and "'read', 'write'" in r.explanation
    # the run time refuses the world that step leaves: the plan would stop halfway
    spec = ToolSpec.of(act)
    after = {"perms": {"read", "admin"}, "levels": set()}
    assert spec.guards[0].check(Proposal(call_id="c", tool="act", args={"p": "read"}),
                                GuardContext(world=after)).kind == "deny"


def test_a_step_adding_one_of_its_values_is_verified() -> None:
    r = verify_plan([Step("grant", name="write"), Step("act", p="write")], [act, grant], initial=Acl(perms={"read"}))
    assert r.ok, r.explanation
