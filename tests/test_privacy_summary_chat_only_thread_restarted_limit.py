"""A thread guarded from its start is not blinded by its own summary after a restart (failing test, not fixed).

Scenario: a `create_agent` app with `SummarizationMiddleware` and `GuardMiddleware`, a journal file and a
durable checkpointer. On thread "a" the user chats (no tool call, so the journal holds nothing of the
thread); the process restarts (a new flow, gate and agent on the same journal file and checkpointer); on
the next turn the summariser folds the chat and the user asks, after the summary, "Mail bob at
bob@x.example: lunch is at noon."; the model mails bob "Lunch is at noon.".

Without the restart the mail goes. After it, the new flow has no scan of the thread and the journal holds
nothing of it, so `_label` takes the thread for one "first seen already compacted": the summary is journaled
unobserved and the mail the user asked for is denied. The same happens on a second replica serving the
thread's next turn. A thread that made a tool call before is not blinded (the journal holds it): only
conversations that chatted before their first call are.

Why it matters: docs/privacy.md's "Restarts, replicas and threads" promises a thread goes on after a restart as it
would have, and limits this blinding to "an app guarded after the fact, a summary carried into a new
thread"; a restart is neither.

Expected: the mail goes. (Not fixed here: nothing on record tells this thread from a seeded one; the flow
would have to journal that it read a thread before any summary, or docs/privacy.md must state the over-denial.)

A stated limit (docs/privacy.md, "already holding one"): a strict xfail.
"""

from __future__ import annotations

import pytest

from pathlib import Path
from typing import Any

from langchain.agents import create_agent
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from graphs import GuardMiddleware
from guards import PrivacyFlow, PrivacyPolicy
from tests._lunch_chat import MAILED, chat_then_mail, lunch_model, summariser
from tests._web_mail import ME, mail_to
from vfa import EffectJournal
from vfa.testing import ScriptedModel

def _app(saver: Any, path: Path, sent: list[Any]) -> Any:
    """The app as one process builds it: a new flow over the same journal file and checkpointer."""
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"summary-restart")
    return create_agent(ScriptedModel(rule=lunch_model), [mail_to(sent)],
                        middleware=[summariser(), GuardMiddleware([flow.guard()], flow=flow, journal=EffectJournal(path))],
                        checkpointer=saver)


@pytest.mark.xfail(strict=True, reason="stated limit: a restarted flow holds nothing of a chat-only thread")
def test_a_chat_only_thread_restarted_is_not_blinded_by_its_own_summary(tmp_path: Path) -> None:
    sent: list[Any] = []
    saver, path = InMemorySaver(), tmp_path / "journal.db"
    apps = [_app(saver, path, sent)]  # the first process; the last turn runs in a new one
    chat_then_mail(lambda text, cfg: apps[-1].invoke({"messages": [HumanMessage(text)]}, cfg),
                   between=lambda: apps.append(_app(saver, path, sent)))
    assert sent == MAILED, "the thread's own summary blinded it after the restart"
