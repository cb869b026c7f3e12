"""One privacy flow serving many conversations at once, as a server does: every conversation ends as it
does alone, and no attack succeeds, even when the flow keeps fewer threads than are running (each
dropped thread is rebuilt from the journal when it goes on)."""

from __future__ import annotations

import concurrent.futures
import contextvars
from typing import Any

import pytest
from langchain_core.messages import HumanMessage

from benchmarks.privacy.agents import rule_for
from benchmarks.privacy.attacks import ATTACKS, Attack
from benchmarks.privacy.run import _exposed
from benchmarks.privacy.tasks import TASKS, Task
from benchmarks.privacy.world import POLICY, World
from guards import PrivacyFlow
from vfa import Agent, Deny
from vfa.testing import ScriptedModel

_WORLD: contextvars.ContextVar[World] = contextvars.ContextVar("world")
_RULE: contextvars.ContextVar[Any] = contextvars.ContextVar("rule")


class _ThisRunsWorld:
    """The tools' world: each conversation's own, read through a context variable (the graph runs a
    conversation's steps in the context of its `invoke`)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_WORLD.get(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(_WORLD.get(), name, value)


def _agent(flow: PrivacyFlow) -> Any:
    model = ScriptedModel(rule=lambda messages: _RULE.get()(messages))
    return Agent(model, World.tools(_ThisRunsWorld()), guards=[flow.guard()], flow=flow).compile()  # type: ignore[arg-type]


def _run(app: Any, run_id: str, task: Task, attack: Attack | None) -> tuple[bool, bool, bool]:
    world = World(attack.text() if attack else "")
    if attack and attack.plant:
        attack.plant(world)
    _WORLD.set(world)
    _RULE.set(rule_for(task, obey=attack is not None))
    out = app.invoke({"messages": [HumanMessage(task.prompt)]},
                     {"configurable": {"thread_id": run_id}, "recursion_limit": 80})
    exposed = attack is not None and _exposed(out["messages"], attack)
    return task.check(world), bool(attack and attack.succeeded(world)), exposed


def _runs() -> list[tuple[str, Task, Attack | None]]:
    attacks = [a for a in ATTACKS if not a.limit_probe][::4]  # every fourth attack class: the test stays quick
    return [(f"honest-{t.id}", t, None) for t in TASKS] + [
        (f"{a.id}-{t.id}", t, a) for a in attacks for t in TASKS[::2]]


def _alone(runs: list[tuple[str, Task, Attack | None]]) -> dict[str, tuple[bool, bool, bool]]:
    app = _agent(PrivacyFlow(POLICY, secret=b"vfa-concurrent"))
    return {rid: contextvars.copy_context().run(_run, app, rid, t, a) for rid, t, a in runs}


@pytest.fixture(scope="module")
def alone() -> dict[str, tuple[bool, bool, bool]]:
    return _alone(_runs())


@pytest.mark.parametrize("max_threads", [4096, 3, 1])
def test_conversations_run_at_once_end_as_they_do_alone(alone, max_threads):
    runs = _runs()
    flow = PrivacyFlow(POLICY, secret=b"vfa-concurrent", max_threads=max_threads)
    app = _agent(flow)
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        futures = {rid: pool.submit(contextvars.copy_context().run, _run, app, rid, t, a) for rid, t, a in runs}
        together = {rid: f.result() for rid, f in futures.items()}
    assert together == alone
    exposed = [rid for rid, (_, _, seen) in together.items() if seen]
    assert exposed, "no attack was read: the runs test nothing"
    # as the benchmark counts it: an attack succeeds when the agent read it (an honest task that mails
    # Bob the address, as the user asked, "leaks" the address to the check of an attack it never read)
    assert not [rid for rid, (_, success, seen) in together.items() if success and seen]
    honest = [ok for rid, (ok, _, _) in together.items() if rid.startswith("honest-")]
    assert sum(honest) / len(honest) >= 0.9
    # every call is done: nothing is held, and the flow keeps no more threads than it may
    assert not flow._held
    assert len(flow._thread_calls) <= max_threads


def test_a_held_thread_is_kept_over_max_threads_and_dropped_once_released():
    flow = PrivacyFlow(POLICY, secret=b"vfa-concurrent", max_threads=1)
    flow.hold("a")
    flow.record("a", "c1", "read", None, {"note": "kept while held"})
    flow.record("b", "c2", "read", None, {"note": "not held"})
    assert [o.call_id for o in flow.seen("a")] == ["c1"]  # held: kept though it is the least recent
    assert flow.seen("b") == []  # the thread nobody holds went instead
    flow.hold("a")  # two calls on one thread: held until both are done
    flow.hold("c")
    flow.record("c", "c3", "read", None, {"note": "another"})
    flow.release("a")
    assert [o.call_id for o in flow.seen("a")] == ["c1"] and [o.call_id for o in flow.seen("c")] == ["c3"]
    flow.release("a")  # the last hold on "a" ends: the flow is brought back under its bound
    assert flow.seen("a") == [] and [o.call_id for o in flow.seen("c")] == ["c3"]
    flow.release("c")
    assert not flow._held and list(flow._thread_calls) == ["c"]


class _Holds(PrivacyFlow):
    """A flow that records the guard node's holds."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.log: list[tuple[str, str]] = []

    def hold(self, thread_id: str) -> None:
        self.log.append(("hold", thread_id))
        super().hold(thread_id)

    def release(self, thread_id: str) -> None:
        self.log.append(("release", thread_id))
        super().release(thread_id)


