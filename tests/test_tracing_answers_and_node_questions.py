"""A person's answer is in no span, and nor is the question the guard node asks after a crash.

Every decision about a call is to be traced once, under its call's `execute_tool` span: each guard's
verdict (`run_guardrail {guard}`), the node's own refusals (`run_guardrail schema`), the outcome
(`vfa.outcome`), and a person's answer to an escalation.

How it breaks: (1) an answer (approve, edit, reject) is journaled (`approved` / `edited` / `rejected`)
but never traced: the resumed run's trace of an edited call shows the guards allowing arguments the
model never proposed, and nothing says a person changed them; an approval reads as a call that
escalated in one trace and committed in the next, with nothing between. (2) A call whose effect a crash
cut off is asked about again by the node itself (`Escalate(guard="journal")`, "started but its result
was never recorded ... Approve to run it again"); that question is in no span: the re-run's trace shows
its guards allowing and the call paused, with no verdict that asked, and then a second run of a
non-idempotent effect, committed on an answer the trace does not hold either.

Cause: `Questions.ask` / `Questions._record` (vfa/_escalation.py) journal answers without tracing them;
`GuardNode._recover` (and `_lost`) ask the node's own question outside `verify`, the only place that
traces a question (`record_decisions`).

What must hold: a person's answer is an event `vfa.answer` (`vfa.answer`: approve | edit | reject,
`vfa.guard`: the guard whose question it answers) on the `execute_tool` span of the run that took it,
once (never with the edit's arguments or the reject's words, which may hold what the person typed);
the node's own question is a `run_guardrail journal` span (verdict escalate) under its call's span.

Fixed: `Questions._traced` adds the `vfa.answer` event as an answer is journaled; `_recover` and
`_rounds` trace the node's own questions with `record_decisions`.
"""

from __future__ import annotations

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from conftest import config
from vfa import ALLOW, Agent, EffectJournal, effect, guard
from vfa.testing import ScriptedModel, capture_spans


def _answers(finished):
    return [(s.name, dict(e.attributes)) for s in finished for e in s.events if e.name == "vfa.answer"]


@pytest.mark.parametrize("answer", [{"type": "approve"}, {"type": "reject", "message": "not to bob"},
                                    {"type": "edit", "args": {"to": "bob", "amount": 40}}])
def test_a_persons_answer_is_traced_once(bank, answer):
    transfer, lookup = bank.tools()
    app = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 60}), "done"]), [transfer, lookup],
                bank.guards(), name="pay").compile(checkpointer=InMemorySaver())
    with capture_spans() as spans:
        assert app.invoke({"messages": [("user", "pay")]}, config()).get("__interrupt__")
        app.invoke(Command(resume=answer), config())
        app.invoke({"messages": [("user", "thanks")]}, config())  # the thread goes on: nothing answered again
        finished = spans.get_finished_spans()
    answers = _answers(finished)
    assert answers == [("execute_tool transfer", {"vfa.answer": answer["type"], "vfa.guard": "large"})], answers


def test_the_question_after_a_crash_and_its_answer_are_traced():
    cut = [True]

    @effect
    def transfer(to: str, amount: int) -> str:
        """Send `amount` to `to`."""
        if cut[0]:
            cut[0] = False
            raise KeyboardInterrupt  # the process stops inside the effect
        return "sent"

    @guard
    def ok(p, c):
        return ALLOW

    app = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 5}), "done"]), [transfer], [ok],
                journal=EffectJournal(), name="pay").compile(checkpointer=InMemorySaver())
    with pytest.raises(KeyboardInterrupt):
        app.invoke({"messages": [("user", "pay")]}, config())
    with capture_spans() as spans:
        asked = app.invoke(None, config())["__interrupt__"][0].value
        assert asked["guard"] == "journal"
        app.invoke(Command(resume="approve"), config())
        finished = spans.get_finished_spans()
    by_id = {s.context.span_id: s for s in finished}
    questions = [s for s in finished if s.name == "run_guardrail journal"]
    assert questions, "the node's question after the crash is traced"
    assert questions[0].attributes["vfa.verdict"] == "escalate"
    assert by_id[questions[0].parent.span_id].name == "execute_tool transfer"
    assert _answers(finished) == [("execute_tool transfer", {"vfa.answer": "approve", "vfa.guard": "journal"})]
