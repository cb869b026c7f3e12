"""A denial's words about a `not in` clause say which membership holds, never that the violated clause holds.

`to not in state.blocked` fails because `to in state.blocked` holds; the explanation must say that, not
"`to not in state.blocked` holds, which `to not in state.blocked` forbids" (the clause that is false).

Fixed: the inner membership test of a not-in clause keeps the text x in S.
"""

from pydantic import BaseModel

from guards import requires
from vfa import GuardContext, Proposal, ToolSpec


class World(BaseModel):
    blocked: set[str]


@requires("to not in state.blocked", state=World)
def pay(to: str, amount: int) -> str:
    return "ok"


@requires("to not in {'mallory', 'eve'} or amount <= 10")
def send(to: str, amount: int) -> str:
    return "ok"


def _reason(fn, args, world=None) -> str:
    spec = ToolSpec.of(fn)
    verdict = spec.guards[0].check(Proposal(call_id="c", tool=spec.name, args=args), GuardContext(world=world))
    assert verdict.kind == "deny"
    return verdict.reason


def test_not_in_a_state_set_names_the_membership_that_holds() -> None:
    reason = _reason(pay, {"to": "mallory", "amount": 5}, World(blocked={"mallory"}))
    assert "`to in state.blocked` holds" in reason, reason
    assert "`to not in state.blocked` holds" not in reason, reason


def test_not_in_a_literal_set_inside_an_or_names_the_membership_that_holds() -> None:
    reason = _reason(send, {"to": "eve", "amount": 50})
    assert "`to in {'mallory', 'eve'}` holds" in reason, reason
    assert "`to not in {'mallory', 'eve'}` holds" not in reason, reason
