"""A bare answer (`Command(resume={"type": "approve"})`, docs/kernel.md's and `vfa demo`'s own form) sent
after the state was edited with `update_state` never approves a question nobody was shown.

Scenario: the guard asks about `pay(eve, 500)`. Before the person's answer arrives, the app edits the
state (`update_state`: a regenerated or appended model turn, here `pay(mallory, 900)` under a new id):
LangGraph drops the pending question, and the thread's next step is the guard node again, in a task of
its own. The person approves the question they were shown. LangGraph keeps a bare answer given where no
question is pending as the answer to the next `interrupt()`: the guard node asked about the new call,
took the answer, journaled it as a person's approval of that call, and paid mallory 900.

What must hold (docs/kernel.md, "People in the loop": "an answer answers its own question only"; "`update_state`
and running on asks them anew"): the new call is asked about, and is not run on an answer given before
its question was asked; nothing is paid, and the journal holds no approval of it. A refusal of the
resume (`AnswerError`, nothing saved) is fine: the thread, run on, asks the new question.

Fixed: a bare answer waiting at a place where this task asked nothing, when a question is first asked, is not
taken for it: the call ends rejected, unrun, and proposed again is asked about (vfa/_escalation.py,
Questions._sent_before_asked).
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from vfa import ALLOW, Agent, AnswerError, EffectJournal, Escalate, effect, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


def _app() -> tuple[Any, list[tuple[str, int]], EffectJournal]:
    paid: list[tuple[str, int]] = []

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay someone."""
        paid.append((to, amount))
        return f"paid {amount} to {to}"

    @guard
    def large(p: Any, c: Any) -> Any:
        return Escalate(question=f"pay {p.args['amount']} to {p.args['to']}?") if p.args.get("amount", 0) > 100 else ALLOW

    journal = EffectJournal()
    def rule(messages: list[Any]) -> Any:
        last = messages[-1]
        if isinstance(last, HumanMessage):
            return AIMessage("", tool_calls=[{"name": "pay", "args": {"to": "eve", "amount": 500}, "id": "c1"}])
        if isinstance(last, ToolMessage) and last.tool_call_id == "c9" and "paid" not in str(last.content):
            # mallory's payment ended unrun: the model proposes it again
            return AIMessage("", tool_calls=[{"name": "pay", "args": {"to": "mallory", "amount": 900}, "id": "c10"}])
        return "ok"

    model = ScriptedModel(rule=rule)
    app = Agent(model, [pay], guards=[large], journal=journal).compile(checkpointer=InMemorySaver())
    return app, paid, journal


def _edited(app: Any) -> None:
    out = app.invoke({"messages": [HumanMessage("pay eve 500")]}, CFG)
    assert out["__interrupt__"][0].value["args"] == {"to": "eve", "amount": 500}
    turn = {"name": "pay", "args": {"to": "mallory", "amount": 900}, "id": "c9"}
    app.update_state(CFG, {"messages": [AIMessage("", tool_calls=[turn])]}, as_node="agent")


def test_a_bare_answer_sent_after_a_state_edit_approves_no_call_nobody_was_asked_about() -> None:
    app, paid, journal = _app()
    _edited(app)
    try:
        app.invoke(Command(resume={"type": "approve"}), CFG)  # the person approves "pay 500 to eve?"
    except AnswerError:
        pass  # refused, nothing saved
    assert paid == [], "an approval of the question about eve paid mallory, whose call nobody was shown"
    kinds = [e.kind for e in journal.entries("t", call_id="c9")]
    assert "approved" not in kinds, f"journaled as a person's approval of c9, which nobody was asked about: {kinds}"


def test_the_edited_thread_goes_on_and_a_call_proposed_again_is_asked_about() -> None:
    """The thread is not left stuck on the answer: the call ends unrun (or the resume is refused and the
    thread, run on, asks), and the model's call of it, proposed again, is asked about and runs once approved."""
    app, paid, journal = _app()
    _edited(app)
    try:
        out = app.invoke(Command(resume={"type": "approve"}), CFG)
    except AnswerError:
        out = app.invoke(None, CFG)
    asked = out["__interrupt__"][0]
    assert asked.value["args"] == {"to": "mallory", "amount": 900} and paid == []
    app.invoke(Command(resume={asked.id: {"type": "approve"}}), CFG)  # answered as shown: it runs
    assert paid == [("mallory", 900)]
