"""A plan over two Enum classes of one name (`orders.Status`, `payments.Status`) is judged, not a solver error.

What must hold (guards/_plans.py verify_plan: a plan is verified or rejected with a counterexample; the house
rule: bad input gets a clear error, and a tool's types are the developer's own): a step whose precondition
reads a set of one `Status` and whose other argument is another class also named `Status` is rejected with a
counterexample, as it was before counterexamples offered arguments of every scalar sort as set members.

`_element_candidates` keys the candidates by the sort's text (`str(Sort)`: an Enum's `__name__`), and
`model_state` looks them up by the set's element sort's text: the other `Status`'s member was tested for
membership in the set (`IsMember`), and Z3 raised "domain sort ... and parameter ... do not match"
(`SolverError` out of verify_plan).

Fixed: set member candidates are keyed by the sort itself (without its Literal values), not its text.
"""

from __future__ import annotations

import enum

from pydantic import BaseModel

from guards import Policy, Step, verify_plan
from vfa import effect


class Status(enum.Enum):
    ON = "on"
    OFF = "off"


def _other_status() -> type[enum.Enum]:
    class Status(enum.Enum):  # another module's class of the same name
        UP = "up"
        DOWN = "down"
    return Status


Link = _other_status()


class World(BaseModel):
    seen: set[Status] = set()


pol = Policy(World)


@effect
@pol.requires("st in state.seen", "link != 'up'")
def go(st: Status, link: Link) -> str:  # type: ignore[valid-type]
    """Go where the status was seen and the link is not up."""
    return "went"


def test_a_step_over_two_enums_of_one_name_gets_a_counterexample() -> None:
    r = verify_plan([Step("go", st="on", link="down")], [go])
    assert not r.ok and not r.undecided, r.explanation
    assert r.counterexample["state"]["seen"] == [], r.counterexample
    assert "st in state.seen" in r.explanation


def test_a_pinned_world_holding_the_member_verifies() -> None:
    r = verify_plan([Step("go", st="on", link="down")], [go], initial=World(seen={Status.ON}))
    assert r.ok, r.explanation
