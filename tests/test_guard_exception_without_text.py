"""Red team 77: a guard raising an exception whose text cannot be read crashes the graph.

Guarantee (README / vfa/_chain.py docstring): "errors and time-outs deny (fail closed)"; a guard
that raises denies, and an exception never escapes the graph in place of a Deny.

How it breaks: `GuardChain._run_each` catches the guard's exception, then builds the denial's text
with `str(exc)` *inside the except clause*, outside any try (vfa/_chain.py:229; with a flow the same
`str(exc)` is evaluated before `_told` is entered, so `_told`'s own try does not cover it). An
exception whose `__str__` raises (an exception class wrapping an object whose repr raises, or one too
deep to repr) makes that line raise, and the new exception propagates out of the guard worker,
through `verify` and the node, out of `app.invoke`: nothing is journaled as denied.

Fix: read the message the way `_repr` in vfa/_guard_node.py does, e.g.
`try: text = str(exc) except Exception: text = f"<a {type(exc).__name__} that cannot be shown>"`,
before `_told`/the Deny is built (and likewise for `type(exc).__name__`-only fallbacks).
"""

from __future__ import annotations

from langchain_core.messages import HumanMessage, ToolMessage

from vfa import Agent, EffectJournal, FunctionGuard, effect
from vfa.testing import ScriptedModel


class _Unprintable(Exception):
    def __str__(self) -> str:
        raise RuntimeError("this exception has no text")


def test_a_guard_raising_an_unprintable_exception_denies():
    ran: list[str] = []

    @effect
    def pay(iban: str, amount: int) -> str:
        """Pay an account."""
        ran.append(iban)
        return "paid"

    def broken(p, c):
        raise _Unprintable()

    app = Agent(ScriptedModel([("pay", {"iban": "DE00", "amount": 1})]), [pay],
                guards=[FunctionGuard(broken, name="broken")], journal=EffectJournal()).compile()
    out = app.invoke({"messages": [HumanMessage("pay")]}, {"configurable": {"thread_id": "t"}})
    tm = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert ran == [] and tm.artifact["vfa"]["outcome"] == "denied"
