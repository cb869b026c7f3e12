"""Red team 90: two LangGraph tasks of one superstep run the same guard node at once (a `Send` per call).

Checked with a real compiled graph: calls of one thread are verified and committed one after the
other (the per-thread lock), so a guard reading the world never sees it before the other call's effect;
the same call sent twice in one superstep commits once; and a commit authorises one call only.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.graph import END, START, StateGraph
from langgraph.types import Send
from typing_extensions import TypedDict

from vfa import ALLOW, Deny, EffectJournal, GuardNode, UnmediatedEffectError, effect, guard


class S(TypedDict, total=False):
    calls: list


TASKS: list[int] = []
"""The OS threads the graph's tasks ran on."""


def _graph(node: GuardNode) -> Any:
    def tools(x: Any, config: RunnableConfig) -> Any:  # the guard node itself, noting which thread LangGraph ran it on
        TASKS.append(threading.get_ident())
        time.sleep(0.1)
        return node.invoke(x, config)

    b = StateGraph(S)
    b.add_node("tools", tools)
    b.add_conditional_edges(START, lambda s: [Send("tools", {"type": "tool_call", **c}) for c in s["calls"]])
    b.add_edge("tools", END)
    return b.compile()


def _bank() -> tuple[dict, list, Any, Any]:
    world = {"balance": 100}
    inside: list[int] = []

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay."""
        world["balance"] -= amount
        return f"paid {amount} to {to}"

    @guard
    def funds(p, c):
        inside.append(threading.get_ident())
        time.sleep(0.2)  # both tasks are in the superstep: without the lock both would read 100
        return ALLOW if p.args["amount"] <= c.world["balance"] else Deny(reason="insufficient funds")

    return world, inside, pay, funds


def test_parallel_sends_to_one_guard_node_do_not_both_pass_a_check_of_the_world() -> None:
    world, _, pay, funds = _bank()
    journal = EffectJournal()
    node = GuardNode([pay], [funds], journal=journal, world=lambda: world)
    calls = [{"name": "pay", "args": {"to": x, "amount": 60}, "id": f"c-{x}"} for x in ("a", "b")]
    TASKS.clear()
    _graph(node).invoke({"calls": calls}, {"configurable": {"thread_id": "t"}})
    assert len(set(TASKS)) == 2, "the two calls did not run in parallel threads: the test proves nothing"
    assert world["balance"] == 40
    assert [e.kind for e in journal.entries("t") if e.kind in ("committed", "denied")].count("committed") == 1


def test_the_same_call_sent_twice_in_one_superstep_commits_once() -> None:
    world, _, pay, funds = _bank()
    journal = EffectJournal()
    node = GuardNode([pay], [funds], journal=journal, world=lambda: world)
    call = {"name": "pay", "args": {"to": "a", "amount": 10}, "id": "c1"}
    _graph(node).invoke({"calls": [call, call]}, {"configurable": {"thread_id": "t"}})
    assert world["balance"] == 90
    assert [r.call_id for r in journal.committed("t")] == ["c1"]


def test_a_commit_authorises_one_call_even_from_two_threads_of_its_context() -> None:
    """The `entered` flag is set before the effect's body runs and read in the same context: the one
    call a commit authorises is the first; a second, from any thread holding a copy of the commit's
    context, is refused while the first is still running."""
    import contextvars

    world = {"n": 0}
    started = threading.Event()
    errors: list[BaseException] = []

    @effect
    def bump() -> str:
        """Bump."""
        world["n"] += 1
        if world["n"] == 1:
            ctx = contextvars.copy_context()

            def again() -> None:
                try:
                    ctx.run(bump)
                except BaseException as exc:  # noqa: BLE001
                    errors.append(exc)
                started.set()

            threading.Thread(target=again).start()
            started.wait(5)
        return "ok"

    node = GuardNode([bump], [], journal=EffectJournal())
    node.handle({"name": "bump", "args": {}, "id": "c1"}, {}, "t")
    assert world["n"] == 1 and len(errors) == 1 and isinstance(errors[0], UnmediatedEffectError)
