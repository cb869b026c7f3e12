"""The audit of a conversation's messages reports violations the live guard never saw on a thread compacted
by its own summariser.

Scenario (`tests/_lunch_chat.py`): a `create_agent` app with LangChain's `SummarizationMiddleware` and
`GuardMiddleware`, guarded from its first message. The user chats about lunch, the summariser folds the
chat into its summary (keeping the last message), and the user then asks "Mail bob at bob@x.example: lunch
is at noon."; the mail goes, as it must (the flow watched the whole chat). `trace_from_journal` agrees:
no violation.

`trace_from_messages` over the thread's messages (summary, the user's request, the call, its result, the
answer) counts the summary, which comes before the first model turn left in the state, as a conversation
no gate labelled (unobserved): `audit_trace` reports three violations (confidentiality of body and to,
integrity of to) for the mail the live guard let through and the user asked for. Every ordinary
compacted conversation audited from its state looks like this, since the summariser puts its summary
first.

Why it matters: the audit must report the same violations as the live guard; here it reports a breach
where none happened. The docs/privacy.md states the opposite case (a flow that first reads a thread after its own
summariser ran, a false denial live) but not that the messages' audit of a thread compacted under the
guard reports one.

Expected: the messages' audit reports what the journal's audit reports (nothing). Note: from the messages
alone this conversation cannot be told from one seeded with a summary (the shape of
`test_audit_messages_seeded_summary_limit`, where the live guard denies), so the remedy is
likely a stated limit in docs/privacy.md (with this test a strict xfail) rather than a code change.

Fixed: `trace_from_messages` reads a summary as neither the user's words nor a result (the rule that
counted one before the first model turn as unobserved was withdrawn; see the seeded-summary limit).
"""

from __future__ import annotations

from typing import Any

from langchain.agents import create_agent
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from graphs import GuardMiddleware
from guards import PrivacyFlow, PrivacyPolicy, audit_trace, trace_from_journal, trace_from_messages
from tests._lunch_chat import MAILED, chat_then_mail, lunch_model, summariser
from tests._web_mail import ME, mail_to
from vfa.testing import ScriptedModel


def test_the_messages_audit_of_a_thread_compacted_under_the_guard_agrees_with_live() -> None:
    sent: list[Any] = []
    tools = [mail_to(sent)]
    policy = PrivacyPolicy.of(ME)
    flow = PrivacyFlow(policy, secret=b"review-own-summary-audit")
    mw = GuardMiddleware([flow.guard()], flow=flow)
    app = create_agent(ScriptedModel(rule=lunch_model), tools, middleware=[summariser(), mw],
                       checkpointer=InMemorySaver())
    messages = chat_then_mail(lambda text, cfg: app.invoke({"messages": [HumanMessage(text)]}, cfg))
    assert sent == MAILED  # live: the mail the user asked for went
    live = sorted((v.call_id, v.rule, v.arg) for v in audit_trace(
        trace_from_journal(mw.journal, "a", messages=messages), tools, policy, thread_id="a"))
    assert live == []
    from_messages = sorted((v.call_id, v.rule, v.arg) for v in audit_trace(
        trace_from_messages(messages), tools, policy, thread_id="a"))
    assert from_messages == live, "the messages' audit reports a breach the live guard never saw"
