"""A person's edit back to arguments asked about before is answered with their earlier answer.

Fault. A call a person edits goes on, on the next resume, from the last edit (`GuardNode.handle`,
`Questions.last_edit`), but the search for an answer already given (`Questions._find`) starts at the
call's first question, not after that edit. An edit back to arguments an earlier question showed (the
person edits 50 to 20, then, asked about 20, back to 50) is checked, its question is found among those
answered before the edit, and the answer given there (the edit to 20) is taken again: the person is never
asked about 50, the call cycles through their old answers and ends "not committed after 3 edits" after
two edits; and where the world changed meanwhile so that 20 no longer needs asking, 20 is committed,
though the person's last word was 50.

What must hold: the call goes on with the person's last edit; an answer given before it is not taken for a
question about the edited call (the person is asked, and their approval commits what they approved).

Fixed: a call resumed from a person's last edit looks for its answers after that edit
(Questions.past_last_edit).
"""

from __future__ import annotations

from typing import Any

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from vfa import ALLOW, Agent, Escalate, effect, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


def _app(paid: list[int], world: dict[str, int]) -> Any:
    @effect
    def pay(to: str, amount: int) -> str:
        """Pay someone."""
        paid.append(amount)
        return "paid"

    @guard
    def over_limit(p, c):
        return Escalate(question=f"pay {p.args['amount']} to {p.args['to']}?") if p.args["amount"] > world["limit"] else ALLOW

    return Agent(ScriptedModel([("pay", {"to": "bob", "amount": 50}), "ok"]), [pay],
                 [over_limit]).compile(checkpointer=InMemorySaver())


def _edit(amount: int) -> dict[str, Any]:
    return {"type": "edit", "args": {"to": "bob", "amount": amount}}


def test_an_edit_back_to_the_first_arguments_is_asked_about() -> None:
    paid: list[int] = []
    app = _app(paid, {"limit": 0})
    out = app.invoke({"messages": [("user", "pay bob")]}, CFG)
    asked = []
    for answer in (_edit(20), _edit(50), {"type": "approve"}):
        if not out.get("__interrupt__"):
            break
        (question,) = out["__interrupt__"]
        asked.append(question.value["args"]["amount"])
        out = app.invoke(Command(resume={question.id: answer}), CFG)
    assert asked == [50, 20, 50], f"asked about {asked}; the call ended: {out['messages'][-2].content!r}"
    assert paid == [50]


def test_arguments_the_person_edited_away_are_never_committed() -> None:
    paid: list[int] = []
    world = {"limit": 10}
    app = _app(paid, world)
    (question,) = app.invoke({"messages": [("user", "pay bob")]}, CFG)["__interrupt__"]  # pay 50 to bob?
    (question,) = app.invoke(Command(resume={question.id: _edit(20)}), CFG)["__interrupt__"]  # pay 20 to bob?
    world["limit"] = 30  # meanwhile the limit was raised: 20 would need no question now
    app.invoke(Command(resume={question.id: _edit(50)}), CFG)  # the person wants 50 after all
    assert 20 not in paid, f"the person changed 20 back to 50; paid: {paid}"
