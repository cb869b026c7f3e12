"""A private `Decimal` or date the model holds only as a handle is kept in clear in the conversation.

A tool returning a value JSON cannot carry has it recorded by its repr, and the result's message lists
each repr with its text in `artifact["vfa"]["reprs"]` (for an audit of the messages). The guard node
listed every repr, also those of private fields it showed the model as handles: `get_invoice()` returning
`{"amount": Decimal("4817.25"), "born": date(1961, 3, 17)}` (both private) shows the model two handles,
yet its message's artifact holds `{"Decimal('4817.25')": "4817.25", "datetime.date(1961, 3, 17)":
"1961-03-17"}`, saved in every checkpoint and handed to whatever reads the state (a UI, a log, an
exported conversation). The docs/privacy.md says "a conversation holds handles, never the values behind them";
the repr of a value the content does not show is of no use to the audit of the messages either (no
string of the content is that repr), so the message should list only reprs its content shows.

Fixed: a result's message lists only the reprs its content shows, as written or JSON-escaped.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from guards import PrivacyFlow, PrivacyPolicy, audit_trace, privacy_sink, privacy_source, trace_from_messages
from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel

ME = "me@home.example"


@privacy_sink()
@privacy_source(private=["amount", "born"], kind="invoice")
def get_invoice() -> dict:
    """The open invoice."""
    return {"payee": "Landlord Ltd", "amount": Decimal("4817.25"), "born": datetime.date(1961, 3, 17),
            "due": datetime.date(2026, 12, 1)}


def _messages() -> list:
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"rt138")
    app = Agent(ScriptedModel([("get_invoice", {}), "done"]), [get_invoice], guards=[flow.guard()], flow=flow,
                journal=EffectJournal()).compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [HumanMessage("show me the invoice")]}, {"configurable": {"thread_id": "t"}})
    return out["messages"]


def test_the_conversation_holds_no_handled_value_in_clear():
    messages = _messages()
    result = next(m for m in messages if getattr(m, "name", None) == "get_invoice")
    assert "4817" not in result.content and "1961" not in result.content, result.content  # shown as handles
    saved = json.dumps([m.model_dump() for m in messages], default=repr, ensure_ascii=False)
    assert "4817" not in saved, result.artifact
    assert "1961" not in saved, result.artifact
    # a repr the content shows (the due date, not private) is still listed for the audit of the messages
    assert "2026, 12, 1" in result.content and "datetime.date(2026, 12, 1)" in result.artifact["vfa"]["reprs"]


def test_the_messages_audit_reads_the_result_as_before():
    messages = _messages()
    trace = trace_from_messages(messages)
    result = next(e for e in trace if e["type"] == "result")
    assert result["reprs"] == {"datetime.date(2026, 12, 1)": "2026-12-01"}, result
    assert audit_trace(trace, [get_invoice], PrivacyPolicy.of(ME)) == []
