"""A plan over a world holding both a long text and a large set is decided, as one holding either is.

What must hold (README's plan verification from the current world; no timeouts for realistic sizes): with a
world pinned that holds a note past 256 characters and 50 or 1,000 payees, a plan paying a symbol the
assumptions do not keep on the book is rejected (decided, not `undecided`) with a counterexample the run-time
guard denies, within the budget; a plan paying the symbol assumed on the book, after one payee is removed, is
rejected naming that payee, and one adding the symbol first is verified.

A long string in the world has Z3.check build each failing step's model in a new solver (`model_alone`: a pushed
solver builds a long string's model in time quadratic in its length), and a new solver decides membership in a
bound set of 50 strings in ~4.7 s and of 1,000 not within its budget: every plan that could fail over such a
world was rejected as undecided, its counterexample lost.

Fixed: membership in a set built by adding and removing elements is translated as equalities with them
(Z3._member).
"""

from __future__ import annotations

import time

import pytest
from pydantic import BaseModel

from guards import Policy, Step, Sym, verify_plan
from vfa import GuardContext, Proposal, ToolSpec, effect


class Book(BaseModel):
    payees: set[str] = set()
    note: str = ""


book = Policy(Book)


@effect
@book.requires("to in state.payees", "len(state.note) < 2000")
def pay(to: str) -> str:
    """Pay someone on the book."""
    return "paid"


@effect
@book.requires("to in state.payees")
@book.ensures("state.payees -= {to}")
def remove(to: str) -> str:
    """Take someone off the book."""
    return "removed"


@effect
@book.requires("len(name) > 0")
@book.ensures("state.payees |= {name}")
def add(name: str) -> str:
    """Put someone on the book."""
    return "added"


TOOLS = [pay, remove, add]


def _world(n: int) -> Book:
    return Book(payees={f"payee{i:04d}" for i in range(n)}, note="n" * 300)


@pytest.mark.parametrize("n", [50, 1000])
def test_a_symbol_off_the_book_is_a_decided_counterexample(n: int) -> None:
    world = _world(n)
    t0 = time.perf_counter()
    r = verify_plan([Step("pay", to=Sym("x"))], TOOLS, initial=world, assume=["len(x) > 0"], timeout_ms=3000)
    took = time.perf_counter() - t0
    assert not r.ok and not r.undecided, r.explanation
    x = r.counterexample["symbols"]["x"]
    assert x not in world.payees
    verdict = ToolSpec.of(pay).guards[0].check(Proposal(call_id="c", tool="pay", args={"to": x}),
                                               GuardContext(world=world))
    assert verdict.kind == "deny"
    assert took < 1.5, f"took {took:.2f} s"


def test_a_payee_removed_then_paid_is_named() -> None:
    r = verify_plan([Step("remove", to=Sym("x")), Step("pay", to=Sym("x"))], TOOLS, initial=_world(1000),
                    assume=["x in state.payees"], timeout_ms=3000)
    assert not r.ok and not r.undecided, r.explanation
    x = r.counterexample["symbols"]["x"]
    assert r.failed_step == 1 and x in _world(1000).payees and x in r.counterexample["state"]["payees"]


def test_a_payee_added_then_paid_is_verified() -> None:
    r = verify_plan([Step("add", name=Sym("x")), Step("pay", to=Sym("x"))], TOOLS, initial=_world(1000),
                    assume=["len(x) > 0"], timeout_ms=3000)
    assert r.ok, r.explanation
