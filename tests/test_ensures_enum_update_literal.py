"""An `ensures` update sets an enum field to a member named by a str literal, as a clause compares with one.

A clause reads `state.status == 'SHIPPED'` as the member `Status.SHIPPED` (by value, else by name), but
the update `state.status = 'SHIPPED'` was refused at declaration ("`state.status` is of sort Status, the
new value of sort str"), and so was `state.flags |= {'URGENT'}` on a set of an Enum: a clause has no other
way to write an enum constant, so no tool could declare that it moves an order to a given status, and no
plan through a status machine could be verified.

What must hold: both updates declare; the member they name is the new value (a plan that ships and then
delivers verifies, one that delivers first fails at step 1); a str naming no member stays a `PolicyError`
naming the members.

Fixed: _clauses._as_elem reads a str literal as the enum member (by value, else by name) in an update's new
value and a set update's elements; a name that is no member stays a PolicyError listing the members.
"""

from __future__ import annotations

import enum

import pytest
from pydantic import BaseModel

from guards import Policy, Step, verify_plan
from vfa import PolicyError, effect


class Status(enum.Enum):
    PLACED = "placed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"


class Flag(enum.Enum):
    URGENT = "urgent"
    FRAGILE = "fragile"


class Order(BaseModel):
    status: Status
    flags: set[Flag] = set()


orders = Policy(Order)


def tools() -> list:
    """Declared in the tests: a refused declaration fails each test, not the module's collection."""

    @effect
    @orders.requires("state.status == 'PLACED'")
    @orders.ensures("state.status = 'SHIPPED'", "state.flags |= {'URGENT'}")
    def ship() -> str:
        return "shipped"

    @effect
    @orders.requires("state.status == 'SHIPPED'", "'URGENT' in state.flags")
    @orders.ensures("state.status = 'delivered'")
    def deliver() -> str:
        return "delivered"

    return [ship, deliver]


def test_a_status_machine_plan_verifies() -> None:
    r = verify_plan([Step("ship"), Step("deliver")], tools(), assume="state.status == 'PLACED'")
    assert r.ok, r.explanation


def test_delivering_first_fails_at_step_one() -> None:
    r = verify_plan([Step("deliver"), Step("ship")], tools(), assume="state.status == 'PLACED'")
    assert (r.ok, r.failed_step, r.clause) == (False, 0, "state.status == 'SHIPPED'")


def test_a_str_naming_no_member_is_refused() -> None:
    with pytest.raises(PolicyError, match="LOST"):
        @orders.ensures("state.status = 'LOST'")
        def lose() -> str:
            return "lost"


def test_a_conditional_between_two_members_names_each() -> None:
    @effect
    @orders.requires("state.status == 'PLACED'")
    @orders.ensures("state.status = 'SHIPPED' if 'URGENT' in state.flags else 'placed'")
    def ship_urgent() -> str:
        """Ship the order if it is urgent."""
        return "maybe shipped"

    shipped = verify_plan([Step("ship_urgent"), Step("deliver")], [ship_urgent, tools()[1]],
                          assume=["state.status == 'PLACED'", "'URGENT' in state.flags"])
    assert shipped.ok, shipped.explanation
    held = verify_plan([Step("ship_urgent"), Step("deliver")], [ship_urgent, tools()[1]],
                       assume="state.status == 'PLACED'")
    assert (held.ok, held.failed_step) == (False, 1), held.explanation
    with pytest.raises(PolicyError, match="LOST"):
        @orders.ensures("state.status = 'SHIPPED' if 'URGENT' in state.flags else 'LOST'")
        def lose() -> str:
            return "lost"
