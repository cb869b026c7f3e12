"""Red team 139: the privacy guard's whole violation, with a private field's value in clear, goes to the trace.

A sent mail's `bcc` is declared private (the model reads it as a handle only) and names who may read the
mail (`readers_from`). When the model publishes the mail's body, the privacy guard denies (or asks), and
the violation it keeps lists the readers: the bcc address in clear. docs/privacy.md ("Denials"): "The whole
violation stays in the journal (evidence keys beginning with "_" are kept there, never shown), in a
person's question and in the audit"; `_shown_evidence` says the "_" keys are "for the journal alone".
The trace is none of those places: its spans go to `.vfa/trace.jsonl` (created 0644, where the journal
is 0600 "as it keeps what tools returned") or to an OTLP collector run by someone else.

How it breaks: `_tracing.record_decisions` writes `vfa.evidence` as `json.dumps(verdict.evidence)`, the
evidence whole: a denial's `_violations` (readers and a message naming them) and, for a question, its
`violations` (the same readers). The secret bcc reaches a sink nobody declared.

Fix for a denial: the trace holds a verdict's evidence as the model reads it (no "_" keys). A question
is harder: its evidence is the person's (and the journal's approvals read its `violations`), so the
trace would need its own, reduced copy of it (see the report).

Fixed: the trace holds a verdict's evidence without the keys kept for the journal alone ("_"), and a
privacy question's `violations` leave out the readers (its message names none): the whole violations, for
the person and the journal, are its `_violations`; approvals read rule, origin and recipients, which both
keep.
"""

from __future__ import annotations

import json

from _turns import by_step
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, effect
from vfa.testing import ScriptedModel, capture_spans

ME = "me@home.example"
SECRET = "secret.lover@hidden.example"


@privacy_sink()
@privacy_source(private=["bcc", "body"], readers_from=["from", "bcc"], kind="email", key="id")
def read_sent_mail() -> list:
    """Mail I sent."""
    return [{"id": 7, "from": ME, "bcc": [SECRET], "body": "see you tonight"}]


@privacy_sink(disclose={"content": "*"})
@privacy_source()
@effect
def post(content: str) -> str:
    """Publish a text."""
    return "posted"


def _traced(on_violation: str):
    flow = PrivacyFlow(PrivacyPolicy.of(ME, on_violation=on_violation), secret=b"rt139-bcc")
    steps = [("read_sent_mail", {}), lambda t: ("post", {"content": json.loads(t[0].content)[0]["body"]})]
    app = Agent(ScriptedModel(rule=by_step(steps)), [read_sent_mail, post], guards=[flow.guard()], flow=flow).compile(
        checkpointer=InMemorySaver())
    with capture_spans() as spans:
        out = app.invoke({"messages": [HumanMessage("post what I wrote")]}, {"configurable": {"thread_id": "t"}})
        finished = spans.get_finished_spans()
    (privacy,) = [s for s in finished if s.name == "run_guardrail privacy" and s.attributes["gen_ai.tool.name"] == "post"]
    everything = json.dumps([(s.name, dict(s.attributes or {}), [dict(e.attributes or {}) for e in s.events],
                              s.status.description) for s in finished], default=str)
    return out, privacy, everything


def test_a_denials_trace_holds_no_private_reader():
    out, privacy, everything = _traced("deny")
    assert privacy.attributes["vfa.verdict"] == "deny"
    assert "not every recipient may read" in privacy.attributes["vfa.reason"]
    assert json.loads(privacy.attributes["vfa.evidence"])["violations"]  # the rule, argument, sink and origin kinds
    assert SECRET not in everything


def test_a_questions_trace_holds_no_private_reader():
    out, privacy, everything = _traced("ask")
    assert out["__interrupt__"] and privacy.attributes["vfa.verdict"] == "escalate"
    assert SECRET not in everything
