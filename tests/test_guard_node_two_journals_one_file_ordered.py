"""Two agents whose journals are one file, opened twice in one process, check one thread's calls at once.

What must hold (README, the guard node: the calls of a thread are "verified and committed one after another
within a thread (each guard reads the world the last commit left, so two payments cannot both pass `amount
<= state.balance` against one balance) ... The guard nodes of one journal ... share these locks"; only
"Replicas in other processes are not ordered this way"): in one process, the calls of one thread are
ordered whatever journal object each agent was given, when those are one journal file.

The per-thread locks (`_OneAtATime`) are looked up by the journal object (`_turns_of` in
vfa/_guard_node.py). An app that builds its agent per request with `journal="ledger.db"` (or opens
`EffectJournal(path)` per request) gets a journal object, and so a set of locks, per request: two
requests on one conversation at once (a double submit) are checked at the same time. Both payments of
80 read balance 100, both pass `0 < amount <= state.balance`, both commit: balance -60. The journal itself
knows the two connections are one file (`EffectJournal._key`, by device and inode, which names the calls
under way in this process).

Input: two agents built from one journal path, each paying 80 out of 100 on thread "t", at once (a
barrier in the payment holds the first one while the second is checked, if it is). Expected: one
payment is made, the other is denied; the balance never goes below zero.

Fixed: the thread locks are looked up by the journal's file key (vfa/_guard_node.py, _turns_of), so agents
built on one path share them; tests standing in for replicas in other processes give a node locks of its own
(conftest.in_another_process).
"""

from __future__ import annotations

import threading

from langchain_core.messages import AIMessage
from pydantic import BaseModel

from guards import requires
from vfa import Agent, effect
from vfa.testing import ScriptedModel


class Account(BaseModel):
    balance: int


def test_agents_on_one_journal_file_order_one_threads_calls(tmp_path):
    acct, sent = Account(balance=100), []
    barrier = threading.Barrier(2)

    @effect
    @requires("0 < amount <= state.balance", state=Account)
    def pay(to: str, amount: int) -> str:
        """Pay `amount` to `to`."""
        try:
            barrier.wait(timeout=2.0)  # the other request's call is checked meanwhile, if it runs at once
        except threading.BrokenBarrierError:
            pass
        acct.balance -= amount
        sent.append(to)
        return f"paid {amount} to {to}"

    def request_app(who: str):  # what a web app builds per request
        call = {"name": "pay", "args": {"to": who, "amount": 80}, "id": f"call_{who}", "type": "tool_call"}
        model = ScriptedModel([AIMessage(content="", tool_calls=[call]), "ok"])
        return Agent(model, [pay], world=lambda: acct, journal=str(tmp_path / "ledger.db")).compile()

    apps = {who: request_app(who) for who in ("bob", "carol")}
    errors: list[BaseException] = []

    def run(who: str) -> None:
        try:
            apps[who].invoke({"messages": [("user", f"pay {who} 80")]}, {"configurable": {"thread_id": "t"}})
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(who,)) for who in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert acct.balance >= 0 and len(sent) == 1, (
        f"both payments passed `amount <= state.balance` on one thread: {sent}, balance {acct.balance}")