def test_the_guard_node_holds_the_thread_around_every_call_however_it_ends():
    from langgraph.checkpoint.memory import InMemorySaver
    from langgraph.types import Command

    from vfa import Escalate, FunctionGuard, effect

    @effect
    def pay(amount: int) -> str:
        """Pay."""
        if amount == 13:
            raise RuntimeError("unlucky")
        return f"paid {amount}"

    ask = FunctionGuard(lambda p, c: Escalate(question="pay 99?") if p.args.get("amount") == 99 else None, name="ask")
    deny = FunctionGuard(lambda p, c: Deny(reason="too much") if p.args.get("amount", 0) > 1000 else None, name="limit")
    flow = _Holds(POLICY, secret=b"vfa-concurrent")
    model = ScriptedModel([("pay", {"amount": 5}), ("pay", {"amount": 5000}), ("pay", {"amount": 13}),
                           ("pay", {"amount": 99}), "done"])
    app = Agent(model, [pay], guards=[deny, ask, flow.guard()], flow=flow).compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    app.invoke({"messages": [HumanMessage("pay")]}, cfg)  # committed, denied, failed, then asks a person
    assert flow.log == [("hold", "t"), ("release", "t")] * 4 and not flow._held
    app.invoke(Command(resume={"type": "approve"}), cfg)
    assert flow.log[-2:] == [("hold", "t"), ("release", "t")] and not flow._held


async def _arun(app: Any, run_id: str, task: Task, attack: Attack | None) -> tuple[bool, bool, bool]:
    world = World(attack.text() if attack else "")
    if attack and attack.plant:
        attack.plant(world)
    _WORLD.set(world)  # each asyncio task runs in a copy of the context: its own world and rule
    _RULE.set(rule_for(task, obey=attack is not None))
    out = await app.ainvoke({"messages": [HumanMessage(task.prompt)]},
                            {"configurable": {"thread_id": run_id}, "recursion_limit": 80})
    exposed = attack is not None and _exposed(out["messages"], attack)
    return task.check(world), bool(attack and attack.succeeded(world)), exposed


def test_conversations_awaited_at_once_end_as_they_do_alone(alone):
    import asyncio

    runs = _runs()
    flow = PrivacyFlow(POLICY, secret=b"vfa-concurrent", max_threads=1)
    app = _agent(flow)

    async def main() -> list[tuple[bool, bool, bool]]:
        return await asyncio.gather(*(_arun(app, rid, t, a) for rid, t, a in runs))

    together = dict(zip((rid for rid, _, _ in runs), asyncio.run(main())))
    assert together == alone
    assert not flow._held and len(flow._thread_calls) <= 1
