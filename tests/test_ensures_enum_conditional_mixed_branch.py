"""An `ensures` update of an enum field whose conditional mixes a str field with a str literal is refused.

`_clauses._as_elem` (f7fe067) reads a str literal as the enum member in either branch of a conditional
assigned to an enum field. For `state.status = state.note if state.paid else 'SHIPPED'` it rebuilt the
conditional with the enum's sort whatever its other branch was, so a branch of sort str (`state.note`)
passed the declaration's sort check (`state.status = state.note` alone is refused: "`state.status` is of
sort Status, the new value of sort str"). The declaration was accepted and the mistake surfaced only when
Z3 met it: `verify_plan` returned "Z3 failed while translating ...: sort mismatch".

What must hold: the declaration is refused at once with a `PolicyError` naming the sorts, as the plain
assignment is; a conditional between two members (the supported form) still declares.

Fixed: _as_elem reads a conditional as enum members only when both branches name one; otherwise the sort check
refuses it.
"""

from __future__ import annotations

import enum

import pytest
from pydantic import BaseModel

from guards import Policy
from vfa import PolicyError


class Status(enum.Enum):
    PLACED = "placed"
    SHIPPED = "shipped"


class Order(BaseModel):
    status: Status
    note: str = ""
    paid: bool = False


orders = Policy(Order)


@pytest.mark.parametrize("update", [
    "state.status = state.note if state.paid else 'SHIPPED'",
    "state.status = 'SHIPPED' if state.paid else state.note",
])
def test_a_str_field_in_a_branch_is_refused_at_declaration(update: str) -> None:
    with pytest.raises(PolicyError, match="of sort str"):
        @orders.ensures(update)
        def ship() -> str:
            return "shipped"


def test_two_members_still_declare() -> None:
    @orders.ensures("state.status = 'SHIPPED' if state.paid else 'placed'")
    def ship() -> str:
        return "shipped"
