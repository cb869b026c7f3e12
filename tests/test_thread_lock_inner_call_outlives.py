"""A call made inside an effect, still running when that effect's call ends, keeps the thread's lock held.

What must hold (README: "calls of one thread are verified and committed one after another ... so two
payments cannot both pass `amount <= state.balance` against one balance"): no two calls of one thread are
checked and committed at once, whoever started them.

A call made from inside a call holding the thread's lock (an agent the effect runs) is ordered by that
call's own inner lock, not the thread's (`_OneAtATime.of`, `vfa/_guard_node.py`). A task the async effect
starts makes such a call while the effect still runs, and the effect returns before that call is done: the
outer call then releases the thread's lock while the inner call is still between its check and its commit.
The thread's next call takes the lock at once, and both pass `amount <= balance` against one balance.
(`tests/test_thread_lock_task_outlives_call.py` pins the sibling: a call the task starts after the call ended.)

Input: agent A (thread "t") calls `kickoff`, an async effect that starts a task running agent B (same
journal, same thread) with `transfer(carol, 70)` and returns once B's check has read the balance; B's check
then waits (up to 1 s) for any other payment; A goes on with `transfer(bob, 70)`.

Fixed: `_marked` (`vfa/_guard_node.py`) closes a call's mark and then waits for its inner lock, so the calls
made inside it finish before the thread's lock passes on; a call that got an inner lock after its parent
closed falls back to the thread's lock.
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


def test_an_inner_call_still_running_when_its_outer_call_ends_keeps_the_thread():
    balance = [100]
    sent: list[tuple[str, int]] = []
    checking, other_paid = threading.Event(), threading.Event()
    journal = EffectJournal(":memory:")

    @guard(timeout_s=10)
    def budget(p, c):
        if p.tool != "transfer":
            return ALLOW
        ok = p.args["amount"] <= balance[0]
        if p.call_id == "b1":  # read the balance, then give any other payment of the thread time to run
            checking.set()
            other_paid.wait(1.0)
        return ALLOW if ok else Deny(reason=f"amount {p.args['amount']} exceeds balance {balance[0]}")

    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        balance[0] -= amount
        sent.append((to, amount))
        if to == "bob":
            other_paid.set()
        return f"sent {amount} to {to}"

    follow_ups: list[asyncio.Task] = []

    async def follow_up() -> list[str]:
        b = Agent(ScriptedModel([_call("transfer", {"to": "carol", "amount": 70}, "b1"), "done"]), [transfer],
                  guards=[budget], journal=journal)
        out = await b.compile().ainvoke({"messages": [("user", "pay carol 70")]}, CFG)
        return [m.content for m in out["messages"] if m.type == "tool"]

    @effect
    async def kickoff(what: str) -> str:
        """Start a follow-up."""
        follow_ups.append(asyncio.create_task(follow_up()))
        for _ in range(1000):  # returns once the follow-up's call is being checked
            if checking.is_set():
                break
            await asyncio.sleep(0.01)
        return "started"

    a = Agent(ScriptedModel([_call("kickoff", {"what": "x"}, "a1"),
                             _call("transfer", {"to": "bob", "amount": 70}, "a2"), "done"]),
              [kickoff, transfer], guards=[budget], journal=journal)

    async def scenario() -> list[str]:
        await a.compile().ainvoke({"messages": [("user", "pay bob 70")]}, CFG)
        return await follow_ups[0]

    asyncio.run(scenario())
    assert checking.is_set()
    assert balance[0] >= 0 and sum(n for _, n in sent) <= 100, (
        f"two payments of thread 't' both passed `amount <= balance` against one balance of 100: {sent}, "
        f"balance {balance[0]} (the outer call released the thread while a call made inside it was being checked)")
