"""What a guard says is bounded: a reason, question or hint over `MAX_VERDICT_TEXT` characters is cut (saying
how long it was) and a denial's evidence over `MAX_EVIDENCE_BYTES` of JSON is replaced by a note of its size,
so a guard that quotes a whole document does not put it in the model's next message, the journal and the
trace; the verdict itself (a denial) is unchanged, and short verdicts are kept as they are."""

from __future__ import annotations

from langchain_core.messages import HumanMessage, ToolMessage

from vfa import Agent, Deny, Escalate, FunctionGuard, effect
from vfa._chain import MAX_EVIDENCE_BYTES, MAX_VERDICT_TEXT, _bounded
from vfa.testing import ScriptedModel

done: list[int] = []


@effect
def pay(amount: int) -> str:
    """Pay an amount."""
    done.append(amount)
    return "paid"


def test_a_huge_denial_reaches_the_model_and_journal_bounded():
    done.clear()
    big = 2_000_000

    def quote_all(proposal, context):
        return Deny(reason="r" * big, evidence={"document": "e" * big})

    agent = Agent(ScriptedModel([("pay", {"amount": 1}), "ok"]), [pay], guards=[FunctionGuard(quote_all, name="quoter")])
    out = agent.compile().invoke({"messages": [HumanMessage("pay")]}, {"configurable": {"thread_id": "t"}})
    message = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert done == [] and message.artifact["vfa"]["outcome"] == "denied"
    assert len(message.content) < 2 * MAX_VERDICT_TEXT + 1000, len(message.content)
    assert f"{big:,} characters" in message.content  # says it was cut, and from what
    written = sum(len(str(e.data)) for e in agent.journal.entries("t"))
    assert written < 4 * (MAX_VERDICT_TEXT + MAX_EVIDENCE_BYTES), written


def test_short_verdicts_are_kept_and_questions_keep_evidence():
    short = Deny(guard="g", reason="too much", evidence={"limit": 100})
    assert _bounded(short) is short
    ask = Escalate(guard="g", question="q" * (MAX_VERDICT_TEXT + 1), evidence={"scope": "x" * (MAX_EVIDENCE_BYTES + 1)})
    kept = _bounded(ask)
    assert kept.evidence == ask.evidence  # answering a question reads it
    assert kept.question.startswith("q" * MAX_VERDICT_TEXT) and len(kept.question) < MAX_VERDICT_TEXT + 100
    exact = Deny(guard="g", reason="r" * MAX_VERDICT_TEXT)
    assert _bounded(exact) is exact


def test_the_journal_own_evidence_is_kept_when_the_shown_part_is_cut():
    record = {"violations": ["x"]}
    big = Deny(guard="g", reason="no", evidence={"_violations": record, "document": "e" * (MAX_EVIDENCE_BYTES + 1)})
    kept = _bounded(big)
    assert kept.evidence["_violations"] == record and "document" not in kept.evidence
    assert "shortened" in kept.evidence
    wide = Deny(guard="g", reason="no", evidence={"quote": "\u00e9" * (MAX_EVIDENCE_BYTES // 2 + 10)})
    assert "shortened" in _bounded(wide).evidence  # measured in bytes: each é is two
