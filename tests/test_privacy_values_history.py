"""Red team 76: a guard reading the thread's history compares the value of a handle with the handle's text.

Since red team 75, every guard but the privacy guard is given the proposal with its handles resolved
(`GuardNode._values` -> `PrivacyFlow.values`), while `GuardContext.history` (`EffectJournal.committed`)
still holds each committed call's arguments as journaled: with handles. A guard that compares the
call with what the thread already did (the documented pattern of `test_guards_see_the_threads_committed_history`:
"pay `to` once") now compares `"DE89..."` with `"«iban:…»"`: never equal, so the same account is paid twice.
Before the change both sides were the handle and the second payment was denied.

Breaks: "Other guards judge values ... a precondition must hold for the account that is paid" (docs/privacy.md) and
the kernel's "verified, only then committed": the guard's judgement is false for the arguments the effect
runs with. Cause: `GuardNode.verify` resolves `proposal.args` but builds `GuardContext(load_history=
journal.committed)` over the journaled (handle) arguments; the fix is to hand value-judging guards a
history resolved with the same thread's handles (or to judge both sides in one form).
"""

from __future__ import annotations

from typing import Any

from _landlord import IBAN, landlord_agent, payment
from langchain_core.messages import HumanMessage, ToolMessage

from vfa import ALLOW, Deny, FunctionGuard


def test_a_guard_over_the_history_sees_the_same_account_paid_twice():
    paid: list[Any] = []

    @payment
    def pay(iban: str, amount: int) -> str:
        """Pay an account."""
        paid.append(iban)
        return "paid"

    def once(p: Any, c: Any) -> Any:  # the documented "pay an account once" guard
        if p.tool == "pay" and any(r.tool == "pay" and r.args["iban"] == p.args["iban"] for r in c.history):
            return Deny(reason="this account was already paid on this thread")
        return ALLOW

    # the model pays the same contact twice, by the handle it was shown
    app = landlord_agent(pay, 10, 10, secret=b"rt76", guards=[FunctionGuard(once, name="once")])
    out = app.invoke({"messages": [HumanMessage("pay the landlord 10, once")]}, {"configurable": {"thread_id": "t"}})
    outcomes = [m.artifact["vfa"]["outcome"] for m in out["messages"] if isinstance(m, ToolMessage) and m.name == "pay"]
    assert paid == [IBAN], f"the 'pay once' guard let the same account be paid {len(paid)} times (outcomes {outcomes})"
