"""A thread guarded from its start that chats about lunch for two turns, is compacted by LangChain's
summariser, and then mails bob as the user asks: whether its own summary blinds it."""

from __future__ import annotations

from typing import Any

from langchain.agents.middleware import SummarizationMiddleware
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

BOB = "bob@x.example"
ASK = f"Mail bob at {BOB}: lunch is at noon."
MAILED = [(BOB, "Lunch is at noon.")]


def lunch_model(ms: list[Any]) -> AIMessage:
    """Chats; mails bob when the user's last message asks for it."""
    last = ms[-1]
    if isinstance(last, ToolMessage):
        return AIMessage("Done.")
    if isinstance(last, HumanMessage) and "Mail bob" in str(last.content):
        return AIMessage("", tool_calls=[{"name": "send_email", "args": {"to": BOB, "body": "Lunch is at noon."},
                                          "id": "m1"}])
    return AIMessage("Sure.")


def summariser() -> SummarizationMiddleware:
    """Compacts the thread once it holds five messages, keeping the last."""
    from vfa.testing import ScriptedModel

    model = ScriptedModel(rule=lambda ms: AIMessage("The user and the assistant chatted about lunch."))
    return SummarizationMiddleware(model, trigger=("messages", 5), keep=("messages", 1))


def chat_then_mail(invoke: Any, between: Any = None) -> list[Any]:
    """Two turns of chat on thread "a" (`invoke(text, config)` for each turn), `between()` if given, then the
    user's request to mail bob; the last turn's messages, which must hold the summary."""
    cfg = {"configurable": {"thread_id": "a"}}
    invoke("Let's plan lunch.", cfg)
    invoke("Noon works.", cfg)
    if between is not None:
        between()
    out = invoke(ASK, cfg)
    assert any(getattr(m, "additional_kwargs", {}).get("lc_source") for m in out["messages"])  # compacted
    return out["messages"]
