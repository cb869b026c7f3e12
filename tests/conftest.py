"""Shared fixtures: a small bank world with one effect, one read-only tool and two guards."""

from __future__ import annotations

import contextlib
import os

import pytest

# tests run offline: LangChain would upload every run (tools' arguments and results) to LangSmith where the
# developer's environment turns its tracing on; a test of that very case sets it in its own subprocess
for _name in ("LANGSMITH_TRACING", "LANGSMITH_TRACING_V2", "LANGCHAIN_TRACING_V2", "LANGCHAIN_TRACING"):
    os.environ.pop(_name, None)

from vfa import ALLOW, Deny, Escalate, effect, guard


class Bank:
    """A world whose balance changes only through the `transfer` effect."""

    def __init__(self, balance: int = 100) -> None:
        self.balance = balance
        self.sent: list[tuple[str, int]] = []

    def tools(self):
        bank = self

        @effect
        def transfer(to: str, amount: int) -> str:
            """Send `amount` to `to`."""
            bank.balance -= amount
            bank.sent.append((to, amount))
            return f"sent {amount} to {to}"

        def lookup(who: str) -> str:
            """Say whether a payee is known."""
            return f"{who} is a known payee"

        return transfer, lookup

    def guards(self, escalate_over: int = 50):
        bank = self

        @guard
        def budget(p, c):
            if p.tool == "transfer" and p.args["amount"] > bank.balance:
                return Deny(reason=f"amount {p.args['amount']} exceeds balance {bank.balance}",
                            evidence={"amount": p.args["amount"], "balance": bank.balance})
            return ALLOW

        @guard
        def large(p, c):
            if p.tool == "transfer" and p.args["amount"] > escalate_over:
                return Escalate(question=f"send {p.args['amount']} to {p.args['to']}?")
            return ALLOW

        return budget, large


@pytest.fixture
def bank() -> Bank:
    return Bank()


def config(thread: str = "t1") -> dict:
    return {"configurable": {"thread_id": thread}}



@contextlib.contextmanager
def in_another_process():
    """Guard nodes built inside stand for a replica in another process: thread locks of their own (in one
    process the guard nodes of one journal file share theirs, so their calls on a thread never run at once)."""
    from vfa import _guard_node

    with _guard_node._TURNS_LOCK:
        kept = dict(_guard_node._TURNS)
        _guard_node._TURNS.clear()
    try:
        yield
    finally:
        with _guard_node._TURNS_LOCK:
            _guard_node._TURNS.update(kept)
