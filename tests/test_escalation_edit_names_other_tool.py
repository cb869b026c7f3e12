"""Red team 84: a person's edit that names another tool is silently run as the original tool.

Fault. `decision_of` (vfa/_escalation.py) reads an edit in `HumanInTheLoopMiddleware`'s shape,
`{"type": "edit", "edited_action": {"name": ..., "args": ...}}`, by its `args` alone and drops the
`name`. A person asked about `pay(bob, 50)` who answers "make it `refund(bob, 5)` instead" gets
`pay(bob, 5)` committed: an effect they never asked for runs, verified only as a `pay`, and the
journal records the edit as an edit of `pay`.

Why not a documented limit: docs/kernel.md says the HITL shape "works too" and that an edit is
"labelled and verified again"; nothing says the tool an edit names is ignored. Running a different
effect from the one the person chose is the opposite of their answer, not a variant of it.

Expected: an edit naming a tool other than the call's is refused (the call ends rejected and nothing
runs), or else honoured as a call of that tool and verified as one; in no case does the original
tool run with the edit's arguments.
Fixed: `decision_of` is told the tool asked about and reads an edit naming another as a rejection.
"""

from __future__ import annotations

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from vfa import ALLOW, Agent, Escalate, effect, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


def test_an_edit_naming_another_tool_never_runs_the_original_tool() -> None:
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
    out = app.invoke({"messages": [("user", "settle with bob")]}, CFG)
    (question,) = out["__interrupt__"]
    assert question.value["tool"] == "pay"
    edit = {"type": "edit", "edited_action": {"name": "refund", "args": {"to": "bob", "amount": 5}}}
    out = app.invoke(Command(resume={question.id: {"decisions": [edit]}}), CFG)
    assert ("pay", "bob", 5) not in done, f"the person chose refund(bob, 5); pay(bob, 5) ran instead: {done}"
    assert done == []  # refused: the model proposes the refund if it is wanted, its guards judge it as one
    answer = out["messages"][-2]
    assert answer.artifact["vfa"]["outcome"] == "rejected" and "another tool ('refund')" in answer.content


def test_an_edit_naming_the_call_s_own_tool_is_an_edit() -> None:
    done: list[int] = []

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay someone."""
        done.append(amount)
        return "paid"

    @guard
    def ask_large_payments(p, c):
        return Escalate(question=f"pay {p.args['amount']}?") if p.args["amount"] > 10 else ALLOW

    app = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 50}), "ok"]), [pay],
                [ask_large_payments]).compile(checkpointer=InMemorySaver())
    (question,) = app.invoke({"messages": [("user", "pay bob")]}, CFG)["__interrupt__"]
    edit = {"type": "edit", "edited_action": {"name": "pay", "args": {"to": "bob", "amount": 5}}}
    app.invoke(Command(resume={question.id: {"decisions": [edit]}}), CFG)
    assert done == [5]
