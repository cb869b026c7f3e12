"""A person who checks a call a confirmation guard puts to them: fixes its memo, answering with the
arguments the question showed, then approves the confirmation and rejects any privacy question."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from guards import PrivacyFlow, PrivacyPolicy
from vfa import Agent, EffectJournal


def memo_fixed(model: Any, tools: list[Any], confirm: Any, user: str, *, edit: bool = True,
               shown: Callable[[dict[str, Any]], None] | None = None) -> list[str]:
    """Run the agent (the confirmation guard before the privacy guard, which asks) until it is done; the
    guards that asked, in order. `edit=False` approves the first question as it is; `shown` is given it."""
    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(user, on_violation="ask"), secret=b"e", journal=journal)
    app = Agent(model, tools, guards=[confirm, flow.guard()], flow=flow,
                journal=journal).compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [HumanMessage("Deal with my latest mail.")]}, cfg)
    q = out["__interrupt__"][0]
    first = q.value["guard"]
    asked = [first]
    if shown is not None:
        shown(q.value)
    answer = {"type": "edit", "args": {**q.value["args"], "memo": "invoice (checked)"}} if edit else {"type": "approve"}
    out = app.invoke(Command(resume={q.id: answer}), cfg)
    while out.get("__interrupt__"):
        q = out["__interrupt__"][0]
        asked.append(q.value["guard"])
        answer = {"type": "approve"} if q.value["guard"] == first else {"type": "reject"}
        out = app.invoke(Command(resume={q.id: answer}), cfg)
    return asked
