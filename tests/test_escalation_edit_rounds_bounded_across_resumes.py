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
