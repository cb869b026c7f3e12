"""A task an async effect starts outlives its call, yet still counts as inside the call's thread lock.

What must hold (README: "calls of one thread are verified and committed one after another ... each guard
reads the world the last commit left, so two payments cannot both pass `amount <= state.balance` against
one balance"; the guard nodes of one journal share these locks): a call on a thread waits for the call
that holds the thread, whatever started it.

An async effect runs on the caller's event loop in a copy of the call's context, where `_HELD`
(`vfa/_guard_node.py`, `_OneAtATime.of`) says "this call holds the thread's lock": a call made from
inside the effect (an agent the tool awaits) is ordered by that call's own lock instead of waiting for
the thread's, which it would wait for for ever. `asyncio.create_task` copies the context too, so a task
the effect starts and leaves running (a follow-up scheduled for later) keeps that mark after the call
has ended and released the lock. A guarded call the task makes later on the same thread takes the old
call's inner lock, which nobody holds, and is checked and committed while another call of the thread
holds the lock: both pass `amount <= balance` against one balance of 100, and 140 goes out.

Input: agent A (thread "t") calls `kickoff`, an async effect that starts a follow-up task, then
`transfer(bob, 70)`, whose check reads the balance and then waits (up to 1 s) for any other payment; the
follow-up task runs agent B (same journal, same thread) with `transfer(carol, 70)` meanwhile.

Fixed: the mark is a `_Held` closed when its call releases the lock; a closed mark falls back to the nearest
call still open, or to the thread's own lock (`vfa/_guard_node.py`).
"""

from __future__ import annotations

import asyncio
import threading

from langchain_core.messages import AIMessage

from vfa import ALLOW, Agent, Deny, EffectJournal, effect, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


def _call(name: str, args: dict, call_id: str) -> AIMessage:
    return AIMessage("", tool_calls=[{"name": name, "args": args, "id": call_id}])


def test_a_task_an_effect_left_running_waits_for_the_thread_like_any_call():
    balance = [100]
    sent: list[tuple[str, int]] = []
    checking, other_paid = threading.Event(), threading.Event()
    journal = EffectJournal(":memory:")

    @guard(timeout_s=10)
    def budget(p, c):
        if p.tool != "transfer":
            return ALLOW
        ok = p.args["amount"] <= balance[0]
        if p.call_id == "a2":  # read the balance, then give any other payment of the thread time to run
            checking.set()
            other_paid.wait(1.0)
        return ALLOW if ok else Deny(reason=f"amount {p.args['amount']} exceeds balance {balance[0]}")

    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        balance[0] -= amount
        sent.append((to, amount))
        if to == "carol":
            other_paid.set()
        return f"sent {amount} to {to}"

    follow_ups: list[asyncio.Task] = []

    async def follow_up() -> list[str]:
        for _ in range(1000):  # starts once agent A's next call is being checked
            if checking.is_set():
                break
            await asyncio.sleep(0.01)
        b = Agent(ScriptedModel([_call("transfer", {"to": "carol", "amount": 70}, "b1"), "done"]), [transfer],
                  guards=[budget], journal=journal)
        out = await b.compile().ainvoke({"messages": [("user", "pay carol 70")]}, CFG)
        return [m.content for m in out["messages"] if m.type == "tool"]

    @effect
    async def kickoff(what: str) -> str:
        """Schedule a follow-up."""
        follow_ups.append(asyncio.create_task(follow_up()))
        return "scheduled"

    a = Agent(ScriptedModel([_call("kickoff", {"what": "x"}, "a1"),
                             _call("transfer", {"to": "bob", "amount": 70}, "a2"), "done"]),
              [kickoff, transfer], guards=[budget], journal=journal)

    async def scenario() -> list[str]:
        await a.compile().ainvoke({"messages": [("user", "pay bob 70")]}, CFG)
        return await follow_ups[0]

    asyncio.run(scenario())
    assert balance[0] >= 0 and sum(n for _, n in sent) <= 100, (
        f"two payments of thread 't' both passed `amount <= balance` against one balance of 100: {sent}, "
        f"balance {balance[0]} (the follow-up task's call did not wait for the thread's lock)")
    assert sent == [("bob", 70)]
