"""Red team 134: the audit's merge of a call checked again (`"again": true`) drops a recipient's violation.

Guarantee: the audit reports the same violations as the live guard. docs/privacy.md ("Audit"): a call checked again
where its task resumed once a person answered is checked after what came meanwhile, and "a violation found
again so is reported once, as found the last time".

How it breaks: `audit_trace` matches each violation of the check again to the first earlier one of the same
(rule, argument) and overwrites it (guards/_audit.py). One check may find several violations of one rule
and argument: a value cut across calls is reported once per recipient who received a piece before
(`_across_calls`, same arg "body+to", recipients (bob,) and (carol,)). Bob and Carol each got
"part one 4417-2093" of a locker code; the call `send(to=[bob, carol], body="part two -8861")` is denied
for both. Given again (as `trace_from_journal` gives a call checked again on resume), both of its
violations overwrite the first: the audit reports Carol twice and never Bob, a disclosure the live guard
found and the audit misses.

Fixed: a violation found again replaces only an earlier one of the same rule, argument and sink whose
recipients it holds, once; any other is added.
"""

from __future__ import annotations

from _split_agent import BOB, NOTE, USER, note_tools

from guards import PrivacyPolicy, audit_trace

CAROL = "carol@cpa.example"


def _trace(again: bool) -> list[dict]:
    trace = [{"type": "user", "content": "Read my note."},
             {"type": "call", "id": "c0", "tool": "read_note", "args": {"path": "n"}},
             {"type": "result", "id": "c0", "tool": "read_note", "result": {"path": "n", "content": NOTE}},
             {"type": "call", "id": "c1", "tool": "send", "args": {"to": [BOB], "body": "part one 4417-2093"}},
             {"type": "result", "id": "c1", "tool": "send", "result": "sent"},
             {"type": "call", "id": "c2", "tool": "send", "args": {"to": [CAROL], "body": "part one 4417-2093"}},
             {"type": "result", "id": "c2", "tool": "send", "result": "sent"},
             {"type": "call", "id": "c3", "tool": "send", "args": {"to": [BOB, CAROL], "body": "part two -8861"}}]
    if again:  # checked again as it was, its task resumed once a person answered
        trace.append({**trace[-1], "again": True})
    return trace + [{"type": "result", "id": "c3", "tool": "send", "result": "sent"}]


def _found(trace: list[dict]) -> list[tuple]:
    return sorted((v.call_id, v.rule, v.arg, v.recipients) for v in audit_trace(trace, note_tools([]), PrivacyPolicy.of(USER)))


def test_a_call_checked_again_keeps_each_recipients_violation() -> None:
    once = _found(_trace(again=False))
    assert once == [("c3", "confidentiality", "body+to", (BOB,)), ("c3", "confidentiality", "body+to", (CAROL,))]
    assert _found(_trace(again=True)) == once
