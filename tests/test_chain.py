from __future__ import annotations

import asyncio
import time

from vfa import ALLOW, Deny, Escalate, GuardChain, GuardContext, Proposal, Repair, guard
from vfa.testing import check_guard

P = Proposal(call_id="c1", tool="transfer", args={"to": "bob", "amount": 5}, thread_id="t")
CTX = GuardContext()


@guard
def allow(p, c):
    return ALLOW


def test_all_allow_is_allow_with_every_decision_kept():
    r = GuardChain([allow, allow]).verify(P, CTX)
    assert r.allowed and [d.guard for d in r.decisions] == ["allow", "allow"]
    assert all(d.latency_s >= 0 for d in r.decisions)


def test_a_raising_guard_denies_and_names_the_error():
    @guard
    def boom(p, c):
        raise RuntimeError("kaboom")

    r = GuardChain([allow, boom, allow]).verify(P, CTX)
    assert r.verdict.kind == "deny" and r.verdict.guard == "boom"
    assert "RuntimeError: kaboom" in r.verdict.reason
    assert len(r.decisions) == 2  # the chain stops at the first deny


def test_a_guard_over_its_budget_denies_at_the_deadline():
    @guard(timeout_s=0.05)
    def slow(p, c):
        time.sleep(2)
        return ALLOW

    t0 = time.perf_counter()
    r = GuardChain([allow, slow]).verify(P, CTX)
    elapsed = time.perf_counter() - t0
    assert r.verdict.kind == "deny" and r.verdict.guard == "slow" and "0.05" in r.verdict.reason
    assert elapsed < 1.0


def test_chain_default_budget_applies():
    @guard
    def slow(p, c):
        time.sleep(1)
        return ALLOW

    r = GuardChain([slow], timeout_s=0.05).verify(P, CTX)
    assert r.verdict.kind == "deny"


def test_a_non_verdict_return_denies():
    @guard
    def sloppy(p, c):
        return True

    r = GuardChain([sloppy]).verify(P, CTX)
    assert r.verdict.kind == "deny" and "not a verdict" in r.verdict.reason


def test_deny_wins_over_an_earlier_escalate():
    @guard
    def ask(p, c):
        return Escalate(question="sure?")

    @guard
    def no(p, c):
        return Deny(reason="no")

    assert GuardChain([ask, no]).verify(P, CTX).verdict.kind == "deny"
    assert GuardChain([ask, allow]).verify(P, CTX).verdict.kind == "escalate"


def test_repair_stops_the_chain_with_its_hint():
    @guard
    def fix(p, c):
        return Repair(reason="too much", hint="send at most 3")

    r = GuardChain([fix, allow]).verify(P, CTX)
    assert r.verdict.kind == "repair" and r.verdict.hint == "send at most 3" and len(r.decisions) == 1


def test_async_guards_run_in_sync_and_async_callers():
    @guard
    async def later(p, c):
        await asyncio.sleep(0)
        return Deny(reason="async says no")

    assert GuardChain([later]).verify(P, CTX).verdict.reason == "async says no"
    r = asyncio.run(GuardChain([later]).averify(P, CTX))
    assert r.verdict.reason == "async says no"


def test_guards_scoped_to_tools():
    @guard(tools=["other"])
    def never(p, c):
        return Deny(reason="wrong tool")

    assert GuardChain([never]).verify(P, CTX).allowed


def test_check_guard_accepts_a_deterministic_guard():
    assert check_guard(allow, P).kind == "allow"


def test_inline_guards_run_in_the_callers_thread_and_still_deny_on_a_raise():
    import threading

    seen = []

    @guard(inline=True)
    def here(p, c):
        seen.append(threading.get_ident())
        return ALLOW

    @guard(inline=True)
    def broken(p, c):
        raise ValueError("bad state")

    assert GuardChain([here]).verify(P, CTX).allowed and seen == [threading.get_ident()]
    r = GuardChain([here, broken]).verify(P, CTX)
    assert r.verdict.kind == "deny" and "ValueError: bad state" in r.verdict.reason


def test_mixed_inline_and_budgeted_guards_keep_their_order_and_deadlines():
    order = []

    @guard(inline=True)
    def first(p, c):
        order.append("first")
        return ALLOW

    @guard(timeout_s=0.05)
    def slow(p, c):
        order.append("slow")
        time.sleep(1)
        return ALLOW

    @guard(inline=True)
    def never(p, c):
        order.append("never")
        return ALLOW

    r = GuardChain([first, allow, slow, never]).verify(P, CTX)
    assert r.verdict.kind == "deny" and r.verdict.guard == "slow"
    assert order == ["first", "slow"] and [d.guard for d in r.decisions] == ["first", "allow", "slow"]


def test_a_chain_without_a_default_budget_runs_unbudgeted_guards_inline():
    import threading

    ident = []

    @guard
    def where(p, c):
        ident.append(threading.get_ident())
        return ALLOW

    assert GuardChain([where], timeout_s=None).verify(P, CTX).allowed
    assert ident == [threading.get_ident()]


def test_a_guard_whose_name_is_not_text_is_recorded_by_its_text():
    class Numbered:
        name = 42

        def check(self, p, c):
            return Deny(reason="no")

    result = GuardChain([Numbered()]).verify(P, CTX)
    assert result.verdict.kind == "deny" and result.decisions[0].guard == "42"
