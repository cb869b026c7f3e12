"""What the approval tests share: an agent over the benchmark world whose privacy guard asks a person,
under the world's grants, a model mailing the user's address, and the run that asks whether an approval
for Bob covers a second mail."""

from __future__ import annotations

import json
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from benchmarks.privacy.world import BOB, POLICY, USER, World
from guards import APPROVE_FOR_RECIPIENT, PrivacyFlow, PrivacyPolicy
from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel


def approving_agent(model: Any, tools: list[Any], journal: Any, *, before: Any = (), after: Any = (),
                    **policy: Any) -> Any:
    """The checkpointed agent: `before`, the privacy guard (asking a person, with the world's grants and
    `policy`), then `after`; each call journaled in `journal`."""
    flow = PrivacyFlow(PrivacyPolicy.of(USER, grants=POLICY.grants, on_violation="ask", **policy), secret=b"x",
                       journal=journal)
    return Agent(model, tools, guards=[*before, flow.guard(), *after], flow=flow,
                 journal=journal).compile(checkpointer=InMemorySaver())


def mail_address(to: str, times: int = 1) -> Any:
    """A scripted-model rule: read the user's profile, then mail its address to `to` in `times` turns (a new
    call each), then stop."""

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        if turn == 0:
            return ("get_profile", {})
        if turn <= times:
            shown = json.loads(next(m.content for m in messages if isinstance(m, ToolMessage)))
            return ("send_email", {"to": [to], "subject": "addr", "body": "addr: " + shown["address"]})
        return "done"

    return rule


def asked_again(list_accounts: Any, first_body: str, second_body: str, **policy: Any) -> tuple[bool, World]:
    """Bob is sent `first_body` after `list_accounts` is read, a person approves for Bob, then `second_body`
    goes to Bob: whether the person is asked again, and the world."""
    w = World("")
    steps = [("list_accounts", {}), ("list_contacts", {}),
             ("send_email", {"to": [BOB], "subject": "acct", "body": first_body}),
             ("send_email", {"to": [BOB], "subject": "acct", "body": second_body})]
    app = approving_agent(ScriptedModel(steps), [*w.tools(), list_accounts], EffectJournal(), **policy)
    cfg = {"configurable": {"thread_id": "d"}}
    assert "__interrupt__" in app.invoke({"messages": [HumanMessage("Mail Bob account a.")]}, cfg)
    out = app.invoke(Command(resume=APPROVE_FOR_RECIPIENT), cfg)
    return "__interrupt__" in out, w
