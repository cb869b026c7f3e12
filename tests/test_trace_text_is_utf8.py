"""What the trace is given as text can be sent by any exporter: valid UTF-8, and bounded where the model chose it.

What must hold: a guard's verdict whose reason or question holds a lone surrogate (a guard quoting an
argument that holds one) reaches the spans with it escaped, as the journal writes it (an OTLP exporter
encodes attributes as protobuf strings, which cannot hold one: a batch of spans would be lost); a call
whose id `GuardNode` refuses (megabytes of it, a lone surrogate) is traced by its repr, cut, as a tool
name is, not as written into every span. Before, `_chain._writable` checked the verdict's JSON, whose
ASCII escapes always encode, and the call id was traced before it was checked.
"""

from __future__ import annotations

import pytest
from _busy import thread_held
from conftest import Bank, config
from langchain_core.messages import AIMessage

from vfa import ALLOW, Agent, Deny, EffectJournal, Escalate, guard
from vfa.testing import ScriptedModel, capture_spans


def _texts(spans) -> list[str]:
    return [v for s in spans for v in (s.attributes or {}).values() if isinstance(v, str)]


@pytest.mark.parametrize("kind", ["deny", "escalate"])
def test_a_verdicts_lone_surrogate_is_escaped_in_the_trace(kind: str) -> None:
    bank = Bank()
    transfer, lookup = bank.tools()

    @guard
    def quoting(p, c):
        if p.tool != "transfer":
            return ALLOW
        return Deny(reason="refused: memo 'x\ud800'") if kind == "deny" else Escalate(question="pay 'x\ud800'?")

    app = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 5}), "done"]), [transfer, lookup], [quoting],
                journal=EffectJournal()).compile()
    with capture_spans() as spans:
        try:
            app.invoke({"messages": [("user", "pay")]}, config())
        except Exception:  # noqa: BLE001 - an escalation without a checkpointer: what was traced is what counts
            pass
        texts = _texts(spans.get_finished_spans())
    assert bank.sent == []
    assert any("x\\ud800" in t for t in texts), texts
    for text in texts:
        text.encode("utf-8")  # raises for a lone surrogate


@pytest.mark.parametrize("call_id", ["c" * 100_000, "c\ud800"], ids=["huge", "surrogate"])
def test_a_refused_call_id_is_traced_cut(call_id: str) -> None:
    bank = Bank()
    transfer, lookup = bank.tools()
    call = AIMessage("", tool_calls=[{"name": "transfer", "args": {"to": "bob", "amount": 5}, "id": call_id}])
    model = ScriptedModel([call, "done"])
    app = Agent(model, [transfer, lookup], journal=EffectJournal()).compile()
    with capture_spans() as spans:
        app.invoke({"messages": [("user", "pay")]}, config())
        texts = _texts(spans.get_finished_spans())
    assert bank.sent == []
    assert max(map(len, texts)) < 1000
    for text in texts:
        text.encode("utf-8")


@pytest.mark.parametrize("call_id", ["c" * 100_000, "c\ud800"], ids=["huge", "surrogate"])
def test_a_busy_refusal_journals_a_bad_id_as_a_refused_id_is(call_id: str, tmp_path) -> None:
    # a call refused for a busy thread is journaled before its id is checked: under an id of vfa's, as
    # `_handle` journals a call whose id it refuses, answered to the model's own
    from vfa import EffectJournal
    from vfa._guard_node import GuardNode

    bank = Bank()
    transfer, lookup = bank.tools()
    journal = EffectJournal(tmp_path / "j.db")
    node = GuardNode([transfer, lookup], [], journal=journal)
    node.lock_wait_s = 0.1
    with thread_held(node, "t"):
        message = node.handle({"name": "transfer", "args": {"to": "bob", "amount": 5}, "id": call_id},
                              {"messages": []}, "t")
    assert bank.sent == [] and message.tool_call_id == call_id
    assert message.artifact["vfa"]["outcome"] == "denied", message.content
    ids = {e.call_id for e in journal.entries("t")}
    assert ids and all(i.startswith("vfa-invalid-") for i in ids), ids
