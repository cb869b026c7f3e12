"""A checkpointer `Agent.compile` was given is not lost to an erasure (or a compile) running beside it.

`Agent` keeps the savers its `compile` was given in `self._checkpointers`, a list that `_prune` replaces with a
new one (at every `compile` and every `delete_thread` without `checkpointer=`), and that `compile` appends to
after its own `_prune`. Neither holds a lock: a thread switch between `compile` binding the list's `append` and
calling it, while another thread's `delete_thread` (or `compile`) runs `_prune`, appends the saver to a list
no one reads any more. That saver is then neither erased from nor noted as let go: `agent.delete_thread(t)` for a
thread it holds erases the journal alone and returns as if done, and a later run resumes the thread from the
checkpoints left, with no record of what it committed (docs/kernel.md "Erasing a thread": "a thread resumed from its
checkpoints with no journal would run its calls' effects again").

A service compiling a graph per request (what holding the savers weakly is for) while another request erases a
conversation meets this race; here the switch is made deterministic by a saver whose `__class__` (read by
`isinstance` while `compile` builds the entry it appends) lets the other thread run first.

What must hold: after `compile(checkpointer=saver)` returns, whatever ran beside it, `delete_thread(t)` erases
the thread's checkpoints in that saver (or refuses, ConfigError, deleting nothing).

Fixed: compile and delete_thread read and replace the savers' list under one lock, the saver's kind read
before it.
"""

from __future__ import annotations

import threading
from pathlib import Path

from langgraph.checkpoint.sqlite import SqliteSaver

from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return f"paid {amount} to {to}"


class _SwitchingSaver(SqliteSaver):
    """A SqliteSaver that, the first time `isinstance` reads its `__class__`, lets another thread run first."""

    switch: threading.Event | None = None
    done: threading.Event | None = None

    @property  # type: ignore[misc]
    def __class__(self):  # noqa: D105 - read by isinstance for a class it is not an instance of
        if self.switch is not None:
            switch, self.switch = self.switch, None
            switch.set()
            self.done.wait(2)  # the other thread's erasure, or (serialised) give up waiting
        return type(self)


def test_a_saver_compiled_beside_an_erasure_is_erased_from(tmp_path: Path) -> None:
    import sqlite3

    with EffectJournal(tmp_path / "j.db") as journal:
        agent = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"] * 4), [pay], journal=journal)
        saver = _SwitchingSaver(sqlite3.connect(tmp_path / "cp.db", check_same_thread=False))
        saver.switch, saver.done = threading.Event(), threading.Event()
        switch, done = saver.switch, saver.done

        def erase_other() -> None:
            switch.wait(5)
            agent.delete_thread("another")  # a request erasing another conversation
            done.set()

        other = threading.Thread(target=erase_other)
        other.start()
        graph = agent.compile(checkpointer=saver)
        other.join(10)
        config = {"configurable": {"thread_id": "t"}}
        graph.invoke({"messages": [("user", "pay")]}, config)
        assert list(saver.list(config)), "control: the run left checkpoints"

        agent.delete_thread("t")

        assert list(saver.list(config)) == [], "the thread's checkpoints survived its erasure (its journal did not)"
