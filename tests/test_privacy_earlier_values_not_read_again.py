"""What a recipient received before is read again, whole, in every later call to them: an approved
value asks again on a repeat, and a mail carrying nothing private is asked about (red team 95; a
usability fault, no leak).

1. The model mails Bob the account 5550123478; the person approves for Bob
   (`APPROVE_FOR_RECIPIENT`). It mails Bob the note's locker code; the person approves once. It then
   mails Bob the account again, exactly as approved. `_values` now joins what Bob received before
   with the call's text, so the account's repeat "carries" the locker code (whole in the earlier
   mail) and the approval of the account no longer covers it: the person is asked again.
2. The model mails Bob the account; the person approves once. It then mails Bob "see you at noon".
   `_across_calls` reads the earlier mail and the new one joined (`content_label`), finds the
   account whole in the earlier text, and names a violation: every later mail to Bob is asked about.

Expected: a repeat of exactly the approved value to the approved recipient goes unasked (docs/privacy.md,
Approvals), and a mail with no private value in it, alone or joined with earlier pieces, goes
unasked. Observed: both are asked. Fault: guards/_privacy.py:PrivacyGuard._across_calls and
_values (values lying wholly inside an earlier text are counted as carried by the new call; only
values the join forms across the texts are new).

Fixed: only what forms across the join of earlier and new texts counts (`_privacy._formed_across`,
in `_across_calls` and `_values`): a value whole in an earlier text was judged when it was sent.
"""

from __future__ import annotations

from _split_agent import ACCOUNT, BOB, asking_agent, note_tools
from langchain_core.messages import HumanMessage
from langgraph.types import Command

from guards import APPROVE_FOR_RECIPIENT, APPROVE_ONCE


def _run(bodies: list[str], answers: list[dict]) -> tuple[bool, list[str]]:
    """Mails `bodies` to Bob, answering the questions with `answers` in turn: (asked at the end, bodies sent)."""
    sent: list[str] = []
    steps = [("read_note", {"path": "n"}, "c0"), ("list_accounts", {}, "c1"),
             *[("send", {"to": [BOB], "body": b}, f"m{i}") for i, b in enumerate(bodies)]]
    app, cfg = asking_agent(steps, note_tools(sent))
    out = app.invoke({"messages": [HumanMessage("Mail Bob.")]}, cfg)
    for answer in answers:
        assert "__interrupt__" in out
        out = app.invoke(Command(resume=answer), cfg)
    return "__interrupt__" in out, sent


def test_a_repeat_of_the_approved_account_goes_unasked_after_another_value_approved_once() -> None:
    asked, sent = _run([f"acct {ACCOUNT}", "code 4417-2093-8861", f"acct {ACCOUNT}"],
                       [APPROVE_FOR_RECIPIENT, APPROVE_ONCE])
    assert not asked and len(sent) == 3, f"asked again for the approved account; sent {sent}"


def test_control_a_repeat_right_after_the_approval_goes_unasked() -> None:
    asked, sent = _run([f"acct {ACCOUNT}", f"acct {ACCOUNT}"], [APPROVE_FOR_RECIPIENT])
    assert not asked and len(sent) == 2


def test_a_mail_with_nothing_private_after_an_approve_once_goes_unasked() -> None:
    asked, sent = _run([f"acct {ACCOUNT}", "see you at noon"], [APPROVE_ONCE])
    assert not asked and sent == [f"acct {ACCOUNT}", "see you at noon"], f"asked about a harmless mail; sent {sent}"
