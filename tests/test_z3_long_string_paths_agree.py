"""The Z3 backend decides a call the same way whichever of its two paths runs.

`ReferenceCheck.decide` binds every value in its pushed solver, except when a string value is longer
than `_LONG_STRING` (256) characters: then Z3's rewriter decides the formula with every value
substituted (`Z3.evaluate`), and a new solver where the rewriter leaves it open. Both are the
reference semantics of one precondition, so they must agree with each other and with the fast path.

Expected: for generated preconditions over strings (==, !=, `in` a literal set or a state set,
`len`, `a if c else b`, `not`, `or`, `implies`) mixed with ints, whose every string is given a common
prefix padded just under and just over the threshold (the truth of each clause does not depend on the
prefix), the verdict of `backend="z3"` is the same on both sides, is the fast path's, and a denial names
the same clauses and counterexample (up to the prefix).

Found: a clause that measures a string (`len(a)`) is decided by the pushed solver in time quadratic in
the string's length, so with strings of 251-256 characters such a call is denied as undecided (Z3 gives up
at its 1 s budget; 2 s for 256 characters) while the same call with 257 is decided at once. A literal
branch of `a if c else b` is left out of the generated clauses: see test_z3_long_literal.py.
"""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, given, settings, strategies as st
from pydantic import BaseModel

from guards import PreconditionGuard
from guards._preconditions import Precondition
from guards._sorts import Sort
from guards._z3 import _LONG_STRING
from vfa import GuardContext, Proposal

TOKENS = ("", "x", "xy", "admin", "é\\")  # tokens after the common prefix; the longest has 5 characters
SHORT = _LONG_STRING - 5  # every string at most _LONG_STRING characters: the pushed solver
LONG = _LONG_STRING + 1  # every string past it: the rewriter


class World(BaseModel):
    name: str
    tags: set[str]
    k: int


ARGS = {"a": Sort("str"), "b": Sort("str"), "n": Sort("int")}
STR_ATOMS = ("a", "b", "state.name")
INT_ATOMS = ("n", "state.k", "len(a) - {L}", "len(b) - {L}", "len(state.name) - {L}")


@st.composite
def str_term(draw):
    if draw(st.integers(0, 5)) == 0:
        return f"'{{P}}{draw(st.sampled_from(TOKENS))}'".replace("\\", "\\\\")
    if draw(st.integers(0, 7)) == 0:  # branches of values only (a literal branch: see test_z3_long_literal)
        return f"({draw(st.sampled_from(STR_ATOMS))} if {draw(cond(depth=2))} else {draw(st.sampled_from(STR_ATOMS))})"
    return draw(st.sampled_from(STR_ATOMS))


@st.composite
def int_term(draw):
    if draw(st.booleans()):
        return draw(st.sampled_from(INT_ATOMS))
    return str(draw(st.integers(-1, 5)))


@st.composite
def atom(draw):
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return f"{draw(str_term())} {draw(st.sampled_from(['==', '!=']))} {draw(str_term())}"
    if kind == 1:
        elems = draw(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=3))
        lits = ", ".join(f"'{{P}}{t}'".replace("\\", "\\\\") for t in elems)
        return f"{draw(str_term())} {draw(st.sampled_from(['in', 'not in']))} {{{lits}}}"
    if kind == 2:
        return f"{draw(str_term())} {draw(st.sampled_from(['in', 'not in']))} state.tags"
    return f"{draw(int_term())} {draw(st.sampled_from(['<', '<=', '==', '!=', '>']))} {draw(int_term())}"


@st.composite
def cond(draw, depth=0):
    if depth >= 2 or draw(st.integers(0, 2)) == 0:
        return draw(atom())
    shape = draw(st.integers(0, 3))
    x, y = draw(cond(depth=depth + 1)), draw(cond(depth=depth + 1))
    if shape == 0:
        return f"not ({x})"
    if shape == 1:
        return f"({x}) or ({y})"
    if shape == 2:
        return f"implies({x}, {y})"
    return f"({x}) and ({y})"


def _fill(template: str, pad: str) -> str:
    return template.replace("{P}", pad).replace("{L}", str(len(pad)))


def _verdict(clauses: list[str], pad: str, values: dict, world: dict, backend: str):
    pre = Precondition([_fill(c, pad) for c in clauses], tool="send", args=ARGS, state=World)
    guard = PreconditionGuard(pre, backend=backend, timeout_ms=1000)
    args = {"a": pad + values["a"], "b": pad + values["b"], "n": values["n"]}
    w = World(name=pad + world["name"], tags={pad + t for t in world["tags"]}, k=world["k"])
    v = guard.check(Proposal(tool="send", args=args, call_id="c1"), GuardContext(world=w))
    evidence = getattr(v, "evidence", None) or {}
    return v.kind, repr(sorted(evidence.get("clauses", []))).replace(pad, "<P>").replace(str(len(pad)), "<L>"), \
        repr(evidence.get("counterexample")).replace(pad, "<P>")


@settings(max_examples=150, deadline=None, derandomize=True, database=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))  # no shrinking: each undecided check takes its 1 s budget
@given(
    clauses=st.lists(cond(), min_size=1, max_size=2),
    values=st.fixed_dictionaries({"a": st.sampled_from(TOKENS), "b": st.sampled_from(TOKENS),
                                  "n": st.integers(-1, 5)}),
    world=st.fixed_dictionaries({"name": st.sampled_from(TOKENS), "k": st.integers(-1, 5),
                                 "tags": st.sets(st.sampled_from(TOKENS), max_size=3)}),
)
def test_the_solver_and_the_rewriter_decide_alike_across_the_threshold(clauses, values, world) -> None:
    short, long = "p" * SHORT, "p" * LONG
    under = _verdict(clauses, short, values, world, "z3")
    over = _verdict(clauses, long, values, world, "z3")
    fast = _verdict(clauses, long, values, world, "fast")
    assert under == over == fast, (clauses, values, world, under, over, fast)
