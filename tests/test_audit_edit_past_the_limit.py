"""Both audits check an edit the live guard never checked, the one past `max_edit_rounds`.

Fault. After `max_edit_rounds` edits of one call the next edit ends it rejected ("not committed after 3
edits", `GuardNode._rounds`): the answer is journaled as `edited`, then the call's `rejected` entry, and no
guard checks those arguments. `trace_from_journal` and the tool message's `edits` (`_edit_rounds`) leave
out an edit the tool's schema refused (`refused_edit`), which also ends a call unchecked, but not this
one: the audit of the journal and the audit of the messages each report a flow (the SSN to mallory) for
arguments that never reached a guard, nor ran. The live guard and both audits disagree on what was
checked (docs/privacy.md promises an audit checks a call "as the live guard" did).

What must hold: with a person editing a call past the limit, each audit's findings are the live guard's.

Fixed: refused_edit counts an edit past max_edit_rounds as unchecked, so neither audit checks it.
"""

from __future__ import annotations

from typing import Any

from test_audit_edits_of_a_rejected_call import ATTACKER, _run


def _distinct_edits(k: int, ssn: str) -> dict[str, Any]:
    return {"type": "edit", "args": {"to": [ATTACKER], "subject": f"try {k}", "body": "SSN " + ssn}}


def test_an_edit_past_the_limit_is_audited_as_unchecked() -> None:
    live, by_journal, by_messages = _run(_distinct_edits, second=False)
    assert ("c2", "confidentiality", "body", (ATTACKER,)) in live
    assert by_journal == live, f"{len(by_journal)} findings in the journal's audit, {len(live)} live"
    assert by_messages == live, f"{len(by_messages)} findings in the messages' audit, {len(live)} live"


def test_a_replayed_call_edited_past_the_limit_is_audited_as_unchecked() -> None:
    live, by_journal, by_messages = _run(_distinct_edits, second=True)
    assert by_journal == live and by_messages == live
