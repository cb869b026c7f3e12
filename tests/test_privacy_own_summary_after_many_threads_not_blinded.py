"""A thread guarded from its start is not blinded by its own summariser because 64 other threads ran meanwhile.

Scenario: a `create_agent` app with LangChain's `SummarizationMiddleware` and `GuardMiddleware`. On thread
"a", the user chats with the model (no tool call yet); the summariser then folds the chat into its summary
and the user asks, in the message after it, "Mail bob at bob@x.example: lunch is at noon."; the model mails
bob "Lunch is at noon." (its own words, to the address the user typed).

Alone, the mail goes: the flow read the thread from its first model call, so the summary stands for a
conversation it watched. When 64 other conversations were served by the same flow between two turns of
"a" (any busy service), the flow's per-thread message scans (`_scans`, the 64 most recently begun threads)
no longer hold "a", and `PrivacyFlow._label` takes "no scan of the thread before" for "a thread first
seen already compacted": the summary is journaled unobserved, every later argument is labelled private to
the user and untrusted, and the mail the user asked for is denied.

Why it matters: docs/privacy.md limits the blinding to "a thread the flow first sees already holding one (an app
guarded after the fact, a summary carried into a new thread)"; a thread guarded from its start must not be
blinded by its own summariser, and whether it is must not depend on how many other users were served.

Expected: the mail goes with or without the 64 other conversations.

Fixed: the threads whose messages the flow read are kept up to `max_threads` (`PrivacyFlow._watched`),
not only the 64 whose scans it keeps.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from graphs import GuardMiddleware
from guards import PrivacyFlow, PrivacyPolicy
from tests._lunch_chat import MAILED, chat_then_mail, lunch_model, summariser
from tests._web_mail import ME, mail_to
from vfa.testing import ScriptedModel

@pytest.mark.parametrize("others", [0, 64], ids=["alone", "after-64-other-threads"])
def test_a_thread_guarded_from_its_start_is_not_blinded_by_its_own_summary(others: int) -> None:
    sent: list[Any] = []
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"summary-evicted")
    app = create_agent(ScriptedModel(rule=lunch_model), [mail_to(sent)],
                       middleware=[summariser(), GuardMiddleware([flow.guard()], flow=flow)], checkpointer=InMemorySaver())

    def others_chat() -> None:  # other users' conversations, served by the same flow
        for i in range(others):
            app.invoke({"messages": [HumanMessage("Hi.")]}, {"configurable": {"thread_id": f"other-{i}"}})

    chat_then_mail(lambda text, cfg: app.invoke({"messages": [HumanMessage(text)]}, cfg), between=others_chat)
    assert sent == MAILED, "the thread's own summary blinded it"
