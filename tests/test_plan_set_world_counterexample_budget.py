"""A plan that can fail over a world pinned with a large set is rejected with its counterexample, within the budget.

What must hold (guards/_plans.py: "no timeouts for realistic sizes"; tests/test_plan_large_set_world.py): with a
world of 50 or 1,000 payees (or ids) pinned, a plan paying a symbol the assumptions do not keep on the book is
rejected, decided (not `undecided`), naming a value of the symbol that the world's set does not hold, well within
the budget; the same plan with the symbol assumed on the book is verified.

Z3.check built the model of every failing step in a new solver (`model_alone`) once a set past 8 members had been
made (`slow_values`, guards/_z3.py: the mark the rewriter needs, shared since the set change with the long-string
mark): a new solver takes a bound set of 50 strings in ~4.7 s and one of 1,000 past its budget, where the pushed
solver that answered "sat" builds the model in ~2 ms. The counterexample took the whole budget, or the plan was
rejected as undecided.

Fixed: a model is built in a new solver only after a long string was made (Z3.long_strings), not a large set
(slow_values still routes ReferenceCheck to the rewriter).
"""

from __future__ import annotations

import time

import pytest
from pydantic import BaseModel

from guards import Policy, Step, Sym, verify_plan
from vfa import GuardContext, Proposal, ToolSpec, effect


class Book(BaseModel):
    payees: set[str] = set()
    blocked: set[int] = set()


book = Policy(Book)


@effect
@book.requires("to in state.payees")
def pay(to: str) -> str:
    """Pay someone on the book."""
    return "paid"


@effect
@book.requires("i not in state.blocked")
def use(i: int) -> str:
    """Use an id that is not blocked."""
    return "used"


def _denied(tool, args: dict, world: Book) -> bool:
    spec = ToolSpec.of(tool)
    return any(g.check(Proposal(call_id="c", tool=spec.name, args=args), GuardContext(world=world)).kind != "allow"
               for g in spec.guards)


@pytest.mark.parametrize("n", [50, 1000])
def test_a_symbol_off_the_book_is_a_decided_counterexample(n: int) -> None:
    world = Book(payees={f"payee{i:04d}" for i in range(n)})
    t0 = time.perf_counter()
    r = verify_plan([Step("pay", to=Sym("x"))], [pay], initial=world, assume=["len(x) > 0"], timeout_ms=3000)
    took = time.perf_counter() - t0
    assert not r.ok and not r.undecided, r.explanation
    x = r.counterexample["symbols"]["x"]
    assert x not in world.payees and _denied(pay, {"to": x}, world)
    assert took < 1.5, f"took {took:.2f} s"


def test_a_symbol_that_may_be_blocked_is_a_decided_counterexample() -> None:
    world = Book(blocked=set(range(0, 2000, 2)))
    t0 = time.perf_counter()
    r = verify_plan([Step("use", i=Sym("k"))], [use], initial=world, assume=["k >= 0"], timeout_ms=3000)
    took = time.perf_counter() - t0
    assert not r.ok and not r.undecided, r.explanation
    k = r.counterexample["symbols"]["k"]
    assert k in world.blocked and _denied(use, {"i": k}, world)
    assert took < 1.5, f"took {took:.2f} s"


def test_a_symbol_on_the_book_is_verified() -> None:
    world = Book(payees={f"payee{i:04d}" for i in range(1000)})
    r = verify_plan([Step("pay", to=Sym("x"))], [pay], initial=world, assume=["x in state.payees"], timeout_ms=3000)
    assert r.ok, r.explanation
