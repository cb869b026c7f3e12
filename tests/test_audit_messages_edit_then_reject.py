"""Red team 129: a person edits a call, the guard asks about the edit again, the person rejects it: the
audit of the messages never checks the edit, so it reports one question where the live guard asked two.

docs/privacy.md ("The audit"): `trace_from_messages` checks "a person's edit, which the message records as `args`
(and every round a guard checked, when a person edited more than once, as `edits`), checked as edited
too", and the audit reports what the live guard denied or asked. `GuardNode._handle` ends a call whose
person's answers hold a rejection before `_decide` (which records the edits in the message) runs: the
rejection's tool message carries no `args`, so `trace_from_messages` has the model's call only. Here,
under the strict context, the model sends Eve a list after reading the locker code in clear; the person
edits the list (still several items: what was read rides on it), is asked again, and rejects. The live
guard asked twice; `trace_from_journal` reports both; `trace_from_messages` one. The same happens in the
default mode, with the edit still holding the code. An audit of the conversation alone misses a flow the
guard put to a person.

Expected: a rejected call's message records the edits a guard checked (`args`, `edits`), as a committed
or denied one does, so both audits report what the live guard asked.

Fixed: a rejection records the edits a guard checked before it (`_with_edits`), first answered or replayed.
"""

from __future__ import annotations

import pytest
from _strict_parity import EVE, run


def _editor(args: dict) -> object:
    answers = iter([lambda q: {"type": "edit", "args": {**q["args"], **args}}])
    return lambda q: next(answers, lambda q: {"type": "reject"})(q)


CASES = {
    "strict_list": ("private", lambda tms: ("send_list", {"to": [EVE], "items": ["", " ", " "]}),
                    {"items": ["bring chairs", "and a table"]}),
    "default_private_value": ("untrusted", lambda tms: ("send", {"to": [EVE], "body": "code 4417-2093-8861"}),
                              {"body": "the locker code is 4417-2093-8861"}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_edit_asked_about_again_then_rejected_is_reported_by_both_audits(case: str) -> None:
    mode, call, edit = CASES[case]
    r = run(call, mode=mode, ask=True, answer=_editor(edit))
    assert r["sent"] == []
    assert len(r["live"]) == 2, r["live"]  # the model's call, and the person's edit, each asked about
    assert r["by_journal"] == r["live"]
    assert r["by_messages"] == r["live"], "the audit of the messages never checked the person's edit"


@pytest.mark.parametrize("then", ["approve", "reject"])
def test_answered_across_restarts_from_sqlite_files(then: str, tmp_path) -> None:
    """Each answer given by a new process (a new journal, checkpointer and flow on the same files)."""
    import sqlite3
    from contextlib import closing

    from _strict_parity import SAID, SECRET, USER, _verdicts, found, steps, tools
    from _turns import by_step
    from langchain_core.messages import HumanMessage
    from langgraph.checkpoint.sqlite import SqliteSaver
    from langgraph.types import Command

    from guards import PrivacyFlow, PrivacyPolicy, audit_trace, trace_from_journal, trace_from_messages
    from vfa import Agent, EffectJournal
    from vfa.testing import ScriptedModel

    policy = PrivacyPolicy.of(USER, context_taint="private", on_violation="ask")
    cfg = {"configurable": {"thread_id": "t"}}
    script = steps(lambda t: ("send_list", {"to": [EVE], "items": ["", " ", " "]}))
    sent: list = []

    def process(first):
        journal = EffectJournal(tmp_path / "j.db")
        with closing(sqlite3.connect(tmp_path / "c.db", check_same_thread=False)) as conn:
            flow = PrivacyFlow(policy, secret=SECRET, journal=journal)
            app = Agent(ScriptedModel(rule=by_step(script)), tools(sent), guards=[flow.guard()], flow=flow,
                        journal=journal).compile(checkpointer=SqliteSaver(conn))
            return app.invoke(first, cfg), journal

    out, journal = process({"messages": [HumanMessage(f"Tell {EVE}: {SAID}")]})
    for answer in (lambda q: {"type": "edit", "args": {**q["args"], "items": ["bring chairs", "and a table"]}},
                   lambda q: {"type": then}):
        journal.close()
        q = out["__interrupt__"][0]
        out, journal = process(Command(resume={q.id: answer(q.value)}))
    live, ts = _verdicts(journal), tools([])
    assert len(live) == 2 and bool(sent) == (then == "approve")
    assert found(audit_trace(trace_from_journal(journal, "t", messages=out["messages"]), ts,
                             flow=PrivacyFlow(policy, secret=SECRET), thread_id="t")) == live
    assert found(audit_trace(trace_from_messages(out["messages"]), ts, flow=PrivacyFlow(policy, secret=SECRET),
                             thread_id="t")) == live
    journal.close()
