"""Red team 139: a verdict whose evidence nests a dict keyed by something JSON cannot key (a tuple, a date,
bytes, a UUID) crashes the guard node instead of deciding, and with tracing on even an allow or a question does.

docs/kernel.md ("What you get"): "A verdict whose evidence JSON cannot hold (an object, a set, numpy's ints, a
cycle) is journaled with that evidence written by its repr"; a guard's evidence is traced as `vfa.evidence`.

How it breaks: `GuardChain` keeps a verdict as it is when `_writable` passes, and `_writable` checks
`verdict.model_dump(mode="json")`, where pydantic writes a tuple key as "1,2" and a date key as ISO text.
The evidence itself keeps the tuple key, and the two places that write it with `json.dumps(..., default=repr)`
(which never applies `default` to keys) raise `TypeError: keys must be str, int, float, bool or None`:
`denial_text` (every deny or repair, traced or not) and `_tracing.record_decisions` (every verdict with
evidence, so a traced allow or question too). A guard reporting, say, balances by `(account, currency)`
takes the whole graph run down (nothing commits, but no denial is journaled or shown either), and
turning tracing on changes an allowed call into a crash.

Fixed: `_chain._writable` also writes the evidence as it is, so evidence keyed by what JSON cannot key is
rewritten by its repr like other evidence JSON cannot hold (journaled, traced and told).
"""

from __future__ import annotations

import datetime

import pytest
from conftest import Bank, config
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from vfa import ALLOW, Agent, Allow, Deny, EffectJournal, Escalate, Repair, guard
from vfa.testing import ScriptedModel, capture_spans

KEYS = [(1, 2), datetime.date(2024, 1, 2), b"k"]


def _app(bank: Bank, verdict, journal=None):
    transfer, lookup = bank.tools()

    @guard
    def keyed(p, c):
        return verdict() if p.tool == "transfer" else ALLOW

    model = ScriptedModel([("transfer", {"to": "bob", "amount": 5}), "done"])
    return Agent(model, [transfer, lookup], [keyed], journal=journal or EffectJournal()).compile(
        checkpointer=InMemorySaver())


@pytest.mark.parametrize("key", KEYS, ids=["tuple", "date", "bytes"])
@pytest.mark.parametrize("kind", [Deny, Repair])
def test_a_denial_with_such_evidence_denies_and_is_journaled(key, kind):
    bank, journal = Bank(), EffectJournal()
    extra = {"hint": "split it"} if kind is Repair else {}
    app = _app(bank, lambda: kind(reason="over the per-account limit", evidence={"by": {key: 5}}, **extra), journal)
    out = app.invoke({"messages": [("user", "pay")]}, config())
    assert bank.sent == []
    assert "over the per-account limit" in out["messages"][2].content
    assert [e.kind for e in journal.entries("t1", call_id="call_0_0")][-1] == "denied"


@pytest.mark.parametrize("key", KEYS, ids=["tuple", "date", "bytes"])
def test_a_traced_allow_with_such_evidence_commits(key):
    bank = Bank()
    app = _app(bank, lambda: Allow(evidence={"by": {key: 5}}))
    with capture_spans() as spans:
        app.invoke({"messages": [("user", "pay")]}, config())
        finished = spans.get_finished_spans()
    assert bank.sent == [("bob", 5)]
    (decided,) = [s for s in finished if s.name == "run_guardrail keyed" and s.attributes["gen_ai.tool.name"] == "transfer"]
    assert "vfa.evidence" in decided.attributes


def test_a_traced_question_with_such_evidence_asks_and_commits_once_approved():
    bank = Bank()
    app = _app(bank, lambda: Escalate(question="pay bob?", evidence={"by": {(1, 2): 5}}))
    with capture_spans():
        out = app.invoke({"messages": [("user", "pay")]}, config())
        assert out["__interrupt__"]
        app.invoke(Command(resume={"type": "approve"}), config())
    assert bank.sent == [("bob", 5)]
