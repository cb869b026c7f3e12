"""An effect that returns a lazy result (a generator object, `map`) is journaled `committed`
while its work never ran.

`@effect` refuses a generator function ("its body would run when its caller iterates it, after the commit";
`tests/test_effects_generator_refused.py`), but an ordinary function that returns a generator object or
another lazy iterator gets through: `return (send(t) for t in to)`, `return map(send, to)`, a helper
generator doing the sends one by one. The guard node's commit calls the function, which returns at once with
nothing sent; the journal records `committed` with the iterator's repr as the result ("<generator object
...>"), the model is told the effect ran, and the sends never happen (or would happen later, outside the
commit, if anything iterated the object). An async effect awaited to such an object (an async generator) is
the same. The journal's exactly-once record (`started` before, `committed` after the effect ran) then
claims an effect that did not run.

What must hold: a call the journal records `committed` has done its work inside its commit: each send ran,
with `in_commit()` true, before the `committed` entry, and the result journaled and shown is what the work
returned, not an iterator's repr.

Fixed: the node's _run runs a lazy result to its end inside the commit (on the caller's loop for an async
one).
"""

from __future__ import annotations

import asyncio

from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from vfa import Agent, effect, in_commit
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


def _check(make, *, run_async: bool = False) -> None:
    sent: list[tuple[str, bool]] = []

    def send(to: str) -> str:
        sent.append((to, in_commit("send_all")))
        return f"sent to {to}"

    send_all = make(send)
    agent = Agent(ScriptedModel([("send_all", {"to": ["ann", "bob"]}), "done"]), [send_all])
    app = agent.compile(checkpointer=InMemorySaver())
    request = {"messages": [HumanMessage("mail ann and bob")]}
    out = asyncio.run(app.ainvoke(request, CFG)) if run_async else app.invoke(request, CFG)
    entries = agent.journal.entries("t")
    assert [e.kind for e in entries][-2:] == ["started", "committed"]
    assert sent == [("ann", True), ("bob", True)], (
        f"the journal says send_all was committed, yet inside its commit it sent {sent}")
    assert "object at 0x" not in repr(entries[-1].data) and "sent to bob" in out["messages"][2].content


def test_an_effect_returning_a_generator_object_runs_it_inside_its_commit():
    def make(send):
        @effect
        def send_all(to: list[str]) -> list[str]:
            """Mail each person."""
            return (send(t) for t in to)
        return send_all

    _check(make)


def test_an_effect_returning_map_runs_it_inside_its_commit():
    def make(send):
        @effect
        def send_all(to: list[str]) -> list[str]:
            """Mail each person."""
            return map(send, to)
        return send_all

    _check(make)


def test_an_async_effect_returning_an_async_generator_runs_it_inside_its_commit():
    def make(send):
        async def each(to: list[str]):
            for t in to:
                yield send(t)

        @effect
        async def send_all(to: list[str]) -> list[str]:
            """Mail each person."""
            return each(to)
        return send_all

    _check(make, run_async=True)


def test_a_file_object_returned_is_a_result_not_work_left():
    """An open file is an iterator too, but no work waits in it: it is shown as returned, not read out."""
    import io

    from vfa import Agent, effect
    from vfa.testing import ScriptedModel

    @effect
    def export() -> object:
        """Export."""
        return io.StringIO("line one\nline two\n")

    out = Agent(ScriptedModel([("export", {}), "done"]), [export], []).compile().invoke({"messages": [("user", "x")]})
    shown = next(m.content for m in out["messages"] if m.type == "tool")
    assert "StringIO" in shown and "line one" not in shown
