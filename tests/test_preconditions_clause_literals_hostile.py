"""Red team 145: clause literals the parser accepts but the guard cannot evaluate, or evaluates twice over.

1. A str literal holding a character beyond U+2FFFF (`to != '\\U00030000'`). Z3 represents characters
   up to U+2FFFF only, and `convert` refuses such a value, but the parser lets the literal through.
   So the fast path allows `to="x"` while `backend="z3"` denies every call ("could not be evaluated":
   the reference cannot translate the clause), and the policy lint (`Agent.lint()`/`compile()`) crashes
   with a bare `BadValue` instead of a `PolicyError` naming the clause. Expected: the clause is a
   `PolicyError` when it is declared, as a non-finite float literal is.

2. An int literal written in hex past 4,300 decimal digits (`amount < 0x1000...0`, Python and Z3 take
   it) makes the decorator raise `ValueError: Exceeds the limit (4300 digits) for integer string
   conversion` from the fast path's code generator (it writes constants with `repr`). Expected: the
   tool is declared and both backends decide the clause.

3. A clause nested deeply (a product of 100 reals, 200 nested `not`s or sums; 600 and more) makes the
   decorator raise a `SyntaxError: too many nested parentheses` about the generated code
   (`<vfa precondition requires_t>`), or a `RecursionError`, or (past ~3,000) a `MemoryError` from
   `ast.parse`. Expected: a `PolicyError` naming the clause (bad input gets a clear error).

4. An enum whose member names and values cross (`A = "B"`, `B = "A"`). `convert` turns a raw value
   into its member by value (`Mode("A")` is `Mode.B`, as pydantic does for the argument `m="A"` and a
   world stored with `use_enum_values`), but the parser reads the literal of `m == 'A'` by name first
   (`Mode.A`): the model's `m="A"` is denied with "'A' differs from 'B' (m='A')". Expected: a literal
   names the member whose value it is, as the same string read from the world does.

Fixed: the clause parser refuses a str literal holding a character beyond U+2FFFF and a clause nested past
64 levels (`PolicyError`, also for `ast.parse`'s own RecursionError/MemoryError); an int too long to write
is handed to the fast path's code as a value; an enum literal names the member of its value first, then of
its name.
"""

from __future__ import annotations

import enum
from typing import Literal

import pytest
from pydantic import BaseModel

from guards import Policy, requires
from guards._preconditions import Precondition, PreconditionGuard
from guards._sorts import INT, STR, Sort
from vfa import GuardContext, PolicyError, Proposal, ToolSpec, effect


def _verdicts(pre, args, world=None):
    return tuple(PreconditionGuard(pre, backend=b).check(Proposal(call_id="c", tool="t", args=args),
                                                         GuardContext(world=world)).kind
                 for b in ("fast", "z3"))


def test_str_literal_beyond_z3_characters_is_a_policy_error() -> None:
    with pytest.raises(PolicyError, match="U\\+2FFFF"):
        Precondition(["to != '\U00030000'"], tool="t", args={"to": STR})


def test_str_literal_within_z3_characters_still_works() -> None:
    pre = Precondition(["to != '\U0002ffff'"], tool="t", args={"to": STR})
    assert _verdicts(pre, {"to": "x"}) == ("allow", "allow")
    assert _verdicts(pre, {"to": "\U0002ffff"}) == ("deny", "deny")


def test_huge_hex_int_literal_is_decided_by_both_backends() -> None:
    big = "0x1" + "0" * 4000  # 16**4000: about 4,817 decimal digits
    pre = Precondition([f"amount < {big}"], tool="t", args={"amount": INT})
    assert _verdicts(pre, {"amount": 5}) == ("allow", "allow")
    assert _verdicts(pre, {"amount": 16 ** 4000}) == ("deny", "deny")


@pytest.mark.parametrize("clause", [
    "amount" + " * 1.5" * 100 + " > 0",
    "not " * 200 + "amount > 0",
    "amount" + " + amount" * 200 + " > 0",
    "not " * 800 + "amount > 0",
    "amount" + " + amount" * 5000 + " > 0",
    "-" * 10000 + "amount > 0",
], ids=["real-product-100", "not-200", "sum-200", "not-800", "sum-5000", "neg-10000"])
def test_deeply_nested_clause_is_a_policy_error(clause: str) -> None:
    with pytest.raises(PolicyError, match="nested"):
        Precondition([clause], tool="t", args={"amount": INT})


def test_moderately_nested_clause_still_compiles() -> None:
    pre = Precondition(["amount" + " * 1.5" * 40 + " > 0", "not " * 40 + "amount > 0"], tool="t", args={"amount": INT})
    assert _verdicts(pre, {"amount": 1}) == ("allow", "allow")


class Crossed(enum.Enum):
    A = "B"
    B = "A"


@effect
@requires("m == 'A'")
def pick(m: Crossed) -> str:
    """Pick a mode."""
    return m.value


class World(BaseModel):
    model_config = {"use_enum_values": True}
    m: Crossed


def test_enum_literal_means_the_member_of_that_value() -> None:
    spec = ToolSpec.of(pick)
    args = dict(spec.args_model.model_validate({"m": "A"}))  # the model's "A": Crossed.B, by value
    assert args["m"] is Crossed.B
    v = spec.guards[0].check(Proposal(call_id="c", tool=spec.name, args=args), GuardContext(world=None, tool=spec))
    assert v.kind == "allow", v
    pre = Precondition(["state.m == 'A'"], tool="t", args={}, state=World)
    assert _verdicts(pre, {}, World(m=Crossed.B)) == ("allow", "allow")  # stored as its value "A"
    assert _verdicts(pre, {}, World(m=Crossed.A)) == ("deny", "deny")


def test_enum_literal_by_name_still_works() -> None:
    class Mode(enum.Enum):
        OPEN = "open"
        SHUT = "shut"

    pre = Precondition(["m == 'OPEN'"], tool="t", args={"m": Sort("enum", enum=Mode)})
    assert _verdicts(pre, {"m": Mode.OPEN}) == ("allow", "allow")
    assert _verdicts(pre, {"m": Mode.SHUT}) == ("deny", "deny")


def test_a_literal_state_field_beyond_z3_characters_is_a_policy_error() -> None:
    """The same limit for a `Literal[...]` field of the state: refused when the policy is declared, not a
    bare `BadValue` when the lint builds its sorts."""
    class Modes(BaseModel):
        mode: Literal["a", "\U00030000"] = "a"

    with pytest.raises(PolicyError, match="U\\+2FFFF"):
        @Policy(Modes).requires("state.mode == 'a'")
        def go(x: int) -> str:
            """Go."""
            return "ok"
