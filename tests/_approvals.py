"""What the approval tests share: an agent over the benchmark world whose privacy guard asks a person,
under the world's grants, and the run that asks whether an approval for Bob covers a second mail."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import HumanMessage
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
