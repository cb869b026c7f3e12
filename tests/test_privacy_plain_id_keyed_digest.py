"""A plain call's id, traced on its spans, is no unkeyed digest of the values behind handles.

What must hold (docs/privacy.md, "Logs"): "the OTel spans ... show handles only"; a handle's id is an HMAC under a
secret the model never sees, so a span reader cannot tell from it what the handle stands for.

How it breaks: a tool the model calls with a handle receives the value behind it (the PIN, not
`«pin:...»`), and calls another gated tool with it, as plain arguments (`gated.invoke({"pin": pin})`, the way
docs/privacy.md's "Guard an app you already have" and `guard_tool` document for code of the app's own). That plain
call is given the id `vfa-{task}-{sha256(json([tool, args]))[:16]}-{n}` (`graphs._gate._plain_id`), and the
id is traced as `gen_ai.tool.call.id` on its `execute_tool` and `run_guardrail` spans. The digest is keyed by
nothing: whoever reads the trace hashes the 10,000 four-digit PINs (or the 10^9 SSNs, a date of birth...)
and finds the one that gives the traced id. Here the test recovers the PIN from the spans in 10,000 hashes.

Expected: the traced id of a call under a privacy flow is no digest of the private values it was given
that anyone without the flow's secret can compute.

Fixed: under a flow a plain call's arguments are digested under the flow's secret (`PrivacyFlow.call_digest`,
`graphs._gate._plain_id`), as its handles are.

Fixed: under a flow, a plain call's id digests its arguments under the flow's secret
(PrivacyFlow.call_digest).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from _tool_loop import model_node, tool_loop
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import ToolNode

import graphs
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa.testing import ScriptedModel, capture_spans

ME = "me@home.example"
PIN = "4821"


def _app() -> Any:
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"plain-id-secret")
    gate = graphs.ToolGate([flow.guard()], flow=flow, read_only=["get_card", "check_pin", "unlock"])

    @tool
    @privacy_sink()
    @privacy_source(private=["pin"], kind="card")
    def get_card() -> dict:
        """The user's card."""
        return {"holder": "Emma", "pin": PIN}

    @tool
    @privacy_sink(internal=["pin"])
    @privacy_source(private=["result"], kind="card")
    def check_pin(pin: str) -> str:
        """Check a PIN with the bank."""
        return "ok"

    checked = graphs.guard_tool(check_pin, gate=gate)

    @tool
    @privacy_sink(internal=["pin"])
    @privacy_source(private=["result"], kind="card")
    def unlock(pin: str) -> str:
        """Unlock the card, once its PIN is checked."""
        checked.invoke({"pin": pin})  # the value behind the handle, as plain arguments
        return "unlocked"

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        if turn == 0:
            return ("get_card", {})
        if turn == 1:
            card = next(m for m in messages if isinstance(m, ToolMessage) and m.name == "get_card")
            return ("unlock", {"pin": json.loads(card.content)["pin"]})
        return "done"

    graph = tool_loop(model_node(ScriptedModel(rule=rule)), ToolNode([get_card, unlock]))
    return graphs.guard_graph(graph, gate=gate, checkpointer=InMemorySaver())


def _digests(pin: str) -> set[str]:
    """What an unkeyed digest of the call `check_pin(pin=...)` could be, as the id writes it and near it."""
    texts = [json.dumps(["check_pin", {"pin": pin}], sort_keys=True), json.dumps(["check_pin", {"pin": pin}]),
             json.dumps(["check_pin", {"pin": pin}], separators=(",", ":")), "check_pin\0" + json.dumps({"pin": pin}),
             "check_pin\0" + json.dumps({"pin": pin}, separators=(",", ":"))]
    return {hashlib.sha256(t.encode()).hexdigest()[:16] for t in texts}


def test_a_plain_calls_traced_id_does_not_give_away_the_private_value_it_was_given() -> None:
    app = _app()
    with capture_spans() as spans:
        out = app.invoke({"messages": [("user", "unlock my card")]}, {"configurable": {"thread_id": "t"}})
    assert "«pin:" in out["messages"][2].content and PIN not in str(out["messages"])  # the model held a handle
    finished = spans.get_finished_spans()
    traced = json.dumps([dict(s.attributes or {}) for s in finished], default=str)
    assert any(s.name == "execute_tool check_pin" for s in finished)  # the plain call ran, and was traced
    assert PIN not in traced
    recovered = [f"{n:04d}" for n in range(10_000) if any(d in traced for d in _digests(f"{n:04d}"))]
    assert not recovered, f"the PIN {recovered} is recovered from the spans by hashing every four-digit PIN"


def test_under_one_fixed_secret_a_plain_calls_id_is_the_same_in_every_flow() -> None:
    """Control: a task resumed in another process (a flow made anew with the same `secret`) finds its plain calls
    under the ids they had, so the journal answers them; a flow of another secret gives other ids."""
    from graphs._gate import _TASK_ID, _plain_id

    # the digest alone (the id's place among the task's calls of it, `-n`, counts each call here)
    ids = [_plain_id("check_pin", {"pin": PIN}, {"configurable": {_TASK_ID: "task-1"}},
                     PrivacyFlow(PrivacyPolicy.of(ME), secret=secret)).rsplit("-", 1)[0]
           for secret in (b"one", b"one", b"two")]
    assert ids[0] == ids[1] != ids[2]
    assert all(d not in "".join(ids) for d in _digests(PIN))
