"""An approval "for this recipient" covers nothing once the person edits the call it answered.

Fixed: `PrivacyGuard._approved` counted every approval whose call ran, whatever ran: a person who
approved disclosing to dana and then, at a later question of the same call, edited it to go to bob,
left dana approved for later calls that nobody asked about. An edit after an approval now voids it,
as a reject did.
"""

from __future__ import annotations

from _approvals import approving_agent, mail_address
from langchain_core.messages import HumanMessage
from langgraph.types import Command

from benchmarks.privacy.world import BOB, DANA, World
from guards import APPROVE_FOR_RECIPIENT, APPROVE_ONCE
from vfa import ALLOW, EffectJournal, Escalate, guard
from vfa.testing import ScriptedModel


@guard
def confirm(proposal, context):
    return Escalate(question=f"send this mail to {proposal.args.get('to')}?") if proposal.tool == "send_email" else ALLOW


def test_an_approval_for_a_recipient_edited_out_of_the_call_covers_nothing_later() -> None:
    w = World("")
    journal = EffectJournal()
    # the address to dana, proposed twice (new call ids)
    app = approving_agent(ScriptedModel(rule=mail_address(DANA, times=2)), w.tools(), journal, after=[confirm])
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [HumanMessage("send my address")]}, cfg)
    q = out["__interrupt__"][0]
    assert q.value["guard"] == "privacy" and DANA in q.value["question"]
    out = app.invoke(Command(resume={q.id: APPROVE_FOR_RECIPIENT}), cfg)
    q = out["__interrupt__"][0]
    assert q.value["guard"] == "confirm"
    # the person changes their mind: not dana, bob
    out = app.invoke(Command(resume={q.id: {"type": "edit", "args": {**q.value["args"], "to": [BOB]}}}), cfg)
    q = out["__interrupt__"][0]
    assert q.value["guard"] == "confirm" and q.value["args"]["to"] == [BOB]
    out = app.invoke(Command(resume={q.id: APPROVE_ONCE}), cfg)
    assert [m["to"] for m in w.sent] == [[BOB]]  # nothing went to dana
    # the model proposes the address to dana again
    q = out["__interrupt__"][0]
    assert q.value["guard"] == "privacy", (
        f"the second mail of the address to {DANA} was not asked about by the privacy guard (asked: "
        f"{q.value['guard']!r}): the approval for dana given before the person edited the first call to bob "
        "still covers it, though nothing was ever disclosed to dana")
