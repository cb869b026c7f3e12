"""A clause over a state field of a type preconditions cannot read is refused naming that field and its type.

What must hold:
- `state.account.balance`, where `account: Optional[Account]` (or `limits: dict[str, int]` read as
  `state.limits.x`), is a PolicyError saying `state.account` has a type preconditions cannot reason about,
  not that the state has no field `account` "(its fields: none)" — the field exists;
- a state type that holds itself (a TypedDict `total=False` tree, a model whose field is its own type) can be
  declared: clauses over its other fields work, and one through the recursive field is a PolicyError naming
  it; never a RecursionError from `Policy(...)`.

Fixed: the clause parser names the first unsupported field on the path; Schema marks a field whose type holds
itself unsupported.
"""

from __future__ import annotations

from typing import Optional, TypedDict

import pytest
from pydantic import BaseModel

from guards import Policy, requires
from vfa import PolicyError


class Account(BaseModel):
    balance: int


class World(BaseModel):
    account: Optional[Account] = None
    limits: dict[str, int] = {}


@pytest.mark.parametrize("clause, field", [("amount <= state.account.balance", "state.account"),
                                           ("amount <= state.limits.x", "state.limits")])
def test_a_path_through_an_unsupported_field_names_its_type(clause: str, field: str) -> None:
    def pay(amount: int) -> str:
        """Pay."""
        return ""

    with pytest.raises(PolicyError) as err:
        requires(clause, state=World)(pay)
    assert "has no field" not in str(err.value)
    assert f"{field} has type" in str(err.value)


class Tree(TypedDict, total=False):
    size: int
    child: Tree


class Node(BaseModel):
    size: int
    child: Node | None = None
    twin: "Node" = None  # type: ignore[assignment]


@pytest.mark.parametrize("state", [Tree, Node])
def test_a_recursive_state_type_is_declared_and_its_recursion_named(state: type) -> None:
    policy = Policy(state)  # RecursionError before

    @policy.requires("state.size > 0")
    def grow() -> str:
        """Grow."""
        return ""

    field = "child" if state is Tree else "twin"
    with pytest.raises(PolicyError, match=f"state.{field}"):
        policy.requires(f"state.{field}.size > 0")(grow)
