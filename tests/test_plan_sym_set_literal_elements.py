"""A symbol passed as a set argument of Literal elements must be kept within those values by the assumptions.

What must hold (guards/_plans.py verify_plan: "A symbol must take only its argument's declared values (Literal,
bounds) ... the run time refuses either, so a plan that needs one would stop halfway"): for an argument
`wanted: set[Literal["read", "write"]]` given as `Sym("W")`, a plan whose assumptions let W hold another value
("admin") is not verified, exactly as a scalar `Literal` argument's symbol is refused; the run-time guard denies
such a call ("'admin' is not a valid str").

verify_plan collected a symbol's declared values only when the argument's own sort had a domain or bounds
(`sort.domain is not None`): a set's element domain (Z3.domain's IsSubset, added for sets of Literal elements)
was never asked of a symbol, so the plan was verified though every run of it is refused.

Fixed: a symbol given as a set argument of Literal elements is checked against those values like any declared
domain.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from guards import Policy, Step, Sym, verify_plan
from vfa import GuardContext, Proposal, ToolSpec, effect

Perm = Literal["read", "write"]


class Acl(BaseModel):
    perms: set[Perm] = set()


acl = Policy(Acl)


@effect
@acl.requires("'read' in wanted")
def ask(wanted: set[Perm]) -> str:
    """Ask for permissions, read among them."""
    return "asked"


@effect
@acl.requires("p in state.perms")
def act(p: Perm) -> str:
    """Act under a permission held."""
    return "done"


def test_the_run_time_refuses_a_set_argument_outside_its_element_values() -> None:
    verdict = ToolSpec.of(ask).guards[0].check(
        Proposal(call_id="c", tool="ask", args={"wanted": {"read", "admin"}}), GuardContext(world=Acl()))
    assert verdict.kind == "deny"


def test_a_set_symbol_that_may_hold_another_value_is_not_verified() -> None:
    r = verify_plan([Step("ask", wanted=Sym("W"))], [ask], assume=["'read' in W", "'admin' in W"])
    assert not r.ok, r.explanation
    assert r.failed_step == 0 and "'read', 'write'" in r.explanation, r.explanation


def test_an_unconstrained_set_symbol_is_not_verified() -> None:
    r = verify_plan([Step("ask", wanted=Sym("W"))], [ask], assume=["'read' in W"])
    assert not r.ok, r.explanation


def test_a_set_symbol_kept_within_its_values_is_verified() -> None:
    # the state's perms hold only Literal values (the run time refuses another world), so W does too
    r = verify_plan([Step("ask", wanted=Sym("W"))], [ask], assume=["W == state.perms", "'read' in state.perms"])
    assert r.ok, r.explanation
    # as for a scalar Literal symbol
    assert not verify_plan([Step("act", p=Sym("x"))], [act], assume=["x in {'read', 'admin'}"]).ok
    assert verify_plan([Step("act", p=Sym("x"))], [act], assume=["x in {'read', 'write'}", "x in state.perms"]).ok
