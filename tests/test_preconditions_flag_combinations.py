"""Red team 145: an `enum.Flag` argument or field holding a combination of members.

A Flag's combinations (`Perm.R | Perm.W`, `Perm(0)`) are values of the class, and pydantic gives a tool
one from the model's `{"p": 3}`, but they are not among the members Z3's enum sort is declared with
(`_enum_sort` declares `[m.name for m in cls]`: R and W). So:

- `backend="z3"` raises `KeyError: <Perm.R|W: 3>` out of `ReferenceCheck` (the guard crashes; the
  kernel denies) where the fast path decides the same call (`p != 'R'` allows it);
- the policy lint proves `p in {'R', 'W'}` "checks nothing: it holds for every value its types admit"
  and refuses the policy, though at run time the fast path denies `p=Perm(3)` with it.

Expected: one meaning on every path. The lint's closed world is the documented one (a clause over an
enum names its members), so a value that is no member (a combination) does not fit the sort: both
backends deny it as a bad value (fail closed), and lint's claim becomes true.

Fixed: `convert` and the fast path's inline check take a value that is none of the enum's listed members
(a Flag combination, `Perm(0)`) for a bad value: both backends deny it.
"""

from __future__ import annotations

import enum

from guards._preconditions import Precondition, PreconditionGuard
from guards._sorts import Sort
from vfa import GuardContext, Proposal


class Perm(enum.Flag):
    R = 1
    W = 2


P = Sort("enum", enum=Perm)


def _verdicts(clause, p):
    pre = Precondition([clause], tool="t", args={"p": P})
    out = []
    for b in ("fast", "z3"):
        v = PreconditionGuard(pre, backend=b).check(Proposal(call_id="c", tool="t", args={"p": p}),
                                                    GuardContext(world=None))
        out.append(v.kind)
    return tuple(out)


def test_flag_combination_is_denied_by_both_backends() -> None:
    for p in (Perm.R | Perm.W, Perm(0), 3):
        assert _verdicts("p != 'R'", p) == ("deny", "deny"), p
        assert _verdicts("p in {'R', 'W'}", p) == ("deny", "deny"), p


def test_flag_members_are_decided_by_both_backends() -> None:
    assert _verdicts("p != 'R'", Perm.W) == ("allow", "allow")
    assert _verdicts("p != 'R'", Perm.R) == ("deny", "deny")
    assert _verdicts("p != 'R'", 2) == ("allow", "allow")
