"""An edit that names another tool the way the question names its tool runs the original tool.

Fault. The question a person is shown (`interrupt()`'s value, `vfa/_escalation.py` `payload`) names the
call by `"tool"` and `"args"`, and the README calls those arguments "the shape an edit answers with". A
client that answers in that shape, `{"type": "edit", "tool": "refund", "args": {...}}`, has its `"tool"`
dropped by `decision_of`: `pay(bob, 5)` is committed, an effect the person never chose (an earlier fix covered
`edited_action.name`, the `HumanInTheLoopMiddleware` shape, only). Likewise an edit carrying two
sets of arguments that disagree (`args` and `edited_action.args`) runs one of them, picked silently,
where an approval carrying arguments is refused as ambiguous.

What must hold: an edit naming a tool other than the one asked about, under any key the question uses
for it, never runs the original tool (it ends rejected, nothing runs); an edit whose two argument sets
disagree runs neither.

Fixed: an edit naming another tool by tool, name or edited_action.name rejects, and so does one carrying two
different argument sets.
"""

from __future__ import annotations

from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from vfa import ALLOW, Agent, Escalate, effect, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


def _run(answer: dict[str, Any]) -> tuple[list[tuple[str, str, int]], Any]:
    done: list[tuple[str, str, int]] = []

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay someone."""
        done.append(("pay", to, amount))
        return "paid"

    @effect
    def refund(to: str, amount: int) -> str:
        """Refund someone."""
        done.append(("refund", to, amount))
        return "refunded"

    @guard
    def ask_large_payments(p, c):
        return Escalate(question=f"pay {p.args['amount']}?") if p.tool == "pay" and p.args["amount"] > 10 else ALLOW

    app = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 50}), "ok"]), [pay, refund],
                [ask_large_payments]).compile(checkpointer=InMemorySaver())
    (question,) = app.invoke({"messages": [("user", "settle with bob")]}, CFG)["__interrupt__"]
    assert set(question.value) >= {"tool", "args"} and question.value["tool"] == "pay"
    out = app.invoke(Command(resume={question.id: answer}), CFG)
    return done, out["messages"][-2]


@pytest.mark.parametrize("key", ["tool", "name"])
def test_an_edit_naming_another_tool_as_the_question_names_it_runs_nothing(key: str) -> None:
    done, message = _run({"type": "edit", key: "refund", "args": {"to": "bob", "amount": 5}})
    assert ("pay", "bob", 5) not in done, f"the person chose refund(bob, 5); pay(bob, 5) ran instead: {done}"
    assert done == [] and message.artifact["vfa"]["outcome"] == "rejected"


def test_an_edit_of_the_question_s_own_shape_naming_its_tool_is_an_edit() -> None:
    done, _ = _run({"type": "edit", "tool": "pay", "args": {"to": "bob", "amount": 5}})
    assert done == [("pay", "bob", 5)]


def test_an_edit_with_two_disagreeing_argument_sets_runs_neither() -> None:
    done, message = _run({"type": "edit", "args": {"to": "bob", "amount": 5},
                          "edited_action": {"name": "pay", "args": {"to": "eve", "amount": 5}}})
    assert done == [], f"one of two argument sets was picked silently: {done}"
    assert message.artifact["vfa"]["outcome"] == "rejected"
